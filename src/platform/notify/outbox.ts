import type { Executor } from '../db/database.js';
import type { FieldCrypto } from '../crypto/field-crypto.js';
import { newId, nowIso } from '../db/ids.js';
import { checkEmail } from './message-guard.js';

export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  /** Plain text with at most a link into the platform: never case detail (see message-guard.ts for why). */
  readonly body: string;
  /** When the link in the body stops working (ISO instant): the message is not sent after that. */
  readonly sendBefore?: string;
  /** The one-time link it carries (user_tokens.id): the message is not sent once that link is used or replaced. */
  readonly linkTokenId?: string;
}

/**
 * Messages are written in the same transaction as the change that causes them (a transactional outbox), so an
 * invitation is never sent for a user that was not saved, and never lost if the mail server is down. The
 * recipient and body are encrypted at rest; delivery.ts sends them.
 */
export function createOutbox(crypto: FieldCrypto, clock: () => Date, baseUrl: string) {
  return {
    /** Throws UnsafeEmailError (and so rolls back the caller's transaction) for anything but plain text and platform links. */
    async enqueueWith(executor: Executor, email: OutgoingEmail): Promise<string> {
      const checked = checkEmail(email, baseUrl);
      const id = newId();
      const now = nowIso(clock);
      await executor
        .insertInto('outbox_messages')
        .values({
          id,
          recipient_enc: crypto.encrypt(checked.to),
          subject: checked.subject,
          body_text: crypto.encrypt(checked.body),
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          last_error: null,
          created_at: now,
          sent_at: null,
          send_before: email.sendBefore ?? null,
          link_token_id: email.linkTokenId ?? null,
        })
        .execute();
      return id;
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
