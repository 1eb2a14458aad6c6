import type { Selectable } from 'kysely';
import type { Dialect, Executor } from '../db/database.js';
import type { BlindIndexer, FieldCrypto } from '../crypto/field-crypto.js';
import { can, isRole, type Actor, type Permission, type Role } from './policy.js';
import type { UserTable } from './tables.js';
import type { BlindIndexedRows } from '../modules.js';

export type UserRow = Selectable<UserTable>;

export interface User {
  readonly id: string;
  readonly organisationId: string;
  readonly email: string;
  readonly name: string;
  readonly phone: string | null;
  readonly roles: Role[];
  readonly status: UserRow['status'];
  readonly hasPassword: boolean;
  readonly hasSecondFactor: boolean;
  readonly version: number;
  readonly createdAt: string;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

const EMAIL_PURPOSE = 'user-email';

export function emailIndex(crypto: BlindIndexer, email: string): string {
  return crypto.blindIndex(EMAIL_PURPOSE, normaliseEmail(email));
}

/** Accounts, found by their email's blind index. */
export const USER_EMAIL_INDEX: BlindIndexedRows = {
  table: 'users',
  primaryKey: 'id',
  sources: ['email_enc'],
  indexes: (indexer, plain) => ({ email_index: emailIndex(indexer, plain['email_enc'] ?? '') }),
};

export function parseRoles(stored: string): Role[] {
  const parsed: unknown = JSON.parse(stored);
  return Array.isArray(parsed) ? parsed.filter((role): role is Role => typeof role === 'string' && isRole(role)) : [];
}

export function toUser(crypto: FieldCrypto, row: UserRow): User {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    email: crypto.decrypt(row.email_enc),
    name: crypto.decrypt(row.name_enc),
    phone: crypto.decryptOptional(row.phone_enc),
    roles: parseRoles(row.roles),
    status: row.status,
    hasPassword: row.password_hash !== null,
    hasSecondFactor: row.totp_secret_enc !== null,
    version: row.version,
    createdAt: row.created_at,
  };
}

export function toActor(row: Pick<UserRow, 'id' | 'organisation_id' | 'roles'>): Actor {
  return { userId: row.id, organisationId: row.organisation_id, roles: parseRoles(row.roles) };
}

/**
 * Why an account cannot be used now, or null when it can: not (or no longer) an active account, or its
 * organisation has been switched off by an administrator (its staff lose access with it).
 */
export async function accountRefusal(executor: Executor, user: Pick<UserRow, 'status' | 'organisation_id'>, allowInvited = false): Promise<string | null> {
  if (user.status !== 'active' && !(allowInvited && user.status === 'invited')) return `account-${user.status}`;
  const organisation = await executor.selectFrom('organisations').select('active').where('id', '=', user.organisation_id).executeTakeFirst();
  return organisation?.active === 1 ? null : 'organisation-inactive';
}

/**
 * Active accounts of active organisations that hold `permission`, optionally only in some organisations: the
 * people an automatic reminder is for. Roles are read through the one policy function, never listed here.
 */
export async function activeHoldersOf(executor: Executor, permission: Permission, organisationIds?: readonly string[]) {
  if (organisationIds?.length === 0) return [];
  let query = executor
    .selectFrom('users')
    .innerJoin('organisations', 'organisations.id', 'users.organisation_id')
    .select(['users.id', 'users.organisation_id', 'users.roles', 'users.email_enc'])
    .where('users.status', '=', 'active')
    .where('organisations.active', '=', 1);
  if (organisationIds) query = query.where('users.organisation_id', 'in', [...organisationIds]);
  const rows = await query.orderBy('users.id').execute();
  return rows.filter((row) => can(toActor(row), permission));
}

export function findUserRowById(executor: Executor, id: string): Promise<UserRow | undefined> {
  return executor.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUserRowByEmail(executor: Executor, crypto: FieldCrypto, email: string): Promise<UserRow | undefined> {
  // Under every blind index key in use, so an account is found before, during and after a rotation.
  return executor.selectFrom('users').selectAll().where('email_index', 'in', crypto.blindIndexes(EMAIL_PURPOSE, normaliseEmail(email))).executeTakeFirst();
}

/**
 * Holds the account's row until the transaction ends, so two changes to one account (a new link, a resent
 * invitation, an acceptance) take turns. PostgreSQL only: SQLite already runs one write transaction at a time. The
 * weaker "no key update" lock still makes them take turns (and with any update of the row), but lets rows that
 * refer to the account (a referral it makes) be written meanwhile, so that no deadlock.
 */
export async function lockAccount(executor: Executor, dialect: Dialect, userId: string): Promise<void> {
  if (dialect === 'postgres') await executor.selectFrom('users').select('id').where('id', '=', userId).forNoKeyUpdate().execute();
}
