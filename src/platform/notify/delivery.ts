import { createTransport, type Transporter } from 'nodemailer';
import type { FieldCrypto } from '../crypto/field-crypto.js';
import type { Db } from '../db/database.js';
import { claimNextDue, countByStatus, linkStillUsable, settle, type OutboxRow } from './repository.js';

/** After this many attempts a message is marked failed. With the doubling delay below that is about 8½ hours. */
export const MAX_ATTEMPTS = 10;
/** How long a claimed message is ours before another instance may assume we stopped mid-send. */
const LEASE_MS = 5 * 60 * 1000;
/** One run stops claiming after this long, so a minute-by-minute schedule does not pile runs up. */
const RUN_BUDGET_MS = 45 * 1000;
const MAX_PER_RUN = 500;

export interface DeliveryDeps {
  readonly db: Db;
  readonly crypto: FieldCrypto;
  readonly clock: () => Date;
  readonly smtpUrl: string | undefined;
  readonly from: string;
}

export interface DeliveryReport {
  /** False when SMTP_URL is not set: nothing was attempted. */
  readonly configured: boolean;
  readonly sent: number;
  readonly retrying: number;
  readonly failed: number;
  /** Not sent because the link in them had expired while they waited. */
  readonly expired: number;
  /** Not sent because their one-time link was used or replaced, or its account disabled, while they waited: nobody needs them. */
  readonly withdrawn: number;
  /** Messages still pending after this run. */
  readonly waiting: number;
  /** True when the run stopped because the mail server could not be used at all. */
  readonly serverUnavailable: boolean;
}

/** 1, 2, 4, 8 ... minutes after the first, second, third ... failed attempt. */
export function retryDelayMs(attempts: number): number {
  return 60_000 * 2 ** Math.max(0, attempts - 1);
}

export interface SendFailure {
  /** Safe to store and log: an error code and SMTP status, never the server's words (they can quote the address). */
  readonly code: string;
  /** The server refused this message for good (5xx): trying again would not help. */
  readonly permanent: boolean;
  /** The server could not be reached or refused us: no point trying the other messages in this run. */
  readonly serverLevel: boolean;
}

const SERVER_LEVEL_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EAUTH', 'EPROTOCOL', 'ECONNREFUSED', 'ECONNRESET', 'ENOAUTH', 'EOAUTH2']);

export function describeSendFailure(error: unknown): SendFailure {
  const { code, responseCode } = (typeof error === 'object' && error !== null ? error : {}) as { code?: unknown; responseCode?: unknown };
  const safeCode = typeof code === 'string' && /^[A-Z0-9_]{2,24}$/.test(code) ? code : 'ERROR';
  const status = typeof responseCode === 'number' && responseCode >= 200 && responseCode < 600 ? responseCode : undefined;
  const serverLevel = SERVER_LEVEL_CODES.has(safeCode);
  return {
    code: status === undefined ? safeCode : `${safeCode} SMTP ${String(status)}`,
    permanent: !serverLevel && status !== undefined && status >= 500,
    serverLevel,
  };
}

/** Sends what is due in the outbox through SMTP. Safe to run on several instances at once. */
export function createOutboxDelivery(deps: DeliveryDeps) {
  const { db, crypto, clock } = deps;
  const transport: Transporter | undefined = deps.smtpUrl
    ? createTransport({ url: deps.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 })
    : undefined;
  let stopping = false;

  async function sendOne(row: OutboxRow): Promise<'sent' | SendFailure> {
    if (!transport) throw new Error('No SMTP transport');
    let to: string;
    let text: string;
    try {
      to = crypto.decrypt(row.recipient_enc);
      text = crypto.decrypt(row.body_text);
    } catch {
      return { code: 'DECRYPT', permanent: true, serverLevel: false };
    }
    try {
      await transport.sendMail({
        from: deps.from,
        to,
        subject: row.subject,
        text,
        headers: { 'Auto-Submitted': 'auto-generated' },
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      return 'sent';
    } catch (error: unknown) {
      return describeSendFailure(error);
    }
  }

  async function settleFailure(row: OutboxRow, failure: SendFailure): Promise<'retrying' | 'failed'> {
    const giveUp = failure.permanent || row.attempts >= MAX_ATTEMPTS;
    const now = clock().getTime();
    await settle(db, row, {
      status: giveUp ? 'failed' : 'pending',
      nextAttemptAt: new Date(giveUp ? now : now + retryDelayMs(row.attempts)).toISOString(),
      error: failure.code,
    });
    return giveUp ? 'failed' : 'retrying';
  }

  return {
    configured: transport !== undefined,

    async deliverDue(): Promise<DeliveryReport> {
      const tally = { sent: 0, retrying: 0, failed: 0, expired: 0, withdrawn: 0 };
      let serverUnavailable = false;
      if (transport) {
        const started = performance.now();
        for (let count = 0; count < MAX_PER_RUN && performance.now() - started < RUN_BUDGET_MS && !stopping; count += 1) {
          const now = clock();
          const row = await claimNextDue(db, now.toISOString(), new Date(now.getTime() + LEASE_MS).toISOString());
          if (!row) break;
          if (row.send_before !== null && now.toISOString() >= row.send_before) {
            if (await settle(db, row, { status: 'failed', nextAttemptAt: now.toISOString(), error: 'EXPIRED' })) tally.expired += 1;
            continue;
          }
          if (row.link_token_id !== null && !(await linkStillUsable(db, row.link_token_id, now.toISOString()))) {
            if (await settle(db, row, { status: 'failed', nextAttemptAt: now.toISOString(), error: 'LINK_WITHDRAWN' })) tally.withdrawn += 1;
            continue;
          }
          const outcome = await sendOne(row);
          if (outcome === 'sent') {
            if (await settle(db, row, { status: 'sent', sentAt: clock().toISOString() })) tally.sent += 1;
            continue;
          }
          tally[await settleFailure(row, outcome)] += 1;
          if (outcome.serverLevel) {
            serverUnavailable = true;
            break;
          }
        }
      }
      const counts = await countByStatus(db);
      return { configured: transport !== undefined, ...tally, waiting: counts.pending + counts.sending, serverUnavailable };
    },

    status: () => countByStatus(db),

    /**
     * The instance is shutting down: a run under way finishes the message it is sending and claims no more, so it
     * ends well within the scheduler's wait (a message left claimed would wait out its 5-minute lease elsewhere).
     */
    stopClaiming(): void {
      stopping = true;
    },

    close(): void {
      transport?.close();
    },
  };
}

export type OutboxDelivery = ReturnType<typeof createOutboxDelivery>;
