import { randomInt } from 'node:crypto';
import type { Insertable } from 'kysely';
import type { AuditContext, AuditEntry } from '../../platform/audit/service.js';
import type { FieldCrypto } from '../../platform/crypto/field-crypto.js';
import type { Executor } from '../../platform/db/database.js';
import { newId } from '../../platform/db/ids.js';
import { CHECKLIST } from './checklist.js';
import { indexColumns, isPersonAtRisk, isPersonCausingHarm, personIndexes, type PersonName, type WantedPerson } from './matching.js';
import { ageBand } from './options.js';
import { toOutcome, type ReferralOutcome } from './outcome.js';
import { candidatePeople, peopleOfReferrals, referralSummaries, type NewReferralRows } from './repository.js';
import { londonDay } from '../../platform/time/london.js';
import { newRouteRow } from './route-row.js';
import { addWorkingDays, dayBefore, monthsBefore } from './rules/dates.js';
import type { EarlierMaracReferral, RoutingDecision, RoutingInput } from './rules/engine.js';
import type { LoadedRuleSet } from './rules/service.js';
import type { DependantInput, HarmPersonInput, PersonInput, ReferralInput } from './schemas.js';
import { routingAgeBand, type ReferralPersonTable, type ReferralTable } from './tables.js';

/** Who is sending a referral: a signed-in practitioner, or a partner system with its organisation's API key. */
export type Submitter =
  | { readonly kind: 'user'; readonly userId: string; readonly organisationId: string }
  | { readonly kind: 'api'; readonly organisationId: string; readonly apiKeyId: string };

export interface EarlierReferrals {
  /** The latest referral in the duplicate window for the same person at risk. */
  readonly recentReferralId: string | null;
  /** MARAC referrals in the repeat window for the same person AND the same person causing harm, newest first. */
  readonly maracReferrals: ReadonlyArray<EarlierMaracReferral & { readonly id: string; readonly maracArea: string }>;
  /**
   * Incident dates on referrals in the escalation window about the same person at risk, whoever caused the harm: the
   * criterion counts the abuse a person suffers (a family's honour-based abuse has several perpetrators).
   */
  readonly incidentDates: readonly string[];
  /** The referrals those dates came from: counting them tells the new referrer something, so it is audited. */
  readonly incidentReferralIds: readonly string[];
}

export interface EarlierWindows {
  /** The first UK day on which an earlier referral of the same person is reported: the duplicate window exactly. */
  readonly duplicateFromDay: string;
  readonly duplicateSince: string;
  readonly repeatSince: string;
  readonly escalationSince: string;
}

/** Nothing earlier: a first referral. */
export const NONE_EARLIER: EarlierReferrals = { recentReferralId: null, maracReferrals: [], incidentDates: [], incidentReferralIds: [] };

/**
 * Earlier referrals about the same person at risk (and for a repeat, the same person causing harm).
 * A stored name is decrypted only where the indexes cannot decide (see isPersonAtRisk, isPersonCausingHarm).
 */
export async function findEarlierReferrals(executor: Executor, crypto: FieldCrypto, person: WantedPerson, harm: WantedPerson | null, windows: EarlierWindows): Promise<EarlierReferrals> {
  const since = [windows.duplicateSince, windows.repeatSince, windows.escalationSince].reduce((earliest, day) => (day < earliest ? day : earliest));
  const storedName = (row: { first_name_enc: string; last_name_enc: string | null }) => (): PersonName => ({ firstName: crypto.decrypt(row.first_name_enc), lastName: crypto.decryptOptional(row.last_name_enc) });
  const matches = (await candidatePeople(executor, 'person_at_risk', person.indexes, since)).filter((row) => isPersonAtRisk(person, row, storedName(row)));
  if (matches.length === 0) return NONE_EARLIER;
  const summaries = await referralSummaries(executor, [...new Set(matches.map((row) => row.referral_id))]);
  const live = summaries.filter((row) => row.status !== 'withdrawn').sort((a, b) => b.submitted_at.localeCompare(a.submitted_at));
  const recentReferralId = live.find((row) => londonDay(new Date(row.submitted_at)) >= windows.duplicateFromDay)?.id ?? null;
  const maracCandidates = live.filter((row) => row.marac === 1 && row.submitted_at >= windows.repeatSince);
  const escalationCandidates = live.filter((row) => row.submitted_at >= windows.escalationSince && row.incident_dates !== '[]');
  const harmRows = harm && maracCandidates.length > 0 ? await peopleOfReferrals(executor, maracCandidates.map((row) => row.id), 'person_causing_harm') : [];
  const sameHarm = new Set(harmRows.filter((row) => harm && isPersonCausingHarm(harm, row, storedName(row))).map((row) => row.referral_id));
  const incidentDates = new Set(escalationCandidates.flatMap((row) => JSON.parse(row.incident_dates) as string[]));
  return {
    recentReferralId,
    maracReferrals: maracCandidates.filter((row) => sameHarm.has(row.id)).map((row) => ({ id: row.id, submittedAt: row.submitted_at, incidentDates: JSON.parse(row.incident_dates) as string[], maracArea: row.marac_area })),
    incidentDates: [...incidentDates].sort(),
    incidentReferralIds: escalationCandidates.map((row) => row.id),
  };
}

