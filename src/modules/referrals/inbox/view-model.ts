import { CHECKLIST } from '../checklist.js';
import { loadReferralDetail, type ReferralDetail } from '../detail.js';
import { CONSENT_OPTIONS, GENDERS, LAWFUL_BASES, NEED_OPTIONS, RELATIONSHIPS, RISK_LEVEL_LABELS, ROUTE_KIND_LABELS, JUDGED_RISK_ANSWERS, TRI_STATE, labelOf } from '../options.js';
import { outcomeOf } from '../outcome.js';
import type { RuleFired } from '../rules/engine.js';
import { CLOSURE_OUTCOMES, CONTACT_METHODS, DECLINE_REASONS, OUTCOMES, ROUTE_STATUS_LABELS, ROUTE_STATUS_TAGS, textOf } from './options.js';
import { AWAITING_CONTACT, eventsOfRoute, type RouteRow } from './repository.js';
import type { ReferralInboxDeps } from './service.js';
import type { RouteStatus } from '../tables.js';

export const EVENT_LABELS: Record<string, string> = {
  routed: 'Referral received',
  rerouted: 'Passed on to your organisation',
  accepted: 'Accepted',
  declined: 'Declined',
  contact_attempt: 'Contact attempt',
  outcome: 'Outcome recorded',
  overdue_chased: 'Reminder sent: first contact overdue',
};

export type ReceivedReferral = Awaited<ReturnType<typeof loadReceivedReferral>>;

/** Everything the receiving service needs on one page, decrypted; the caller has checked need to know. */
export async function loadReceivedReferral(deps: Pick<ReferralInboxDeps, 'db' | 'crypto' | 'reference' | 'userName' | 'clock'>, route: RouteRow) {
  const { db, crypto, reference, userName, clock } = deps;
  const [detail, outcome, events, areas] = await Promise.all([loadReferralDetail(db.kysely, crypto, route.referral_id), outcomeOf(db.kysely, route.referral_id), eventsOfRoute(db.kysely, route.id), reference.listAreas()]);
  if (!detail || !outcome) throw new Error(`Route ${route.id} points at a referral that cannot be read.`);
  const referrerOrganisation = await reference.getOrganisation(detail.referrerOrganisationId);
  const names = new Map<string, string>();
  for (const id of new Set(events.map((event) => event.actor_user_id).filter((id): id is string => id !== null))) names.set(id, (await userName(id)) ?? 'Someone no longer registered');

  const now = clock().toISOString();
  const overdue = route.first_contact_at === null && AWAITING_CONTACT.includes(route.status) && route.first_contact_due_at !== null && route.first_contact_due_at < now;
  const history = events.map((event) => {
    const details = JSON.parse(event.details) as Record<string, unknown>;
    return {
      at: event.at,
      kind: event.kind,
      label: EVENT_LABELS[event.kind] ?? event.kind,
      by: event.actor_user_id ? names.get(event.actor_user_id) : undefined,
      note: crypto.decryptOptional(event.note_enc),
      summary: eventSummary(event.kind, details),
      details,
    };
  });
  const lastOutcome = [...history].reverse().find((event) => event.kind === 'outcome');

  return {
    route: {
      id: route.id,
      version: route.version,
      kind: route.kind,
      kindLabel: ROUTE_KIND_LABELS[route.kind] ?? route.kind,
      status: route.status,
      statusLabel: ROUTE_STATUS_LABELS[route.status],
      statusTag: ROUTE_STATUS_TAGS[route.status],
      receivedAt: route.created_at,
      dueAt: route.first_contact_due_at,
      overdue,
      firstContactAt: route.first_contact_at,
      acceptedAt: route.accepted_at,
      outcome: route.outcome,
      outcomeLabel: route.outcome ? textOf(OUTCOMES, route.outcome) : null,
      closureOutcomes: stringOf(lastOutcome?.details['closureOutcomes'])
        .split(',')
        .filter(Boolean)
        .map((code) => textOf(CLOSURE_OUTCOMES, code)),
      rulesFired: JSON.parse(route.rules_fired) as RuleFired[],
      rerouted: route.rerouted_from_route_id !== null,
    },
    referral: present(detail),
    districtName: areas.find((area) => area.code === detail.input.district)?.name ?? detail.input.district,
    referrerOrganisation: referrerOrganisation?.name ?? 'Unknown organisation',
    criteria: outcome.criteriaMet,
    ruleSet: outcome.ruleSet,
    dash: dashSummary(detail),
    attempts: history.filter((event) => event.kind === 'contact_attempt'),
    history,
    can: actionsAllowed(route.status),
  };
}

