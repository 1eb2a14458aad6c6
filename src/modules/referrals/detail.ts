import type { FieldCrypto } from '../../platform/crypto/field-crypto.js';
import type { Executor } from '../../platform/db/database.js';
import { dependantsOf, eventsOf, latestAssessmentOf, peopleOf, referralById, type PersonRow } from './repository.js';
import type { NeedCode } from './rules/schema.js';
import type { DashEntry, DependantInput, HarmPersonInput, PersonInput, ReferralInput } from './schemas.js';

/** A referral as recorded, decrypted into the same shape it was submitted in, with what the record adds. */
export interface ReferralDetail {
  readonly id: string;
  readonly reference: string;
  readonly status: string;
  readonly source: 'form' | 'api';
  readonly referrerUserId: string | null;
  readonly referrerOrganisationId: string;
  readonly submittedAt: string;
  readonly score: number;
  readonly riskLevel: string;
  readonly marac: boolean;
  readonly ageBand: string | null;
  readonly assessment: { readonly instrument: string; readonly version: string; readonly assessedOn: string } | null;
  readonly input: ReferralInput;
  readonly events: ReadonlyArray<{ readonly at: string; readonly kind: string; readonly routeId: string | null; readonly details: Record<string, unknown> }>;
}

export async function loadReferralDetail(executor: Executor, crypto: FieldCrypto, referralId: string): Promise<ReferralDetail | undefined> {
  const referral = await referralById(executor, referralId);
  if (!referral) return undefined;
  const [people, dependants, latest, events] = await Promise.all([peopleOf(executor, referralId), dependantsOf(executor, referralId), latestAssessmentOf(executor, referralId), eventsOf(executor, referralId)]);
  const dec = (value: string | null) => crypto.decryptOptional(value);
  const personRow = people.find((row) => row.role === 'person_at_risk');
  const harmRow = people.find((row) => row.role === 'person_causing_harm');
  if (!personRow || !harmRow) throw new Error(`Referral ${referralId} is missing a person record.`);
  const dependant = (row: (typeof dependants)[number]): DependantInput => ({
    name: crypto.decrypt(row.name_enc),
    dateOfBirth: dec(row.date_of_birth_enc),
    relationship: dec(row.relationship_enc),
    setting: dec(row.setting_enc),
    notes: dec(row.notes_enc),
    livesInHousehold: row.lives_in_household === 1,
  });
  const dash: Record<string, DashEntry> = {};
  for (const answer of latest?.answers ?? []) dash[answer.question] = { answer: answer.answer, note: dec(answer.note_enc), source: dec(answer.source_enc) };
  const input: ReferralInput = {
    district: referral.district,
    person: person(crypto, personRow),
    safeContact: {
      safeToContact: referral.safe_to_contact,
      phone: dec(referral.safe_phone_enc),
      email: dec(referral.safe_email_enc),
      times: dec(referral.safe_times_enc),
      mayLeaveMessage: referral.may_leave_message,
      notes: dec(referral.contact_notes_enc),
      interpreterLanguage: dec(referral.interpreter_language_enc),
    },
    childrenInHousehold: referral.children_in_household,
    children: dependants.filter((row) => row.kind === 'child').map(dependant),
    otherDependants: referral.other_dependants,
    adults: dependants.filter((row) => row.kind === 'adult').map(dependant),
    needs: JSON.parse(referral.needs) as NeedCode[],
    personCausingHarm: { ...person(crypto, harmRow), relationship: harmRow.relationship, notes: dec(harmRow.notes_enc) } satisfies HarmPersonInput,
    dash,
    professionalJudgement: { applies: referral.professional_judgement === 1, reasons: dec(referral.professional_judgement_reasons_enc) },
    seriousHarmRisk: referral.serious_harm_risk,
    suicideSelfHarmRisk: referral.suicide_self_harm_risk,
    incidentDates: JSON.parse(referral.incident_dates) as string[],
    consent: { status: referral.consent, lawfulBasis: referral.lawful_basis, notes: dec(referral.consent_notes_enc) },
    equality: {
      gender: referral.equality_gender,
      ethnicity: referral.equality_ethnicity,
      sexualOrientation: referral.equality_sexual_orientation,
      disability: referral.equality_disability,
      religion: referral.equality_religion,
    },
    referrer: { name: dec(referral.referrer_name_enc), phone: dec(referral.referrer_phone_enc), email: dec(referral.referrer_email_enc) },
  };
  return {
    id: referral.id,
    reference: referral.reference,
    status: referral.status,
    source: referral.source,
    referrerUserId: referral.referrer_user_id,
    referrerOrganisationId: referral.referrer_organisation_id,
    submittedAt: referral.submitted_at,
    score: referral.score,
    riskLevel: referral.risk_level,
    marac: referral.marac === 1,
    ageBand: referral.equality_age_band,
    assessment: latest ? { instrument: latest.assessment.instrument, version: latest.assessment.instrument_version, assessedOn: latest.assessment.assessed_on } : null,
    input,
    events: events.map((event) => ({ at: event.at, kind: event.kind, routeId: event.route_id, details: JSON.parse(event.details) as Record<string, unknown> })),
  };
}

function person(crypto: FieldCrypto, row: PersonRow): PersonInput {
  return {
    firstName: crypto.decrypt(row.first_name_enc),
    lastName: crypto.decryptOptional(row.last_name_enc),
    otherNames: crypto.decryptOptional(row.other_names_enc),
    dateOfBirth: crypto.decryptOptional(row.date_of_birth_enc),
    address: crypto.decryptOptional(row.address_enc),
    postcode: crypto.decryptOptional(row.postcode_enc),
    phone: crypto.decryptOptional(row.phone_enc),
    email: crypto.decryptOptional(row.email_enc),
    gender: row.gender,
  };
}