/** The earlier MARAC referral a repeat followed: the one the engine counted, not simply the newest. */
function repeatOf(decision: RoutingDecision, earlier: EarlierReferrals): string | null {
  const repeat = decision.criteria.find((criterion) => criterion.criterion === 'repeat' && criterion.met);
  return repeat ? (earlier.maracReferrals.find((referral) => referral.submittedAt === repeat.details['repeatOf'])?.id ?? null) : null;
}

/** What the routing engine reads of a referral, with what only the moment of sending knows. */
export function routingInputOf(input: ReferralInput, when: { districtName: string; referredAt: string; earlier: EarlierReferrals }): RoutingInput {
  return {
    district: input.district,
    districtName: when.districtName,
    referredAt: when.referredAt,
    dash: Object.fromEntries(Object.entries(input.dash).map(([key, entry]) => [key, entry.answer])),
    professionalJudgement: input.professionalJudgement,
    seriousHarmRisk: input.seriousHarmRisk,
    suicideSelfHarmRisk: input.suicideSelfHarmRisk,
    incidentDates: input.incidentDates,
    earlierIncidentDates: when.earlier.incidentDates,
    childrenInHousehold: input.childrenInHousehold,
    // Ages count UK calendar days, as the windows do: at 00:30 on a summer birthday, the birthday has come.
    personAgeBand: routingAgeBand(ageBand(input.person.dateOfBirth, londonDay(new Date(when.referredAt)))),
    personCausingHarmAgeBand: routingAgeBand(ageBand(input.personCausingHarm.dateOfBirth, londonDay(new Date(when.referredAt)))),
    needs: input.needs,
    earlierMaracReferrals: when.earlier.maracReferrals,
  };
}

/**
 * From when earlier referrals are looked up (compared with UTC timestamps). A day wider than the engine's windows,
 * which count UK days: a referral sent just after midnight in summer time carries the previous UTC date.
 */
export function earlierWindows(ruleSet: LoadedRuleSet, now: Date, incidentDates: readonly string[] = []): EarlierWindows {
  const today = londonDay(now);
  const since = (months: number, from = today) => dayBefore(monthsBefore(from, months));
  const { criteria, duplicateWindowMonths } = ruleSet.rules;
  // A repeat is decided by the incident's date: an incident disclosed late looks back from its own day.
  const earliestIncident = incidentDates.reduce((first, day) => (day < first ? day : first), today);
  return {
    duplicateFromDay: monthsBefore(today, duplicateWindowMonths),
    duplicateSince: since(duplicateWindowMonths),
    repeatSince: since(criteria.repeat.windowMonths, earliestIncident),
    escalationSince: since(criteria.potentialEscalation.windowMonths),
  };
}

const REFERENCE_ALPHABET = '23456789BCDFGHJKLMNPQRSTVWXYZ';

/**
 * A short reference to read out on the phone: no vowels (no accidental words), no 0/O or 1/I. One in 500 billion:
 * a clash is left to the unique index, and the referral is written again with another (see ReferralService.submit).
 */
export function newReference(): string {
  const body = Array.from({ length: 8 }, () => REFERENCE_ALPHABET.charAt(randomInt(REFERENCE_ALPHABET.length))).join('');
  return `R-${body.slice(0, 4)}-${body.slice(4)}`;
}

export interface BuildArgs {
  readonly crypto: FieldCrypto;
  readonly id: string;
  readonly reference: string;
  readonly submitter: Submitter;
  readonly input: ReferralInput;
  readonly ruleSet: LoadedRuleSet;
  readonly decision: RoutingDecision;
  readonly organisationIds: ReadonlyMap<string, string>;
  readonly earlier: EarlierReferrals;
  readonly now: Date;
  readonly draftId?: string | undefined;
}

