import type { EncryptedColumns } from '../modules.js';

/** The platform's own encrypted columns; each module declares its own in its FeatureModule. */
export const PLATFORM_ENCRYPTED_COLUMNS: readonly EncryptedColumns[] = [
  { table: 'users', primaryKey: 'id', columns: ['email_enc', 'name_enc', 'phone_enc', 'totp_secret_enc'] },
  { table: 'organisations', primaryKey: 'id', columns: ['sso_client_secret_enc'] },
  { table: 'outbox_messages', primaryKey: 'id', columns: ['recipient_enc', 'body_text'] },
  { table: 'kept_forms', primaryKey: 'token_hash', columns: ['fields_enc'] },
  { table: 'recovery_codes', primaryKey: 'id', columns: ['code_enc'] },
];
