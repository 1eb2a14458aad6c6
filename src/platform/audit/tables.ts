export interface AuditEventTable {
  seq: number;
  id: string;
  at: string;
  actor_user_id: string | null;
  actor_organisation_id: string | null;
  action: string;
  record_type: string | null;
  record_id: string | null;
  outcome: 'success' | 'failure' | 'denied';
  ip: string | null;
  request_id: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

/** One row (id 1): the chain's last event, moved by every append in the same step as its insert. */
export interface AuditChainHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface AuditTables {
  audit_events: AuditEventTable;
  audit_chain_head: AuditChainHeadTable;
}
