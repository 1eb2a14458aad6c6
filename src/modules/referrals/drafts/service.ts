import type { Actor } from '../../../platform/access/policy.js';
import { actedBy, type AuditEntry, type AuditService } from '../../../platform/audit/service.js';
import type { RequestOrigin } from '../../../platform/auth/service.js';
import type { FieldCrypto } from '../../../platform/crypto/field-crypto.js';
import type { Db } from '../../../platform/db/database.js';
import { newId, nowIso } from '../../../platform/db/ids.js';
import { assertUpdated } from '../../../platform/db/versioning.js';
import { UserFacingError } from '../../../platform/http/errors.js';
import { referralFromDraft } from '../repository.js';
import { deleteDraftRow, deleteDraftsUnchangedSince, draftRow, draftRowsOf, draftsUnchangedSince, insertDraftRow, updateDraftRow } from './repository.js';

/** A draft holds a person's details in full: one left unchanged this long is deleted, and the drafts page says so. */
export const DRAFT_KEPT_DAYS = 30;
const EXPIRY_BATCH = 500;

/** The answers of each page saved so far, keyed by page slug (and UNFINISHED: see keepUnfinished). */
export type DraftAnswers = Record<string, Record<string, unknown>>;

/** Not a page: what was typed on pages saved for later before they were finished, keyed by page slug. */
export const UNFINISHED = '~unfinished';

/** What was typed on a page saved for later before it was finished, to show again; undefined if none. */
export function unfinishedPage(answers: DraftAnswers, slug: string): Record<string, unknown> | undefined {
  const typed = answers[UNFINISHED]?.[slug];
  return typeof typed === 'object' && typed !== null ? (typed as Record<string, unknown>) : undefined;
}

