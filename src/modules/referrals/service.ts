import { can, type Actor } from '../../platform/access/policy.js';
import type { AuditEntry, AuditService } from '../../platform/audit/service.js';
import type { RequestOrigin } from '../../platform/auth/service.js';
import type { FieldCrypto } from '../../platform/crypto/field-crypto.js';
import type { Db } from '../../platform/db/database.js';
import { newId } from '../../platform/db/ids.js';
import type { RowWrite } from '../../platform/db/row-write.js';
import { isUniqueViolation } from '../../platform/db/unique-violation.js';
import { UserFacingError } from '../../platform/http/errors.js';
import type { ReferenceService } from '../admin/reference-service.js';
import { wantedPerson, type IdentifyingFields } from './matching.js';
import { outcomeOf, type ReferralOutcome } from './outcome.js';
import { draftDeletion, leadOrganisationOf, plainInterpreterLanguages, referralById, referralFromDraft, referralsByReferrer, referralWrites, sealInterpreterLanguage } from './repository.js';
import { routeReferral } from './rules/engine.js';
import { targetSlugs } from './rules/schema.js';
import type { LoadedRuleSet, RoutingRules } from './rules/service.js';
import { MESSAGES, type ReferralInput } from './schemas.js';
import { buildReferralRows, earlierWindows, findEarlierReferrals, newReference, outcomeOfRows, routingInputOf, submissionEvents, type Submitter } from './submission.js';
import { loadReferralDetail, type ReferralDetail } from './detail.js';

/** A problem with what was sent, tied to the field it concerns (path segments as in the input). */
export class ReferralValidationError extends Error {
  constructor(readonly issues: ReadonlyArray<{ readonly path: readonly string[]; readonly message: string }>) {
    super(issues.map((issue) => issue.message).join('; '));
  }
}

export interface District {
  readonly code: string;
  readonly name: string;
  readonly authority: string;
  readonly maracArea: string;
}

export interface SubmitOptions {
  /** The draft the referral came from; deleted in the same transaction. */
  readonly draftId?: string;
  /** Audit events of the same request written with the submission's own, in its one step of the chain (the read of the draft). */
  readonly audit?: readonly AuditEntry[];
  /** The rules the request already read to check the input (the API's schema), so they are not read twice. */
  readonly rules?: ReferralRules;
  /** Rows written in the same statement as the referral's, given its outcome (the API stores its idempotent response here). */
  readonly alsoWrite?: (outcome: ReferralOutcome) => RowWrite;
}

/** What a referral is checked and routed against: the active rule sets, and the districts they cover. */
export interface ReferralRules {
  readonly active: readonly LoadedRuleSet[];
  readonly districts: readonly District[];
}

export interface ReferralServiceDeps {
  /** New referral references; `newReference` unless a test needs to choose them. */
  readonly referenceNumbers?: () => string;
  readonly db: Db;
  readonly crypto: FieldCrypto;
  readonly audit: AuditService;
  readonly rules: RoutingRules;
  readonly reference: ReferenceService;
  readonly clock: () => Date;
}

function districtsOf(areas: ReadonlyArray<{ code: string; name: string; authority: string }>, active: readonly LoadedRuleSet[]): District[] {
  return areas.flatMap((area) => {
    const ruleSet = active.find((candidate) => candidate.rules.districts.includes(area.code));
    return ruleSet ? [{ code: area.code, name: area.name, authority: area.authority, maracArea: ruleSet.maracArea }] : [];
  });
}

const REFERENCE_ATTEMPTS = 3;

const NOT_FOUND = new UserFacingError(404, 'If you typed the web address, check it is correct. If you followed a link, the referral may not be one you can see.', 'Page not found');

