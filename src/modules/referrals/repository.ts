import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { RowWrite } from '../../platform/db/row-write.js';
import type { PersonIndexes } from './matching.js';
import type {
  DashAnswerTable,
  DashAssessmentTable,
  ReferralCriterionTable,
  ReferralDependantTable,
  ReferralEventTable,
  ReferralPersonTable,
  ReferralRouteTable,
  ReferralTable,
} from './tables.js';

export type ReferralRow = Selectable<ReferralTable>;
export type PersonRow = Selectable<ReferralPersonTable>;
export type RouteRow = Selectable<ReferralRouteTable>;

export interface NewReferralRows {
  readonly referral: Insertable<ReferralTable>;
  readonly people: readonly Insertable<ReferralPersonTable>[];
  readonly dependants: readonly Insertable<ReferralDependantTable>[];
  readonly assessment: Insertable<DashAssessmentTable>;
  readonly answers: readonly Insertable<DashAnswerTable>[];
  readonly criteria: readonly Insertable<ReferralCriterionTable>[];
  readonly routes: readonly Insertable<ReferralRouteTable>[];
  readonly events: readonly Insertable<ReferralEventTable>[];
}

export function draftDeletion(id: string, userId: string): RowWrite {
  return (q) => q.deleteFrom('referral_drafts').where('id', '=', id).where('user_id', '=', userId);
}

/** Every row of a new referral, one write per table: see AuditService.writeWithEvents for how they are run. */
export function referralWrites(rows: NewReferralRows): RowWrite[] {
  const writes: RowWrite[] = [
    (q) => q.insertInto('referrals').values(rows.referral),
    (q) => q.insertInto('referral_people').values([...rows.people]),
    (q) => q.insertInto('dash_assessments').values(rows.assessment),
  ];
  if (rows.dependants.length) writes.push((q) => q.insertInto('referral_dependants').values([...rows.dependants]));
  if (rows.answers.length) writes.push((q) => q.insertInto('dash_answers').values([...rows.answers]));
  if (rows.criteria.length) writes.push((q) => q.insertInto('referral_criteria').values([...rows.criteria]));
  if (rows.routes.length) writes.push((q) => q.insertInto('referral_routes').values([...rows.routes]));
  if (rows.events.length) writes.push((q) => q.insertInto('referral_events').values([...rows.events]));
  return writes;
}

/**
 * People of a role referred since a date who share at least one blind index with `wanted` (the person's indexes
 * under each blind index key), at most `limit` of them, those sharing most first. Each index is its own lookup on its (role, index, submitted_at) index, united: an
 * OR across five columns would tempt the query planner into scanning every person of the role.
 */
export async function candidatePeople(executor: Executor, role: PersonRow['role'], wanted: readonly PersonIndexes[], since: string, limit = 200) {
  const columns = [
    ['name_index', 'name'],
    ['name_phonetic_index', 'namePhonetic'],
    ['dob_index', 'dob'],
    ['phone_index', 'phone'],
    ['postcode_index', 'postcode'],
  ] as const;
  const sought = columns.map(([column, field]) => [column, [...new Set(wanted.flatMap((indexes) => indexes[field] ?? []))]] as const).filter(([, values]) => values.length > 0);
  if (sought.length === 0) return [];
  // Those sharing most first, then the newest: two hundred people at one busy postcode (or a placeholder phone a
  // partner system fills in) must not push out the one who shares a name, a date of birth and a phone.
  return executor
    .selectFrom('referral_people')
    .select(['id', 'referral_id', 'submitted_at', 'name_index', 'name_phonetic_index', 'dob_index', 'phone_index', 'postcode_index', 'first_name_enc', 'last_name_enc'])
    .select((eb) => sought.map(([column, values]) => eb.case().when(column, 'in', values).then(1).else(0).end()).reduce((sum, next) => eb(sum, '+', next)).as('shared'))
    // Each branch names the whole index (role, value, date), so SQLite searches one index per branch without statistics.
    .where((eb) => eb.or(sought.map(([column, values]) => eb.and([eb('role', '=', role), eb(column, 'in', values), eb('submitted_at', '>=', since)]))))
    .orderBy('shared', 'desc')
    .orderBy('submitted_at', 'desc')
    .limit(limit)
    .execute();
}

export function peopleOfReferrals(executor: Executor, referralIds: readonly string[], role: PersonRow['role']) {
  if (referralIds.length === 0) return Promise.resolve([]);
  return executor
    .selectFrom('referral_people')
    .select(['referral_id', 'name_index', 'name_phonetic_index', 'dob_index', 'phone_index', 'postcode_index', 'first_name_enc', 'last_name_enc'])
    .where('referral_id', 'in', referralIds)
    .where('role', '=', role)
    .execute();
}

