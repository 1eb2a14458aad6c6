import type { Executor } from '../db/database.js';
import type { FieldCrypto } from '../crypto/field-crypto.js';
import { newId, nowIso } from '../db/ids.js';

export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  /** Plain text with at most a link: never case detail, names of people at risk or anything else sensitive. */
  readonly body: string;
}

/**
 * Messages are written in the same transaction as the change that causes them (a transactional outbox), so an
 * invitation is never sent for a user that was not saved, and never lost if the mail server is down.
 */
export function createOutbox(crypto: FieldCrypto, clock: () => Date = () => new Date()) {
  return {
    async enqueueWith(executor: Executor, email: OutgoingEmail): Promise<string> {
      const id = newId();
      const now = nowIso(clock);
      await executor
        .insertInto('outbox_messages')
        .values({
          id,
          recipient_enc: crypto.encrypt(email.to),
          subject: email.subject,
          body_text: crypto.encrypt(email.body),
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          last_error: null,
          created_at: now,
          sent_at: null,
        })
        .execute();
      return id;
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