export function createReferralService({ db, crypto, audit, rules, reference, clock, referenceNumbers = newReference }: ReferralServiceDeps) {
  function context(actorUserId: string | null, actorOrganisationId: string, origin: RequestOrigin) {
    return { actorUserId, actorOrganisationId, ...origin };
  }

  async function referralRules(): Promise<ReferralRules> {
    const [areas, active] = await Promise.all([reference.listAreas(), rules.active()]);
    return { active, districts: districtsOf(areas, active) };
  }

  /** Districts a referral can be made for: those an active rule set covers. */
  async function districts(): Promise<District[]> {
    return [...(await referralRules()).districts];
  }

  /**
   * The referrer's own view ("What you sent": equality monitoring, every organisation it went to) is the referrer's
   * alone. A receiving organisation sees what it needs on its inbox page, through the route to it.
   */
  async function canSeeReferral(actor: Actor, referralId: string): Promise<boolean> {
    const referral = await db.kysely.selectFrom('referrals').select(['referrer_user_id']).where('id', '=', referralId).executeTakeFirst();
    return referral?.referrer_user_id === actor.userId && can(actor, 'referrals.create');
  }

  /** Need to know: anyone else gets "not found", never "forbidden", so a referral's existence is not confirmed. */
  async function requireVisible(actor: Actor, referralId: string, origin: RequestOrigin): Promise<void> {
    if (await canSeeReferral(actor, referralId)) return;
    await audit.record({ action: 'REFERRAL_ACCESS_REFUSED', outcome: 'denied', recordType: 'referral', recordId: referralId.slice(0, 64), ...context(actor.userId, actor.organisationId, origin) });
    throw NOT_FOUND;
  }

  /** Everything routing reads, and its decision: the same for a referral sent and for one previewed. */
  async function decide(input: ReferralInput, known?: ReferralRules) {
    const { active, districts: covered } = known ?? (await referralRules());
    const ruleSet = active.find((candidate) => candidate.rules.districts.includes(input.district));
    const district = covered.find((candidate) => candidate.code === input.district);
    if (!ruleSet || !district) throw new ReferralValidationError([{ path: ['district'], message: MESSAGES.unknownDistrict }]);
    const now = clock();
    const person = wantedPerson(crypto, input.person);
    const harm = wantedPerson(crypto, input.personCausingHarm);
    // Reads first, outside the transaction and side by side: the transaction then only writes.
    const [earlier, organisations] = await Promise.all([
      findEarlierReferrals(db.kysely, crypto, person, harm, earlierWindows(ruleSet, now, input.incidentDates)),
      reference.organisationsBySlug(targetSlugs(ruleSet.rules)),
    ]);
    const recentContact = earlier.recentReferralId ? await leadOrganisationOf(db.kysely, earlier.recentReferralId) : undefined;
    const maracNames = new Map(active.map((candidate) => [candidate.rules.maracArea, candidate.rules.name]));
    const named = { ...earlier, maracReferrals: earlier.maracReferrals.map((referral) => ({ ...referral, maracName: maracNames.get(referral.maracArea) })) };
    const decision = routeReferral(ruleSet.rules, routingInputOf(input, { districtName: district.name, referredAt: now.toISOString(), earlier: named }));
    return { ruleSet, earlier, organisations, recentContact, decision, now };
  }

  return {
    districts,
    referralRules,

    /** Encrypts interpreter languages kept in plain text by releases before it was encrypted; none left, none read. */
    async encryptPlainInterpreterLanguages(): Promise<number> {
      let encrypted = 0;
      for (const { id, language } of await plainInterpreterLanguages(db.kysely)) {
        encrypted += await sealInterpreterLanguage(db.kysely, id, language, crypto.encrypt(language));
      }
      return encrypted;
    },
    canSeeReferral,
    requireVisible,

    async submit(submitter: Submitter, input: ReferralInput, origin: RequestOrigin, options: SubmitOptions = {}): Promise<ReferralOutcome> {
      const { ruleSet, earlier, organisations, recentContact, decision, now } = await decide(input, options.rules);
      const who = context(submitter.kind === 'user' ? submitter.userId : null, submitter.organisationId, origin);
      const organisationIds = new Map(organisations.map((row) => [row.slug, row.id]));
      for (let attempt = 1; ; attempt += 1) {
        const rows = buildReferralRows({ crypto, id: newId(), reference: referenceNumbers(), submitter, input, ruleSet, decision, organisationIds, earlier, now, draftId: submitter.kind === 'user' ? options.draftId : undefined });
        const outcome = outcomeOfRows(rows, organisations, recentContact);
        const events = [...(options.audit ?? []), ...submissionEvents(rows, decision, ruleSet, earlier, who)];
        const alsoWrite = [...(options.draftId && submitter.kind === 'user' ? [draftDeletion(options.draftId, submitter.userId)] : []), ...(options.alsoWrite ? [options.alsoWrite(outcome)] : [])];
        try {
          await audit.writeWithEvents([...referralWrites(rows), ...alsoWrite], events);
          return outcome;
        } catch (error) {
          // A reference already taken (one chance in 500 billion) undoes the whole write: write it again with another.
          if (attempt >= REFERENCE_ATTEMPTS || !isUniqueViolation(error, 'referrals', 'reference')) throw error;
        }
      }
    },

    /**
     * What sending would lead to, worked out as sending does but written nowhere: the check page shows it before the
     * practitioner sends. It reads earlier referrals of the same people (for a repeat or escalation), so it is audited.
     */
    async preview(submitter: Submitter & { readonly kind: 'user' }, input: ReferralInput, draftId: string, origin: RequestOrigin): Promise<ReferralOutcome> {
      const { ruleSet, earlier, organisations, recentContact, decision, now } = await decide(input);
      const organisationIds = new Map(organisations.map((row) => [row.slug, row.id]));
      const rows = buildReferralRows({ crypto, id: draftId, reference: '', submitter, input, ruleSet, decision, organisationIds, earlier, now, draftId });
      const read = [...new Set([earlier.recentReferralId, ...earlier.maracReferrals.map((referral) => referral.id), ...earlier.incidentReferralIds].filter((id): id is string => id !== null))];
      await audit.record({ action: 'REFERRAL_ROUTING_PREVIEWED', recordType: 'referral_draft', recordId: draftId, ...context(submitter.userId, submitter.organisationId, origin), details: { referralIds: read.join(',') } });
      return outcomeOfRows(rows, organisations, recentContact);
    },

    /**
     * Whether the same person at risk was referred in the duplicate window: only who to contact is returned.
     * Asking is itself recorded, as it tells the asker something about a person.
     */
    async recentReferralFor(actor: Actor, person: IdentifyingFields & { readonly district?: string | null }, origin: RequestOrigin): Promise<{ readonly contact: string } | null> {
      const ruleSet = (person.district ? await rules.activeForDistrict(person.district) : undefined) ?? (await rules.active())[0];
      if (!ruleSet) return null;
      const now = clock();
      const earlier = await findEarlierReferrals(db.kysely, crypto, wantedPerson(crypto, person), null, earlierWindows(ruleSet, now));
      if (!earlier.recentReferralId) return null;
      const lead = await leadOrganisationOf(db.kysely, earlier.recentReferralId);
      await audit.record({ action: 'REFERRAL_DUPLICATE_WARNED', recordType: 'referral', recordId: earlier.recentReferralId, ...context(actor.userId, actor.organisationId, origin), details: { stage: 'draft' } });
      return lead ? { contact: lead.name } : null;
    },

    /** The outcome for the referrer's confirmation and detail pages, after the need-to-know check. */
    async outcomeFor(actor: Actor, referralId: string, origin: RequestOrigin): Promise<ReferralOutcome> {
      await requireVisible(actor, referralId, origin);
      const outcome = await outcomeOf(db.kysely, referralId);
      if (!outcome) throw NOT_FOUND;
      await audit.record({ action: 'REFERRAL_VIEWED', recordType: 'referral', recordId: referralId, ...context(actor.userId, actor.organisationId, origin), details: { view: 'outcome' } });
      return outcome;
    },

    /** Everything recorded on a referral, decrypted, after the need-to-know check; the read is audited. */
    async detailFor(actor: Actor, referralId: string, origin: RequestOrigin): Promise<ReferralDetail> {
      await requireVisible(actor, referralId, origin);
      const detail = await loadReferralDetail(db.kysely, crypto, referralId);
      if (!detail) throw NOT_FOUND;
      await audit.record({ action: 'REFERRAL_VIEWED', recordType: 'referral', recordId: referralId, ...context(actor.userId, actor.organisationId, origin), details: { view: 'detail' } });
      return detail;
    },

    /** For the partner API: the organisation that made the referral sees its outcome; anyone else, nothing. */
    async outcomeForOrganisation(organisationId: string, apiKeyId: string, referralId: string, origin: RequestOrigin): Promise<ReferralOutcome | undefined> {
      const referral = await referralById(db.kysely, referralId);
      // Only what the organisation's systems sent: a referral its staff made on the web is for them to see (need to
      // know is per person there), not for anyone who holds the organisation's key.
      if (referral?.referrer_organisation_id !== organisationId || referral.api_key_id === null) {
        await audit.record({ action: 'REFERRAL_ACCESS_REFUSED', outcome: 'denied', recordType: 'referral', recordId: referralId.slice(0, 64), ...context(null, organisationId, origin), details: { apiKeyId } });
        return undefined;
      }
      await audit.record({ action: 'REFERRAL_VIEWED', recordType: 'referral', recordId: referralId, ...context(null, organisationId, origin), details: { view: 'api', apiKeyId } });
      return outcomeOf(db.kysely, referralId);
    },

    /** A retry answered with the outcome stored under its Idempotency-Key: that outcome is read again, so recorded. */
    async recordReplayed(organisationId: string, apiKeyId: string, referralId: string, origin: RequestOrigin): Promise<void> {
      await audit.record({ action: 'REFERRAL_VIEWED', recordType: 'referral', recordId: referralId, ...context(null, organisationId, origin), details: { view: 'api-replay', apiKeyId } });
    },

    /**
     * The referral this practitioner's draft was already sent as: a second send of one draft (a double click, a
     * retry after a slow answer) is shown the referral the first made, rather than an error or a second referral.
     */
    sentFromDraft(actor: Actor, draftId: string): Promise<string | undefined> {
      return referralFromDraft(db.kysely, draftId, actor.userId);
    },

    /** The referrer's own submitted referrals, newest first, with the person's name to tell them apart. */
    async listOwn(actor: Actor, origin: RequestOrigin, limit = 200) {
      const rows = await referralsByReferrer(db.kysely, actor.userId, limit);
      await audit.record({ action: 'REFERRAL_LIST_VIEWED', ...context(actor.userId, actor.organisationId, origin), recordType: 'referral', details: { list: 'own', count: rows.length, referralIds: rows.map((row) => row.id).join(',') } });
      return rows.map((row) => ({
        id: row.id,
        reference: row.reference,
        status: row.status,
        district: row.district,
        riskLevel: row.risk_level,
        marac: row.marac === 1,
        submittedAt: row.submitted_at,
        personName: [crypto.decrypt(row.first_name_enc), crypto.decryptOptional(row.last_name_enc)].filter(Boolean).join(' '),
      }));
    },
  };
}

export type ReferralService = ReturnType<typeof createReferralService>;
