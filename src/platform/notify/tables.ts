export interface OutboxMessageTable {
  id: string;
  recipient_enc: string;
  subject: string;
  body_text: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface NotifyTables {
  outbox_messages: OutboxMessageTable;
}
