export interface SessionTable {
  id: string;
  user_id: string;
  stage: 'password' | 'complete';
  created_at: string;
  last_seen_at: string;
  ip: string;
}

export interface RecoveryCodeTable {
  id: string;
  user_id: string;
  code_enc: string;
  code_index: string;
  used_at: string | null;
}

export interface SignInThrottleTable {
  key: string;
  failures: number;
  first_failure_at: string;
  locked_until: string | null;
}

export interface UserTokenTable {
  id: string;
  token_hash: string;
  purpose: 'invitation' | 'password_reset';
  user_id: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

/** A form sent after its session ended, kept for the same person to see again once signed in (see kept-forms.ts). */
export interface KeptFormTable {
  token_hash: string;
  user_id: string;
  path: string;
  fields_enc: string;
  expires_at: string;
}

export interface AuthTables {
  sessions: SessionTable;
  kept_forms: KeptFormTable;
  recovery_codes: RecoveryCodeTable;
  sign_in_throttle: SignInThrottleTable;
  user_tokens: UserTokenTable;
}
