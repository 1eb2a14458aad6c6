export interface OrganisationTable {
  id: string;
  slug: string;
  name: string;
  kind: string;
  area_code: string | null;
  active: number;
  sso_issuer: string | null;
  sso_client_id: string | null;
  sso_client_secret_enc: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface UserTable {
  id: string;
  organisation_id: string;
  email_index: string;
  email_enc: string;
  name_enc: string;
  phone_enc: string | null;
  roles: string;
  status: 'invited' | 'active' | 'disabled';
  password_hash: string | null;
  totp_secret_enc: string | null;
  totp_last_step: number | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface AccessTables {
  organisations: OrganisationTable;
  users: UserTable;
}
