export interface OutboxMessageTable {
  id: string;
  recipient_enc: string;
  subject: string;
  body_text: string;
  /** `sending` is a lease: next_attempt_at then holds when the lease runs out and another instance may take it over. */
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: string;
  /** A delivery error code (e.g. `SMTP 451`, `ECONNECTION`), never the server's text, which can quote the address. */
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  /** Not sent after this instant (its link has expired); null for messages that do not go stale. */
  send_before: string | null;
  /** The one-time link (user_tokens.id) the message carries: not sent once that is used, replaced or its account disabled. */
  link_token_id: string | null;
}

export interface NotifyTables {
  outbox_messages: OutboxMessageTable;
}
