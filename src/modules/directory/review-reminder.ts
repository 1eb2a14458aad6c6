import { activeHoldersOf } from '../../platform/access/users.js';
import type { FieldCrypto } from '../../platform/crypto/field-crypto.js';
import type { Executor } from '../../platform/db/database.js';
import type { Outbox } from '../../platform/notify/outbox.js';

export const REVIEW_REMINDER_SUBJECT = 'Directory services are due for review';

export interface ReviewReminderDeps {
  readonly crypto: FieldCrypto;
  readonly outbox: Outbox;
  readonly baseUrl: string;
}

/** A nudge and a link, as every platform email (platform/notify/message-guard.ts): the list itself is behind sign-in. */
export function reviewReminderBody(baseUrl: string): string {
  return [
    'One or more services in the public directory have not been checked for 6 months.',
    'People looking for help rely on their details being right.',
    '',
    'Sign in to see which, and confirm or correct them:',
    `${baseUrl.replace(/\/$/, '')}/app/directory/reviews`,
    '',
    'This is an automatic message from the Kent and Medway Domestic Abuse Partnership Platform.',
  ].join('\n');
}

/** Emails everyone who can edit the directory, in the transaction that flagged the services; returns how many. */
export async function remindEditors(executor: Executor, { crypto, outbox, baseUrl }: ReviewReminderDeps): Promise<number> {
  const editors = await activeHoldersOf(executor, 'directory.manage');
  for (const editor of editors) {
    await outbox.enqueueWith(executor, { to: crypto.decrypt(editor.email_enc), subject: REVIEW_REMINDER_SUBJECT, body: reviewReminderBody(baseUrl) });
  }
  return editors.length;
}