export function referralSummaries(executor: Executor, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return executor.selectFrom('referrals').select(['id', 'marac', 'marac_area', 'submitted_at', 'status', 'incident_dates']).where('id', 'in', ids).execute();
}

export function referralById(executor: Executor, id: string): Promise<ReferralRow | undefined> {
  return executor.selectFrom('referrals').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The referral a practitioner's draft became, if it has been sent. */
export async function referralFromDraft(executor: Executor, draftId: string, userId: string): Promise<string | undefined> {
  const row = await executor.selectFrom('referrals').select('id').where('source_draft_id', '=', draftId).where('referrer_user_id', '=', userId).executeTakeFirst();
  return row?.id;
}

export function peopleOf(executor: Executor, referralId: string): Promise<PersonRow[]> {
  return executor.selectFrom('referral_people').selectAll().where('referral_id', '=', referralId).orderBy('role', 'desc').orderBy('id').execute();
}

export function dependantsOf(executor: Executor, referralId: string) {
  return executor.selectFrom('referral_dependants').selectAll().where('referral_id', '=', referralId).orderBy('kind').orderBy('position').execute();
}

export async function latestAssessmentOf(executor: Executor, referralId: string) {
  const assessment = await executor.selectFrom('dash_assessments').selectAll().where('referral_id', '=', referralId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  if (!assessment) return undefined;
  const answers = await executor.selectFrom('dash_answers').selectAll().where('assessment_id', '=', assessment.id).execute();
  return { assessment, answers };
}

export function criteriaOf(executor: Executor, referralId: string) {
  return executor.selectFrom('referral_criteria').selectAll().where('referral_id', '=', referralId).execute();
}

export function routesOf(executor: Executor, referralId: string) {
  return executor
    .selectFrom('referral_routes')
    .innerJoin('organisations', 'organisations.id', 'referral_routes.organisation_id')
    .selectAll('referral_routes')
    .select(['organisations.name as organisation_name', 'organisations.slug as organisation_slug'])
    .where('referral_routes.referral_id', '=', referralId)
    .orderBy('referral_routes.position')
    .execute();
}

/** The organisation at the head of a referral's routes: who a later referrer should contact. */
export function leadOrganisationOf(executor: Executor, referralId: string) {
  return executor
    .selectFrom('referral_routes')
    .innerJoin('organisations', 'organisations.id', 'referral_routes.organisation_id')
    .select(['organisations.id', 'organisations.name'])
    .where('referral_routes.referral_id', '=', referralId)
    .where('referral_routes.status', '!=', 'declined')
    .orderBy('referral_routes.position')
    .limit(1)
    .executeTakeFirst();
}

export function referralsByReferrer(executor: Executor, userId: string, limit: number) {
  return executor
    .selectFrom('referrals')
    .innerJoin('referral_people', (join) => join.onRef('referral_people.referral_id', '=', 'referrals.id').on('referral_people.role', '=', 'person_at_risk'))
    .select(['referrals.id', 'referrals.reference', 'referrals.status', 'referrals.district', 'referrals.risk_level', 'referrals.marac', 'referrals.submitted_at', 'referral_people.first_name_enc', 'referral_people.last_name_enc'])
    .where('referrals.referrer_user_id', '=', userId)
    .orderBy('referrals.submitted_at', 'desc')
    .limit(limit)
    .execute();
}

export function declineEventsOf(executor: Executor, referralId: string) {
  return executor.selectFrom('referral_events').select(['route_id', 'details']).where('referral_id', '=', referralId).where('kind', '=', 'declined').execute();
}

export function eventsOf(executor: Executor, referralId: string) {
  return executor.selectFrom('referral_events').selectAll().where('referral_id', '=', referralId).orderBy('at').orderBy('id').execute();
}

export async function plainInterpreterLanguages(executor: Executor): Promise<Array<{ id: string; language: string }>> {
  const rows = await executor.selectFrom('referrals').select(['id', 'interpreter_language']).where('interpreter_language', 'is not', null).execute();
  return rows.flatMap((row) => (row.interpreter_language === null ? [] : [{ id: row.id, language: row.interpreter_language }]));
}

/** Moves one plain value into the encrypted column, only if it is still the value read (0 if it changed meanwhile). */
export async function sealInterpreterLanguage(executor: Executor, id: string, plain: string, encrypted: string): Promise<number> {
  const result = await executor.updateTable('referrals').set({ interpreter_language_enc: encrypted, interpreter_language: null }).where('id', '=', id).where('interpreter_language', '=', plain).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

