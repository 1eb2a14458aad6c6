import type { Actor } from '../../../platform/access/policy.js';
import { actedBy, type AuditService } from '../../../platform/audit/service.js';
import type { RequestOrigin } from '../../../platform/auth/service.js';
import type { FieldCrypto } from '../../../platform/crypto/field-crypto.js';
import type { Db } from '../../../platform/db/database.js';
import { newId } from '../../../platform/db/ids.js';
import { StaleVersionError } from '../../../platform/db/versioning.js';
import { UserFacingError } from '../../../platform/http/errors.js';
import type { ReferenceService } from '../../admin/reference-service.js';
import type { EarlierMaracReferral, RoutingInput } from '../rules/engine.js';
import { ruleSetSchema, type NeedCode, type RuleSet } from '../rules/schema.js';
import type { RoutingRules } from '../rules/service.js';
import { routingAgeBand, type DashAnswer } from '../tables.js';
import { previewChanges, type PreviewSummary } from './preview.js';
import { activateDraft, insertVersion, latestAnswers, maracReferralsOf, recentReferrals, userNames, versionOfArea, versionsOfArea } from './repository.js';
import { latestVersionNumber, retireActive } from '../rules/versions.js';

export interface RulesAdminDeps {
  readonly db: Db;
  readonly crypto: FieldCrypto;
  readonly audit: AuditService;
  readonly rules: RoutingRules;
  readonly reference: ReferenceService;
  readonly clock: () => Date;
}

export const PREVIEW_DAYS = 90;
/** The most recent referrals a preview runs (enough for any area's 90 days; the page says when it is capped). */
export const PREVIEW_LIMIT = 5000;

const NOT_FOUND = new UserFacingError(404, 'There are no routing rules at this address.', 'Page not found');

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < items.length; index += size) result.push(items.slice(index, index + size));
  return result;
}

/**
 * The routing rules editor: versions per MARAC area, drafts made from a form, a preview of a draft against recent
 * referrals, and activation with a change note. A version is never changed once saved (only its status), so every
 * referral keeps pointing at the exact rules it was routed by.
 */