/** What the receiving organisation can do with a route in each state (the actions check the same). */
export function actionsAllowed(status: RouteStatus) {
  return {
    accept: status === 'new',
    decline: status === 'new' || status === 'accepted',
    logContact: status === 'accepted' || status === 'in_contact',
    recordOutcome: status === 'accepted' || status === 'in_contact',
  };
}

function eventSummary(kind: string, details: Record<string, unknown>): string {
  if (kind === 'contact_attempt') return `${textOf(CONTACT_METHODS, String(details['method']))}: ${details['successful'] === true ? 'spoke to them' : 'did not reach them'}`;
  if (kind === 'declined') return textOf(DECLINE_REASONS, String(details['reason']));
  if (kind === 'outcome') return textOf(OUTCOMES, String(details['outcome']));
  return '';
}

/** Coded answers turned into words for the page; personal fields were decrypted by loadReferralDetail. */
function present(detail: ReferralDetail) {
  const { input } = detail;
  return {
    reference: detail.reference,
    submittedAt: detail.submittedAt,
    source: detail.source,
    score: detail.score,
    riskLevel: detail.riskLevel,
    riskLabel: RISK_LEVEL_LABELS[detail.riskLevel] ?? detail.riskLevel,
    marac: detail.marac,
    person: { ...input.person, genderLabel: labelOf(GENDERS, input.person.gender) },
    safeContact: {
      ...input.safeContact,
      safeToContactLabel: labelOf(TRI_STATE, input.safeContact.safeToContact),
      mayLeaveMessageLabel: labelOf(TRI_STATE, input.safeContact.mayLeaveMessage),
    },
    childrenLabel: labelOf(TRI_STATE, input.childrenInHousehold),
    children: input.children,
    otherDependantsLabel: labelOf(TRI_STATE, input.otherDependants),
    adults: input.adults,
    needs: input.needs.map((need) => labelOf(NEED_OPTIONS, need)),
    harm: { ...input.personCausingHarm, relationshipLabel: labelOf(RELATIONSHIPS, input.personCausingHarm.relationship), genderLabel: labelOf(GENDERS, input.personCausingHarm.gender) },
    professionalJudgement: input.professionalJudgement,
    seriousHarmRiskLabel: labelOf(JUDGED_RISK_ANSWERS, input.seriousHarmRisk),
    suicideSelfHarmRiskLabel: labelOf(JUDGED_RISK_ANSWERS, input.suicideSelfHarmRisk),
    incidentDates: input.incidentDates,
    consent: {
      statusLabel: labelOf(CONSENT_OPTIONS, input.consent.status) || 'Not recorded',
      given: input.consent.status === 'given',
      lawfulBasisLabel: labelOf(LAWFUL_BASES, input.consent.lawfulBasis),
      notes: input.consent.notes,
    },
    referrer: input.referrer,
  };
}

function dashSummary(detail: ReferralDetail) {
  const entries = CHECKLIST.questions.map((question, index) => ({ number: index + 1, key: question.key, topic: question.topic, text: question.text, entry: detail.input.dash[question.key] }));
  return {
    instrument: CHECKLIST.name,
    assessedOn: detail.assessment?.assessedOn ?? null,
    score: detail.score,
    yes: entries.filter((item) => item.entry?.answer === 'yes'),
    notKnown: entries.filter((item) => item.entry?.answer === 'not_known'),
    no: entries.filter((item) => item.entry?.answer === 'no').length,
  };
}

function stringOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
