import type { Actor } from '../../platform/access/policy.js';
import type { UserService } from '../../platform/access/user-service.js';
import { AUDIT_ACTIONS, type AuditAction } from '../../platform/audit/catalogue.js';
import { actedBy, type AuditService, type AuditVerification } from '../../platform/audit/service.js';
import type { RequestOrigin } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db/database.js';
import type { ReferenceService } from '../admin/reference-service.js';
import { endOfLondonDay, startOfLondonDay } from '../../platform/time/london.js';
import { countEvents, eventsBelow, findEvents, latestSeq, type AuditEventRow, type AuditFilter } from './repository.js';
import type { AuditFilterQuery } from './schemas.js';

export const PAGE_SIZE = 50;
const EXPORT_BATCH = 1000;

export interface DisplayEvent {
  readonly seq: number;
  readonly id: string;
  readonly at: string;
  readonly action: string;
  readonly actionDescription: string;
  readonly outcome: AuditEventRow['outcome'];
  readonly actorUserId: string | null;
  readonly actorName: string;
  readonly organisationId: string | null;
  readonly organisationName: string;
  readonly recordType: string | null;
  readonly recordId: string | null;
  readonly ip: string | null;
  readonly requestId: string | null;
  readonly details: ReadonlyArray<{ key: string; value: string }>;
  readonly hash: string;
}

export type ResolvedFilter = { readonly ok: true; readonly filter: AuditFilter } | { readonly ok: false; readonly field: string; readonly message: string };

export interface AuditSearchDeps {
  readonly db: Db;
  readonly audit: AuditService;
  readonly users: UserService;
  readonly reference: ReferenceService;
}

/** Only identifiers and codes go into the audit event about a search: the email typed is replaced by the account id. */
function describeFilter(filter: AuditFilter): Record<string, string> {
  return Object.fromEntries(Object.entries(filter).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function describeAction(action: string): string {
  return action in AUDIT_ACTIONS ? AUDIT_ACTIONS[action as AuditAction] : 'Unknown action';
}

function parseDetails(stored: string): Array<{ key: string; value: string }> {
  try {
    const parsed: unknown = JSON.parse(stored);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return [{ key: 'details', value: stored }];
    return Object.entries(parsed as Record<string, unknown>).map(([key, value]) => ({ key, value: typeof value === 'string' ? value : JSON.stringify(value) }));
  } catch {
    return [{ key: 'details', value: stored }];
  }
}

/** Searching, exporting and checking the audit trail. Looking at the trail is itself recorded in it. */
export function createAuditSearchService({ db, audit, users, reference }: AuditSearchDeps) {
  let running: Promise<AuditVerification & { readonly seconds: number }> | undefined;

  /** Turns ids into names for people reading the trail, remembering each answer for the rest of one request. */
  async function namer() {
    const organisations = new Map((await reference.listOrganisations()).map((organisation) => [organisation.id, organisation.name]));
    const actors = new Map<string, string>();
    return async (row: AuditEventRow): Promise<DisplayEvent> => {
      let actorName = 'No signed-in person (system or operator)';
      if (row.actor_user_id) {
        let name = actors.get(row.actor_user_id);
        if (name === undefined) {
          name = (await users.get(row.actor_user_id))?.name ?? 'Account no longer exists';
          actors.set(row.actor_user_id, name);
        }
        actorName = name;
      }
      return {
        seq: row.seq,
        id: row.id,
        at: row.at,
        action: row.action,
        actionDescription: describeAction(row.action),
        outcome: row.outcome,
        actorUserId: row.actor_user_id,
        actorName,
        organisationId: row.actor_organisation_id,
        organisationName: row.actor_organisation_id ? (organisations.get(row.actor_organisation_id) ?? 'Unknown organisation') : '',
        recordType: row.record_type,
        recordId: row.record_id,
        ip: row.ip,
        requestId: row.request_id,
        details: parseDetails(row.details),
        hash: row.hash,
      };
    };
  }

  return {
    /** From what was typed to what is stored: UK days become UTC instants and an email becomes an account id. */
    async resolveFilter(query: AuditFilterQuery): Promise<ResolvedFilter> {
      let actorUserId: string | undefined;
      if (query.actor) {
        const user = await users.findByEmail(query.actor);
        if (!user) return { ok: false, field: 'actor', message: 'There is no account with this email address' };
        actorUserId = user.id;
      }
      if (query.organisation && !(await reference.getOrganisation(query.organisation))) {
        return { ok: false, field: 'organisation', message: 'Select an organisation from the list' };
      }
      return {
        ok: true,
        filter: {
          since: query.from ? startOfLondonDay(query.from) : undefined,
          before: query.to ? endOfLondonDay(query.to) : undefined,
          action: query.action,
          actorUserId,
          organisationId: query.organisation,
          recordType: query.recordType,
          recordId: query.recordId,
          outcome: query.outcome,
        },
      };
    },

    /**
     * One page of the events matching `filter`, newest first, among those up to `upTo` (an earlier page's): the
     * first page fixes it, so the pages after it hold the same events however many are recorded meanwhile (each
     * page read is one of them).
     */
    async search(actor: Actor, filter: AuditFilter, page: number, upTo: number | undefined, origin: RequestOrigin) {
      const upToSeq = upTo ?? (await latestSeq(db.kysely));
      const pinned = { ...filter, upToSeq };
      const total = await countEvents(db.kysely, pinned);
      const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
      const current = Math.min(page, pageCount);
      const rows = await findEvents(db.kysely, pinned, PAGE_SIZE, (current - 1) * PAGE_SIZE);
      const name = await namer();
      const events: DisplayEvent[] = [];
      for (const row of rows) events.push(await name(row));
      await audit.record({
        action: 'AUDIT_SEARCHED',
        ...actedBy(actor),
        details: { ...describeFilter(filter), page: current, matches: total, upToSeq },
        ...origin,
      });
      return { events, total, page: current, pageCount, pageSize: PAGE_SIZE, upToSeq };
    },

    /**
     * Every matching event, newest first, up to the search page's newest (or as of the moment the export starts).
     * The export is recorded before the first row is sent, so a download cut short is still on the record.
     */
    async exportEvents(actor: Actor, filter: AuditFilter, upToSeq: number | undefined, origin: RequestOrigin): Promise<{ count: number; events: AsyncIterable<DisplayEvent> }> {
      const upTo = upToSeq ?? (await latestSeq(db.kysely));
      const count = await countEvents(db.kysely, { ...filter, upToSeq: upTo });
      await audit.record({
        action: 'AUDIT_EXPORTED',
        ...actedBy(actor),
        details: { ...describeFilter(filter), rows: count, upToSeq: upTo },
        ...origin,
      });
      const name = await namer();
      async function* batches(): AsyncGenerator<DisplayEvent> {
        let below = upTo + 1;
        for (;;) {
          const rows = await eventsBelow(db.kysely, filter, below, EXPORT_BATCH);
          for (const row of rows) yield await name(row);
          const last = rows.at(-1);
          if (!last || rows.length < EXPORT_BATCH) return;
          below = last.seq;
        }
      }
      return { count, events: batches() };
    },

    /** Reads the whole chain; one check at a time per instance however many people ask at once. */
    verify(): Promise<AuditVerification & { readonly seconds: number }> {
      running ??= (async () => {
        const started = performance.now();
        try {
          const result = await audit.verify();
          return { ...result, seconds: (performance.now() - started) / 1000 };
        } finally {
          running = undefined;
        }
      })();
      return running;
    },
  };
}

export type AuditSearchService = ReturnType<typeof createAuditSearchService>;
