import { can, type Actor } from '../../../platform/access/policy.js';
import { isUniqueViolation } from '../../../platform/db/unique-violation.js';
import { actedBy, type AuditService } from '../../../platform/audit/service.js';
import type { RequestOrigin } from '../../../platform/auth/service.js';
import type { FieldCrypto } from '../../../platform/crypto/field-crypto.js';
import type { Db } from '../../../platform/db/database.js';
import { newId, nowIso } from '../../../platform/db/ids.js';
import { assertUpdated } from '../../../platform/db/versioning.js';
import { UserFacingError } from '../../../platform/http/errors.js';
import type { CallbackStatus } from '../tables.js';
import { callbackMadeBy, countNewCallbacks, deleteCallbacksBefore, findCallbackForOrganisation, insertCallback, listCallbacksForOrganisation, receiverOfService, updateCallbackStatus } from './repository.js';

export const SAFE_TIME_OPTIONS = ['weekday-morning', 'weekday-afternoon', 'weekday-evening', 'weekend'] as const;
export type SafeTime = (typeof SAFE_TIME_OPTIONS)[number];

export interface CallbackRequestInput {
  readonly name: string | null;
  readonly phone: string;
  readonly safeTimes: readonly SafeTime[];
  readonly safeTimesDetail: string | null;
  readonly leaveMessage: 'yes' | 'no';
  readonly safeWord: string | null;
  readonly notes: string | null;
}

/** Closed requests are deleted after this many days; any request after the longer limit. */
export const RETENTION_DAYS = { closed: 30, any: 90 } as const;

export interface CallbackDeps {
  readonly db: Db;
  readonly crypto: FieldCrypto;
  readonly audit: AuditService;
  readonly clock: () => Date;
}

/**
 * Safe call-back requests: a person on the public site asks a service to phone them. Everything they type is
 * encrypted; the request goes only to the partner organisation that runs the service, and every view is audited.
 * Nothing is ever sent to the person (no email, no text): a message could be seen by the person harming them.
 */
export function createCallbackService({ db, crypto, audit, clock }: CallbackDeps) {
  /** Need to know: another organisation's request (or none at all) is "not found", and the attempt is on the trail. */
  async function refuse(actor: Actor, id: string, origin: RequestOrigin): Promise<never> {
    await audit.record({ action: 'CALLBACK_ACCESS_REFUSED', outcome: 'denied', ...actedBy(actor, origin), recordType: 'callback_request', recordId: id.slice(0, 64) });
    throw new UserFacingError(404, 'There is no such call-back request for your organisation.', 'Not found');
  }

  return {
    /** 'unavailable' when the service's organisation is no longer linked to a partner that could receive it. */
    /**
     * `submission` identifies this sending of the form (see csrf.ts): sent again, it makes no second request and
     * answers as the first did.
     */
    async request(serviceId: string, input: CallbackRequestInput, origin: RequestOrigin, submission?: string): Promise<'sent' | 'unavailable'> {
      try {
        return await db.kysely.transaction().execute(async (trx) => {
          const receiver = await receiverOfService(trx, serviceId);
          if (!receiver) return 'unavailable';
          if (submission && (await callbackMadeBy(trx, submission))) return 'sent';
          const id = newId();
          const now = nowIso(clock);
          await insertCallback(trx, {
            id,
            service_id: serviceId,
            organisation_id: receiver,
            name_enc: crypto.encryptOptional(input.name),
            phone_enc: crypto.encrypt(input.phone),
            safe_times_enc: crypto.encrypt(JSON.stringify({ times: input.safeTimes, detail: input.safeTimesDetail })),
            leave_message: input.leaveMessage,
            safe_word_enc: crypto.encryptOptional(input.safeWord),
            notes_enc: crypto.encryptOptional(input.notes),
            status: 'new',
            handled_by: null,
            version: 1,
            created_at: now,
            updated_at: now,
            submission_hash: submission ?? null,
          });
          // The person is anonymous: the audit event names the request and service, never the address they came from.
          await audit.recordWith(trx, { action: 'CALLBACK_REQUESTED', recordType: 'callback_request', recordId: id, requestId: origin.requestId, details: { serviceId } });
          return 'sent';
        });
      } catch (error) {
        // The same sending, arrived at the same moment on another connection, made the request first.
        if (isUniqueViolation(error, 'directory_callback_requests', 'submission_hash')) return 'sent';
        throw error;
      }
    },

    /** Requests the actor's own organisation received. */
    async inbox(actor: Actor, status: CallbackStatus | 'open', origin: RequestOrigin) {
      if (!can(actor, 'callbacks.receive')) return [];
      const rows = await listCallbacksForOrganisation(db.kysely, actor.organisationId, status);
      // The list holds no personal details (dates, service, status); who looked at it and when is still on the trail.
      await audit.record({ action: 'CALLBACK_LIST_VIEWED', ...actedBy(actor, origin), recordType: 'callback_request', details: { status, count: rows.length } });
      return rows;
    },

    /** For the home page: how many requests to the actor's organisation are new. A count, so not audited as a read. */
    async newCount(actor: Actor): Promise<number> {
      return can(actor, 'callbacks.receive') ? countNewCallbacks(db.kysely, actor.organisationId) : 0;
    },

    async view(actor: Actor, id: string, origin: RequestOrigin) {
      const row = can(actor, 'callbacks.receive') ? await findCallbackForOrganisation(db.kysely, id, actor.organisationId) : undefined;
      if (!row) return refuse(actor, id, origin);
      await audit.record({ action: 'CALLBACK_VIEWED', ...actedBy(actor, origin), recordType: 'callback_request', recordId: id });
      const times = JSON.parse(crypto.decrypt(row.safe_times_enc)) as { times: SafeTime[]; detail: string | null };
      return {
        id: row.id,
        serviceId: row.service_id,
        serviceName: row.service_name,
        status: row.status,
        version: row.version,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        handledBy: row.handled_by,
        name: crypto.decryptOptional(row.name_enc),
        phone: crypto.decrypt(row.phone_enc),
        safeTimes: times.times,
        safeTimesDetail: times.detail,
        leaveMessage: row.leave_message,
        safeWord: crypto.decryptOptional(row.safe_word_enc),
        notes: crypto.decryptOptional(row.notes_enc),
      };
    },

    async setStatus(actor: Actor, id: string, version: number, status: Exclude<CallbackStatus, 'new'>, origin: RequestOrigin): Promise<void> {
      // Checked before the transaction, so a refusal is recorded rather than rolled back; the receiver never changes.
      const row = can(actor, 'callbacks.receive') ? await findCallbackForOrganisation(db.kysely, id, actor.organisationId) : undefined;
      if (!row) return refuse(actor, id, origin);
      await db.kysely.transaction().execute(async (trx) => {
        assertUpdated(await updateCallbackStatus(trx, id, version, status, actor.userId, nowIso(clock)), 'call-back request');
        await audit.recordWith(trx, { action: 'CALLBACK_UPDATED', ...actedBy(actor, origin), recordType: 'callback_request', recordId: id, details: { status } });
      });
    },

    /** Retention: a call-back request is only needed until someone has called. */
    async deleteExpired(): Promise<number> {
      const now = clock().getTime();
      const day = 24 * 60 * 60 * 1000;
      return deleteCallbacksBefore(db.kysely, new Date(now - RETENTION_DAYS.closed * day).toISOString(), new Date(now - RETENTION_DAYS.any * day).toISOString());
    },
  };
}

export type CallbackService = ReturnType<typeof createCallbackService>;