export function createRulesAdmin({ db, crypto, audit, rules, reference, clock }: RulesAdminDeps) {
  async function area(maracArea: string) {
    const active = (await rules.active()).find((ruleSet) => ruleSet.maracArea === maracArea);
    if (!active) throw NOT_FOUND;
    return active;
  }

  async function version(maracArea: string, number: number) {
    const row = Number.isSafeInteger(number) ? await versionOfArea(db.kysely, maracArea, number) : undefined;
    if (!row) throw NOT_FOUND;
    return { row, rules: ruleSetSchema.parse(JSON.parse(row.rules)) };
  }

  async function districtNames(): Promise<Map<string, string>> {
    return new Map((await reference.listAreas()).map((item) => [item.code, item.name]));
  }

  async function inputsFor(maracArea: string): Promise<RoutingInput[]> {
    const since = new Date(clock().getTime() - PREVIEW_DAYS * 86_400_000).toISOString();
    const referrals = await recentReferrals(db.kysely, maracArea, since, PREVIEW_LIMIT);
    const answers = new Map<string, Record<string, DashAnswer>>();
    for (const batch of chunks(referrals.map((row) => row.id), 500)) {
      for (const answer of await latestAnswers(db.kysely, batch)) {
        const entry = answers.get(answer.referralId) ?? {};
        entry[answer.question] = answer.answer;
        answers.set(answer.referralId, entry);
      }
    }
    const repeats = new Map<string, EarlierMaracReferral>();
    for (const batch of chunks([...new Set(referrals.map((row) => row.repeat_of_referral_id).filter((id): id is string => id !== null))], 500)) {
      for (const row of await maracReferralsOf(db.kysely, batch)) repeats.set(row.id, { submittedAt: row.submitted_at, incidentDates: JSON.parse(row.incident_dates) as string[] });
    }
    const names = await districtNames();
    return referrals.map((row) => ({
        district: row.district,
        districtName: names.get(row.district) ?? row.district,
        referredAt: row.submitted_at,
        dash: answers.get(row.id) ?? {},
        professionalJudgement: { applies: row.professional_judgement === 1, reasons: toBoolean(row.has_reasons) ? 'recorded' : null },
        seriousHarmRisk: row.serious_harm_risk,
        // Referrals made before either question was asked met this criterion on a checklist answer; preview them as judged so.
        suicideSelfHarmRisk: row.suicide_self_harm_risk === 'not_given' && row.serious_harm_risk === 'not_given' && toBoolean(row.met_suicide_self_harm) ? 'yes' : row.suicide_self_harm_risk,
        incidentDates: JSON.parse(row.incident_dates) as string[],
        earlierIncidentDates: JSON.parse(row.earlier_incident_dates) as string[],
        childrenInHousehold: row.children_in_household,
        personAgeBand: routingAgeBand(row.equality_age_band),
        personCausingHarmAgeBand: routingAgeBand(row.harm_age_band),
        needs: JSON.parse(row.needs) as NeedCode[],
        // Only the referral a repeat followed is stored: the preview weighs that one.
        earlierMaracReferrals: [...(row.repeat_of_referral_id && repeats.has(row.repeat_of_referral_id) ? [repeats.get(row.repeat_of_referral_id) as EarlierMaracReferral] : [])],
    }));
  }

  return {
    /** Areas with the version in use and any newer draft. */
    async overview() {
      const names = await districtNames();
      return Promise.all(
        (await rules.active()).map(async (active) => {
          const versions = await versionsOfArea(db.kysely, active.maracArea);
          const latestDraft = versions.find((row) => row.status === 'draft' && row.version > active.version);
          return { maracArea: active.maracArea, name: active.rules.name, version: active.version, activatedAt: versions.find((row) => row.id === active.id)?.activated_at ?? null, districts: active.rules.districts.map((code) => names.get(code) ?? code), latestDraft: latestDraft?.version ?? null };
        }),
      );
    },

    async history(maracArea: string) {
      const active = await area(maracArea);
      const versions = await versionsOfArea(db.kysely, maracArea);
      const people = new Map((await userNames(db.kysely, [...new Set(versions.flatMap((row) => [row.created_by_user_id, row.activated_by_user_id]).filter((id): id is string => id !== null))])).map((row) => [row.id, crypto.decrypt(row.name_enc)]));
      return {
        active,
        versions: versions.map((row) => ({ ...row, createdBy: row.created_by_user_id ? people.get(row.created_by_user_id) : undefined, activatedBy: row.activated_by_user_id ? people.get(row.activated_by_user_id) : undefined })),
        latest: versions[0]?.version ?? active.version,
        districtNames: await districtNames(),
      };
    },

    version,
    districtNames,

    /** The rules a new draft starts from: the newest version (a draft in progress, or the one in use). */
    async startingPoint(maracArea: string): Promise<{ readonly basedOn: number; readonly rules: RuleSet }> {
      await area(maracArea);
      const latest = await latestVersionNumber(db.kysely, maracArea);
      return { basedOn: latest, rules: (await version(maracArea, latest)).rules };
    },

    /** Saves a new draft version; refused as stale when another version was saved since the form was opened. */
    async saveDraft(actor: Actor, maracArea: string, basedOn: number, draft: RuleSet, origin: RequestOrigin): Promise<number> {
      await area(maracArea);
      return db.kysely.transaction().execute(async (trx) => {
        const latest = await latestVersionNumber(trx, maracArea);
        if (latest !== basedOn) throw new StaleVersionError('routing rules');
        const id = newId();
        const now = clock().toISOString();
        // The (area, version) unique constraint refuses a second save of the same version at the same moment.
        const inserted = await insertVersion(trx, { id, marac_area: maracArea, version: latest + 1, status: 'draft', rules: JSON.stringify(draft), change_note: '', created_by_user_id: actor.userId, created_at: now, activated_at: null, activated_by_user_id: null, retired_at: null });
        if (!inserted) throw new StaleVersionError('routing rules');
        await audit.recordWith(trx, { action: 'ROUTING_RULE_SET_CREATED', ...actedBy(actor, origin), recordType: 'routing_rule_set', recordId: id, details: { maracArea, version: latest + 1, basedOn } });
        return latest + 1;
      });
    },

    /** A draft against the last 90 days of the area's referrals, compared with the rules in use. */
    async preview(actor: Actor, maracArea: string, number: number, origin: RequestOrigin): Promise<PreviewSummary & { readonly capped: boolean; readonly activeVersion: number }> {
      const active = await area(maracArea);
      const draft = await version(maracArea, number);
      const inputs = await inputsFor(maracArea);
      const summary = previewChanges(active.rules, draft.rules, inputs);
      await audit.record({ action: 'ROUTING_RULES_PREVIEWED', ...actedBy(actor, origin), recordType: 'routing_rule_set', recordId: draft.row.id, details: { maracArea, version: number, considered: summary.considered, changed: summary.changed } });
      return { ...summary, capped: inputs.length >= PREVIEW_LIMIT, activeVersion: active.version };
    },

    /** Puts the newest draft into use and retires the version it replaces; new referrals use it at once (within a second on other instances). */
    async activate(actor: Actor, maracArea: string, number: number, changeNote: string, origin: RequestOrigin): Promise<void> {
      const active = await area(maracArea);
      const draft = await version(maracArea, number);
      await db.kysely.transaction().execute(async (trx) => {
        if (draft.row.status !== 'draft' || (await latestVersionNumber(trx, maracArea)) !== number) throw new StaleVersionError('routing rules');
        const now = clock().toISOString();
        if (!(await activateDraft(trx, draft.row.id, actor.userId, changeNote, now))) throw new StaleVersionError('routing rules');
        await retireActive(trx, maracArea, draft.row.id, now);
        await audit.recordWith(trx, { action: 'ROUTING_RULE_SET_ACTIVATED', ...actedBy(actor, origin), recordType: 'routing_rule_set', recordId: draft.row.id, details: { maracArea, version: number, previousVersion: active.version } });
      });
      rules.forgetActive();
    },
  };
}

export type RulesAdmin = ReturnType<typeof createRulesAdmin>;

/** SQLite answers a boolean expression with 0 or 1, PostgreSQL with true or false. */
function toBoolean(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}
