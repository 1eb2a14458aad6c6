import type { Insertable } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import type { RoutingRuleSetTable } from '../tables.js';

/** Rule-set versions for the editor. */

export function versionsOfArea(executor: Executor, maracArea: string) {
  return executor
    .selectFrom('routing_rule_sets')
    .select(['id', 'version', 'status', 'change_note', 'created_at', 'created_by_user_id', 'activated_at', 'activated_by_user_id', 'retired_at'])
    .where('marac_area', '=', maracArea)
    .orderBy('version', 'desc')
    .execute();
}

export function versionOfArea(executor: Executor, maracArea: string, version: number) {
  return executor.selectFrom('routing_rule_sets').selectAll().where('marac_area', '=', maracArea).where('version', '=', version).executeTakeFirst();
}

/** Puts a draft into use; 0 rows when it is no longer a draft (someone else acted first). */
export async function activateDraft(executor: Executor, id: string, userId: string, changeNote: string, now: string): Promise<boolean> {
  const result = await executor.updateTable('routing_rule_sets').set({ status: 'active', activated_at: now, activated_by_user_id: userId, change_note: changeNote }).where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Coded answers of an area's referrals since a date, for the preview: no encrypted column is read. */
export function recentReferrals(executor: Executor, maracArea: string, since: string, limit: number) {
  return executor
    .selectFrom('referrals')
    .select(['id', 'district', 'submitted_at', 'professional_judgement', 'serious_harm_risk', 'suicide_self_harm_risk', 'needs', 'incident_dates', 'earlier_incident_dates', 'children_in_household', 'equality_age_band', 'harm_age_band', 'repeat_of_referral_id'])
    // Whether reasons were written is all the engine needs; the reasons themselves stay encrypted and unread.
    .select((eb) => eb('professional_judgement_reasons_enc', 'is not', null).as('has_reasons'))
    .select((eb) => eb.exists(eb.selectFrom('referral_criteria as c').select('c.criterion').whereRef('c.referral_id', '=', 'referrals.id').where('c.criterion', '=', 'suicide_self_harm').where('c.met', '=', 1)).as('met_suicide_self_harm'))
    .where('marac_area', '=', maracArea)
    .where('submitted_at', '>=', since)
    .orderBy('submitted_at', 'desc')
    .limit(limit)
    .execute();
}

export async function latestAnswers(executor: Executor, referralIds: readonly string[]) {
  if (referralIds.length === 0) return [];
  const assessments = await executor.selectFrom('dash_assessments').select(['id', 'referral_id', 'created_at']).where('referral_id', 'in', [...referralIds]).orderBy('created_at', 'desc').execute();
  const latest = new Map<string, string>();
  for (const assessment of assessments) if (!latest.has(assessment.referral_id)) latest.set(assessment.referral_id, assessment.id);
  const byAssessment = new Map([...latest].map(([referralId, assessmentId]) => [assessmentId, referralId]));
  if (byAssessment.size === 0) return [];
  const answers = await executor.selectFrom('dash_answers').select(['assessment_id', 'question', 'answer']).where('assessment_id', 'in', [...byAssessment.keys()]).execute();
  return answers.map((answer) => ({ referralId: byAssessment.get(answer.assessment_id) ?? '', question: answer.question, answer: answer.answer }));
}

/** Earlier MARAC referrals that later ones were repeats of: when they were made and what they reported. */
export function maracReferralsOf(executor: Executor, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return executor.selectFrom('referrals').select(['id', 'submitted_at', 'incident_dates']).where('id', 'in', [...ids]).execute();
}

export function userNames(executor: Executor, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return executor.selectFrom('users').select(['id', 'name_enc']).where('id', 'in', [...ids]).execute();
}

/** A new version; false when that area and version number were taken first (the unique constraint). */
export async function insertVersion(executor: Executor, row: Insertable<RoutingRuleSetTable>): Promise<boolean> {
  const result = await executor.insertInto('routing_rule_sets').values(row).onConflict((oc) => oc.columns(['marac_area', 'version']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}