/** Every row a submitted referral writes, encrypted where it identifies anyone. */
export function buildReferralRows(args: BuildArgs): NewReferralRows {
  const { crypto, id, input, decision, submitter, ruleSet, now } = args;
  const at = now.toISOString();
  const enc = (value: string | null) => crypto.encryptOptional(value);
  const referral: Insertable<ReferralTable> = {
    id,
    reference: args.reference,
    status: 'submitted',
    source: submitter.kind === 'user' ? 'form' : 'api',
    referrer_user_id: submitter.kind === 'user' ? submitter.userId : null,
    referrer_organisation_id: submitter.organisationId,
    api_key_id: submitter.kind === 'api' ? submitter.apiKeyId : null,
    source_draft_id: args.draftId ?? null,
    referrer_name_enc: enc(input.referrer.name),
    referrer_phone_enc: enc(input.referrer.phone),
    referrer_email_enc: enc(input.referrer.email),
    district: input.district,
    marac_area: ruleSet.maracArea,
    rule_set_id: ruleSet.id,
    rule_set_version: ruleSet.version,
    safe_to_contact: input.safeContact.safeToContact,
    safe_phone_enc: enc(input.safeContact.phone),
    safe_email_enc: enc(input.safeContact.email),
    safe_times_enc: enc(input.safeContact.times),
    may_leave_message: input.safeContact.mayLeaveMessage,
    contact_notes_enc: enc(input.safeContact.notes),
    interpreter_language_enc: enc(input.safeContact.interpreterLanguage),
    children_in_household: input.childrenInHousehold,
    other_dependants: input.otherDependants,
    needs: JSON.stringify([...input.needs].sort()),
    professional_judgement: input.professionalJudgement.applies ? 1 : 0,
    professional_judgement_reasons_enc: enc(input.professionalJudgement.reasons),
    suicide_self_harm_risk: input.suicideSelfHarmRisk,
    serious_harm_risk: input.seriousHarmRisk,
    incident_dates: JSON.stringify([...input.incidentDates].sort()),
    earlier_incident_dates: JSON.stringify(args.earlier.incidentDates),
    consent: input.consent.status,
    lawful_basis: input.consent.lawfulBasis,
    consent_notes_enc: enc(input.consent.notes),
    equality_gender: input.equality.gender,
    equality_age_band: ageBand(input.person.dateOfBirth, londonDay(now)),
    harm_age_band: ageBand(input.personCausingHarm.dateOfBirth, londonDay(now)),
    equality_ethnicity: input.equality.ethnicity,
    equality_sexual_orientation: input.equality.sexualOrientation,
    equality_disability: input.equality.disability,
    equality_religion: input.equality.religion,
    score: decision.score,
    risk_level: decision.riskLevel,
    marac: decision.referredToMarac ? 1 : 0,
    recent_referral_id: args.earlier.recentReferralId,
    repeat_of_referral_id: repeatOf(decision, args.earlier),
    submitted_at: at,
    created_at: at,
    updated_at: at,
    version: 1,
  };
  const assessmentId = newId();
  const due = addWorkingDays(now, decision.firstContactWorkingDays).toISOString();
  const routes = decision.routes.map((route, position) => {
    const organisationId = args.organisationIds.get(route.organisationSlug);
    if (!organisationId) throw new Error(`Routing rules name an organisation that does not exist: ${route.organisationSlug}`);
    return newRouteRow(
      { id: newId(), referral_id: id, organisation_id: organisationId, kind: route.kind, risk_level: decision.riskLevel, rules_fired: JSON.stringify(route.rulesFired), rule_set_id: ruleSet.id, position, first_contact_due_at: due, rerouted_from_route_id: null },
      at,
    );
  });
  const actorUserId = submitter.kind === 'user' ? submitter.userId : null;
  return {
    referral,
    people: [personRow(crypto, id, 'person_at_risk', input.person, null, at), personRow(crypto, id, 'person_causing_harm', input.personCausingHarm, input.personCausingHarm, at)],
    dependants: [...input.children.map((child, index) => dependantRow(crypto, id, 'child', child, index)), ...input.adults.map((adult, index) => dependantRow(crypto, id, 'adult', adult, index))],
    assessment: { id: assessmentId, referral_id: id, instrument: CHECKLIST.instrument, instrument_version: CHECKLIST.version, assessed_on: londonDay(now), yes_count: decision.score, completed_by_user_id: actorUserId, created_at: at },
    answers: Object.entries(input.dash).map(([question, entry]) => ({ id: newId(), assessment_id: assessmentId, question, answer: entry.answer, note_enc: enc(entry.note), source_enc: enc(entry.source) })),
    criteria: decision.criteria.map((c) => ({ referral_id: id, criterion: c.criterion, met: c.met ? 1 : 0, explanation: c.explanation, details: JSON.stringify(c.details) })),
    routes,
    events: [
      { id: newId(), referral_id: id, route_id: null, at, kind: 'submitted', actor_user_id: actorUserId, actor_organisation_id: submitter.organisationId, details: JSON.stringify({ source: referral.source, ruleSetVersion: ruleSet.version, maracArea: ruleSet.maracArea }), note_enc: null },
      ...routes.map((route) => ({ id: newId(), referral_id: id, route_id: route.id, at, kind: 'routed', actor_user_id: actorUserId, actor_organisation_id: submitter.organisationId, details: JSON.stringify({ kind: route.kind, organisationId: route.organisation_id }), note_enc: null })),
    ],
  };
}

