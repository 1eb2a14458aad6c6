import type { Command } from 'commander';
import type { Services } from '../services.js';
import { complain, say } from './output.js';
import { withPlatform } from './platform.js';

/** Messages not yet sent: waiting for SMTP, being sent, or given up on. */
const UNSENT = ['pending', 'sending', 'failed'] as const;

/** Every unsent message, or the one with `id`, with its recipient decrypted. */
async function unsentMessages(services: Services, id?: string) {
  let query = services.db.kysely.selectFrom('outbox_messages').selectAll().where('status', 'in', UNSENT);
  if (id !== undefined) query = query.where('id', '=', id);
  const rows = await query.orderBy('created_at').execute();
  return rows.map((row) => ({ ...row, recipient: services.crypto.decrypt(row.recipient_enc) }));
}

/**
 * Without SMTP_URL (the embedded default) invitations and password resets wait in the outbox, encrypted: on a
 * machine for trying the platform out, this is how their links are read. Where email is sent (SMTP_URL) or in
 * production they go by email only, and a link printed here would let whoever reads the terminal use it, so `show`
 * is refused there; where it is allowed, each message shown is audited.
 */
export function registerOutboxCommand(program: Command): void {
  const outbox = program.command('outbox').description('Emails waiting to be sent (without SMTP_URL they wait here): list them, or show one on a trial machine.');

  outbox
    .command('list')
    .description('List the emails not yet sent: when, to whom, subject, state.')
    .action(async () => {
      await withPlatform(async (services) => {
        const messages = await unsentMessages(services);
        const lines = messages.map((message) => `${message.id}  ${message.created_at}  ${message.status.padEnd(7)}  ${message.recipient}  ${message.subject}`);
        say(...(lines.length > 0 ? lines : ['No emails waiting.']));
      });
    });

  outbox
    .command('show')
    .description('Print one waiting email, with its link (refused in production or with SMTP_URL: there links go by email only).')
    .argument('<id>', 'an id from `outbox list`')
    .action(async (id: string) => {
      await withPlatform(async (services) => {
        if (services.config.NODE_ENV === 'production' || services.config.SMTP_URL) {
          complain('Refused where email is sent (production, or SMTP_URL set): an email holds a sign-in link for its recipient alone. See `jobs list` for the outbox job.');
          return;
        }
        const [message] = await unsentMessages(services, id.trim());
        if (!message) {
          complain(`No waiting email with id ${id.trim()}: see \`npm run cli -- outbox list\`.`);
          return;
        }
        await services.audit.record({ action: 'OUTBOX_MESSAGE_SHOWN', details: { messageId: message.id } });
        say(`To: ${message.recipient}`, `Subject: ${message.subject}`, '', services.crypto.decrypt(message.body_text));
      });
    });
}