export interface Draft {
  readonly id: string;
  readonly answers: DraftAnswers;
  readonly lastPage: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface DraftDeps {
  readonly db: Db;
  readonly crypto: FieldCrypto;
  readonly audit: AuditService;
  readonly clock: () => Date;
}

const NOT_FOUND = new UserFacingError(404, 'This draft may have been sent or deleted. Your drafts are listed under “Your referrals”.', 'Draft not found');
const SENT = new UserFacingError(404, 'This draft has been sent. The referral it became is listed under “Your referrals”.', 'Draft already sent');

/**
 * Referral drafts, saved in the database on every page so that a timed-out session loses nothing: after
 * signing in again the draft is listed under "Your referrals". Only the person who started a draft sees it.
 */
export function createDraftService({ db, crypto, audit, clock }: DraftDeps) {
  const decode = (stored: string) => JSON.parse(crypto.decrypt(stored)) as DraftAnswers;

  function viewed(actor: Actor, id: string, page: string, origin: RequestOrigin): AuditEntry {
    return { action: 'REFERRAL_DRAFT_VIEWED', recordType: 'referral_draft', recordId: id, ...actedBy(actor, origin), details: { page } };
  }

  /**
   * No draft of this person's by that id. One they sent is not a refusal (a second press of Send, an old tab): they
   * are told it was sent. Anything else (someone else's draft, an id made up, or their own draft deleted or expired,
   * which leaves no trace of whose it was) is refused and recorded as such.
   */
  async function refuse(actor: Actor, id: string, origin: RequestOrigin): Promise<never> {
    if (await referralFromDraft(db.kysely, id, actor.userId)) throw SENT;
    await audit.record({ action: 'REFERRAL_ACCESS_REFUSED', outcome: 'denied', recordType: 'referral_draft', recordId: id.slice(0, 64), ...actedBy(actor, origin) });
    throw NOT_FOUND;
  }

  async function load(actor: Actor, id: string, origin: RequestOrigin): Promise<Draft> {
    const row = await draftRow(db.kysely, id, actor.userId);
    if (!row) return refuse(actor, id, origin);
    return { id: row.id, answers: decode(row.answers_enc), lastPage: row.last_page, createdAt: row.created_at, updatedAt: row.updated_at };
  }

  /** Reads a draft, changes its answers with `next` and writes them under the draft's version, with its audit event. */
  async function change(actor: Actor, id: string, page: string, origin: RequestOrigin, next: (answers: DraftAnswers) => DraftAnswers): Promise<Draft> {
    const saved = await audit.transaction(async (trx) => {
      const row = await draftRow(trx, id, actor.userId);
      if (!row) return undefined;
      const answers = next(decode(row.answers_enc));
      const updatedAt = nowIso(clock);
      assertUpdated(await updateDraftRow(trx, id, actor.userId, row.version, { answers_enc: crypto.encrypt(JSON.stringify(answers)), last_page: page, updated_at: updatedAt }), 'draft referral');
      await audit.recordWith(trx, { action: 'REFERRAL_DRAFT_SAVED', recordType: 'referral_draft', recordId: id, ...actedBy(actor, origin), details: { page } });
      return { id, answers, lastPage: page, createdAt: row.created_at, updatedAt };
    });
    return saved ?? refuse(actor, id, origin);
  }

  return {
    async start(actor: Actor, origin: RequestOrigin): Promise<string> {
      const id = newId();
      const now = nowIso(clock);
      await audit.transaction(async (trx) => {
        await insertDraftRow(trx, { id, user_id: actor.userId, organisation_id: actor.organisationId, answers_enc: crypto.encrypt('{}'), last_page: 'start', created_at: now, updated_at: now, version: 1 });
        await audit.recordWith(trx, { action: 'REFERRAL_DRAFT_STARTED', recordType: 'referral_draft', recordId: id, ...actedBy(actor, origin) });
      });
      return id;
    },

    /** Reads a draft to show one of its pages; the read is audited like any read of case data. */
    async view(actor: Actor, id: string, page: string, origin: RequestOrigin): Promise<Draft> {
      const draft = await load(actor, id, origin);
      await audit.record(viewed(actor, id, page, origin));
      return draft;
    },

    /**
     * Reads a draft to send it. The read is audited like any other, by the caller: `viewed` goes into the
     * submission's own audit step (one step of the chain, not two), or is recorded on its own if nothing is sent.
     */
    async openToSend(actor: Actor, id: string, origin: RequestOrigin): Promise<{ draft: Draft; viewed: AuditEntry }> {
      return { draft: await load(actor, id, origin), viewed: viewed(actor, id, 'submit', origin) };
    },

    /** Saves one page's answers into the draft (read, merge and write under the draft's version). */
    savePage(actor: Actor, id: string, page: string, data: Record<string, unknown>, origin: RequestOrigin): Promise<Draft> {
      return change(actor, id, page, origin, (answers) => {
        const { [page]: _finished, ...unfinished } = answers[UNFINISHED] ?? {};
        return { ...answers, [page]: data, [UNFINISHED]: unfinished };
      });
    },

    /**
     * Keeps what was typed on a page that is not finished (it does not pass its checks) when the practitioner
     * saves it to come back later: nothing typed is lost, and the page is still to be answered before sending.
     */
    keepUnfinished(actor: Actor, id: string, page: string, typed: Record<string, unknown>, origin: RequestOrigin): Promise<Draft> {
      return change(actor, id, page, origin, (answers) => ({ ...answers, [UNFINISHED]: { ...answers[UNFINISHED], [page]: typed } }));
    },

    async remove(actor: Actor, id: string, origin: RequestOrigin): Promise<void> {
      const removed = await audit.transaction(async (trx) => {
        if (!(await deleteDraftRow(trx, id, actor.userId))) return false;
        await audit.recordWith(trx, { action: 'REFERRAL_DRAFT_DELETED', recordType: 'referral_draft', recordId: id, ...actedBy(actor, origin) });
        return true;
      });
      if (!removed) await refuse(actor, id, origin);
    },

    /**
     * Deletes drafts unchanged for DRAFT_KEPT_DAYS (a form started and abandoned keeps a person's details for no
     * purpose), each deletion recorded with the practitioner it belonged to. In batches, so no transaction is long.
     */
    async deleteAbandoned(): Promise<number> {
      const before = new Date(clock().getTime() - DRAFT_KEPT_DAYS * 24 * 60 * 60 * 1000).toISOString();
      let deleted = 0;
      for (;;) {
        const batch = await audit.transaction(async (trx) => {
          const stale = await draftsUnchangedSince(trx, before, EXPIRY_BATCH);
          const deleted = new Set(await deleteDraftsUnchangedSince(trx, stale.map((row) => row.id), before));
          await audit.recordAllWith(
            trx,
            stale
              .filter((row) => deleted.has(row.id))
              .map((row) => ({ action: 'REFERRAL_DRAFT_EXPIRED', recordType: 'referral_draft', recordId: row.id, details: { userId: row.user_id, lastSaved: row.updated_at, keptDays: DRAFT_KEPT_DAYS } })),
          );
          return stale.length;
        });
        deleted += batch;
        if (batch < EXPIRY_BATCH) return deleted;
      }
    },

    /** The practitioner's own drafts, with the names in them: a read of case data, recorded when there are any. */
    async listOwn(actor: Actor, origin: RequestOrigin): Promise<Draft[]> {
      const rows = await draftRowsOf(db.kysely, actor.userId);
      if (rows.length > 0) await audit.record({ action: 'REFERRAL_DRAFT_LIST_VIEWED', ...actedBy(actor, origin), recordType: 'referral_draft', details: { count: rows.length, draftIds: rows.map((row) => row.id).join(',') } });
      return rows.map((row) => ({ id: row.id, answers: decode(row.answers_enc), lastPage: row.last_page, createdAt: row.created_at, updatedAt: row.updated_at }));
    },
  };
}

export type DraftService = ReturnType<typeof createDraftService>;