/** The outcome of a referral about to be written, from its rows: the same answer outcomeOf reads back later. */
export function outcomeOfRows(rows: NewReferralRows, organisations: ReadonlyArray<{ id: string; slug: string; name: string }>, recentContact: { readonly name: string } | undefined): ReferralOutcome {
  const byId = new Map(organisations.map((row) => [row.id, row]));
  return toOutcome({
    referral: rows.referral,
    criteria: rows.criteria,
    routes: rows.routes.map((route) => {
      const organisation = byId.get(route.organisation_id);
      return { ...route, outcome: null, rerouted_from_route_id: null, organisation_slug: organisation?.slug ?? '', organisation_name: organisation?.name ?? '' };
    }),
    recentContact,
  });
}

/**
 * What a submission records in the audit trail: the referral, each route, a duplicate warning if one was given, and
 * which earlier referrals' incidents the escalation explanation counted (it tells the referrer they exist).
 */
export function submissionEvents(rows: NewReferralRows, decision: RoutingDecision, ruleSet: LoadedRuleSet, earlier: EarlierReferrals, who: AuditContext): AuditEntry[] {
  const { id, source, district, recent_referral_id: recentReferralId, api_key_id: apiKeyId } = rows.referral;
  const escalation = decision.criteria.find((criterion) => criterion.criterion === 'potential_escalation');
  const countedEarlier = Number(escalation?.details['fromEarlierReferrals'] ?? 0) > 0;
  return [
    { action: 'REFERRAL_SUBMITTED', recordType: 'referral', recordId: id, ...who, details: { source, ...(apiKeyId ? { apiKeyId } : {}), district, riskLevel: decision.riskLevel, marac: decision.referredToMarac, ruleSet: `${ruleSet.maracArea}:${String(ruleSet.version)}` } },
    ...rows.routes.map((route): AuditEntry => ({ action: 'REFERRAL_ROUTED', recordType: 'referral', recordId: id, ...who, details: { routeId: route.id, kind: route.kind, organisationId: route.organisation_id } })),
    ...(recentReferralId ? [{ action: 'REFERRAL_DUPLICATE_WARNED', recordType: 'referral', recordId: id, ...who, details: { recentReferralId } } as const] : []),
    ...(countedEarlier ? [{ action: 'REFERRAL_EARLIER_INCIDENTS_COUNTED', recordType: 'referral', recordId: id, ...who, details: { referralIds: earlier.incidentReferralIds.join(',') } } as const] : []),
  ];
}

function personRow(crypto: FieldCrypto, referralId: string, role: ReferralPersonTable['role'], person: PersonInput, harm: HarmPersonInput | null, at: string): Insertable<ReferralPersonTable> {
  return {
    id: newId(),
    referral_id: referralId,
    role,
    first_name_enc: crypto.encrypt(person.firstName),
    last_name_enc: crypto.encryptOptional(person.lastName),
    other_names_enc: crypto.encryptOptional(person.otherNames),
    date_of_birth_enc: crypto.encryptOptional(person.dateOfBirth),
    address_enc: crypto.encryptOptional(person.address),
    postcode_enc: crypto.encryptOptional(person.postcode),
    phone_enc: crypto.encryptOptional(person.phone),
    email_enc: crypto.encryptOptional(person.email),
    relationship: harm?.relationship ?? null,
    gender: person.gender,
    notes_enc: crypto.encryptOptional(harm?.notes),
    ...indexColumns(personIndexes(crypto, person)),
    submitted_at: at,
  };
}

function dependantRow(crypto: FieldCrypto, referralId: string, kind: 'child' | 'adult', dependant: DependantInput, position: number) {
  return {
    id: newId(),
    referral_id: referralId,
    kind,
    name_enc: crypto.encrypt(dependant.name),
    date_of_birth_enc: crypto.encryptOptional(dependant.dateOfBirth),
    relationship_enc: crypto.encryptOptional(dependant.relationship),
    setting_enc: crypto.encryptOptional(dependant.setting),
    notes_enc: crypto.encryptOptional(dependant.notes),
    lives_in_household: dependant.livesInHousehold ? 1 : 0,
    position,
  };
}
