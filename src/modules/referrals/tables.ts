/**
 * Tables of the referral pathway. Columns ending `_enc` hold AES-GCM ciphertext (FieldCrypto); columns ending
 * `_index` hold keyed blind indexes (HMAC) used only for equality matching. Coded values (answers, needs, kinds,
 * statuses) are plain so that routing, inboxes and reports can filter and count without decrypting anything.
 * Booleans are integers 0/1 so SQLite and PostgreSQL agree.
 */

export type RiskLevel = 'standard' | 'medium' | 'high';
export const DASH_ANSWERS = ['yes', 'no', 'not_known'] as const;
export type DashAnswer = (typeof DASH_ANSWERS)[number];
export type TriState = 'yes' | 'no' | 'not_known';

/**
 * The person at risk's age when referred, as routing sees it: MARAC and the domestic abuse definition are for people
 * aged 16 and over, and a 16- or 17-year-old is still a child in law. Read from the equality age band, which is
 * worked out from the date of birth as the referral is sent.
 */
export const AGE_BANDS = ['under_16', '16_17', 'adult'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export function routingAgeBand(equalityAgeBand: string | null): AgeBand | null {
  if (equalityAgeBand === null) return null;
  return equalityAgeBand === 'under_16' || equalityAgeBand === '16_17' ? equalityAgeBand : 'adult';
}
/** A referrer's judgement of a risk (of serious harm, or of suicide or self-harm); "not_given" when it was never asked (earlier referrals) or left out (API). */
export type JudgedRiskAnswer = TriState | 'not_given';
/** `not_recorded`: a partner system sent the referral without saying. */
export type ConsentStatus = 'given' | 'not_given' | 'not_asked' | 'not_recorded';

export const ROUTE_KINDS = ['marac', 'idva', 'outreach', 'specialist', 'safe_accommodation', 'children_safeguarding', 'adult_safeguarding', 'housing'] as const;
export type RouteKind = (typeof ROUTE_KINDS)[number];

/**
 * A route's place in the receiving organisation's inbox. `new` until someone acts; `declined` routes keep their
 * row (with the reason) and a replacement route points back at them through `rerouted_from_route_id`.
 */
export const ROUTE_STATUSES = ['new', 'accepted', 'declined', 'in_contact', 'closed', 'withdrawn'] as const;
export type RouteStatus = (typeof ROUTE_STATUSES)[number];

export const CRITERIA = ['visible_high_risk', 'professional_judgement', 'potential_escalation', 'repeat', 'suicide_self_harm'] as const;
export type CriterionCode = (typeof CRITERIA)[number];

/** A versioned set of MARAC criteria and routing rules for one MARAC area (see seed/routing-rules.json). */
export interface RoutingRuleSetTable {
  id: string;
  /** e.g. `kent`, `medway`: which MARAC the rules belong to; each covers a list of districts (area codes). */
  marac_area: string;
  version: number;
  status: 'draft' | 'active' | 'retired';
  /** The whole rule set as JSON, validated by the Zod schema in rules/schema.ts on every read. */
  rules: string;
  /** Why this version was made (plain words, for the rules history). */
  change_note: string;
  created_by_user_id: string | null;
  created_at: string;
  activated_at: string | null;
  activated_by_user_id: string | null;
  retired_at: string | null;
}

export interface ReferralTable {
  id: string;
  /** Short reference people can read out on the phone, e.g. `R-7K3P9Q2M`; not guessable, unique. */
  reference: string;
  status: 'submitted' | 'closed' | 'withdrawn';
  source: 'form' | 'api';
  /** Null when a partner system sent it through the API. */
  referrer_user_id: string | null;
  referrer_organisation_id: string;
  api_key_id: string | null;
  /** The practitioner's draft it was sent from (unique: a draft makes one referral); null from the API. */
  source_draft_id: string | null;
  /** Referrer's own contact details for the receiving service (optional; the user record holds the rest). */
  referrer_name_enc: string | null;
  referrer_phone_enc: string | null;
  referrer_email_enc: string | null;
  /** Area code (seed/areas.csv) where the person at risk lives. */
  district: string;
  marac_area: string;
  rule_set_id: string;
  rule_set_version: number;

  /** Safe contact: whether it is safe to talk now, how and when to reach them. */
  safe_to_contact: TriState;
  safe_phone_enc: string | null;
  safe_email_enc: string | null;
  safe_times_enc: string | null;
  may_leave_message: TriState;
  contact_notes_enc: string | null;
  interpreter_language_enc: string | null;
  /** Where releases before the encrypted column kept it in plain text; emptied into the encrypted one at start. */
  interpreter_language: string | null;

  children_in_household: TriState;
  other_dependants: TriState;
  /** JSON array of need codes (housing, adult_care_support, safe_accommodation, mens_service, lgbt_service, ...). */
  needs: string;

  professional_judgement: number;
  professional_judgement_reasons_enc: string | null;
  /** The referrer's judgement of a high risk of suicide or self-harm because of the abuse. */
  suicide_self_harm_risk: JudgedRiskAnswer;
  /** The referrer's judgement of a high risk of serious harm from the person causing harm. */
  serious_harm_risk: JudgedRiskAnswer;
  /** JSON array of ISO dates (YYYY-MM-DD) of known domestic abuse incidents. */
  incident_dates: string;
  /** JSON: incident dates on earlier referrals about the same pair, counted towards escalation when this was sent. */
  earlier_incident_dates: string;

  consent: ConsentStatus;
  /** Code of the lawful reason to share without consent (when consent is not given or not asked). */
  lawful_basis: string | null;
  consent_notes_enc: string | null;

  /** The person causing harm's age band when referred (as equality_age_band is kept): routing reads it, and so does the rules editor's preview. */
  harm_age_band: string | null;

  /** Optional equality monitoring: codes only, for the MARAC dataset and equality reports. */
  equality_gender: string | null;
  equality_age_band: string | null;
  equality_ethnicity: string | null;
  equality_sexual_orientation: string | null;
  equality_disability: string | null;
  equality_religion: string | null;

  /** The DASH "yes" count of the referral's assessment. */
  score: number;
  risk_level: RiskLevel;
  /** 1 when any MARAC criterion is met. */
  marac: number;
  /** A submitted referral in the last 12 months for the same person (duplicate warning), for receivers only. */
  recent_referral_id: string | null;
  /** The earlier MARAC referral that made this a repeat, when it is one. */
  repeat_of_referral_id: string | null;

  submitted_at: string;
  created_at: string;
  updated_at: string;
  version: number;
}

/** The person at risk and the person (or people) causing harm. */
export interface ReferralPersonTable {
  id: string;
  referral_id: string;
  role: 'person_at_risk' | 'person_causing_harm';
  first_name_enc: string;
  last_name_enc: string | null;
  other_names_enc: string | null;
  date_of_birth_enc: string | null;
  address_enc: string | null;
  postcode_enc: string | null;
  phone_enc: string | null;
  email_enc: string | null;
  /** Relationship of the person causing harm to the person at risk (code), null for the person at risk. */
  relationship: string | null;
  gender: string | null;
  notes_enc: string | null;
  /** Blind indexes (null when the value is unknown). */
  name_index: string | null;
  name_phonetic_index: string | null;
  dob_index: string | null;
  phone_index: string | null;
  postcode_index: string | null;
  /** Copied from the referral so matching queries need no join to find recent people. */
  submitted_at: string;
}

export interface ReferralDependantTable {
  id: string;
  referral_id: string;
  kind: 'child' | 'adult';
  name_enc: string;
  date_of_birth_enc: string | null;
  relationship_enc: string | null;
  /** School, nursery or other setting; or for adults, who supports them. */
  setting_enc: string | null;
  notes_enc: string | null;
  lives_in_household: number;
  position: number;
}

/** One completed checklist. Kept as history: a re-run after a new incident adds an assessment, never overwrites. */
export interface DashAssessmentTable {
  id: string;
  referral_id: string;
  /** e.g. `safelives-dash` with its version; other instruments (young people, S-DASH) fit the same shape. */
  instrument: string;
  instrument_version: string;
  assessed_on: string;
  yes_count: number;
  completed_by_user_id: string | null;
  created_at: string;
}

export interface DashAnswerTable {
  id: string;
  assessment_id: string;
  /** `q1` .. `q24` for the DASH; other instruments use their own keys. */
  question: string;
  answer: DashAnswer;
  note_enc: string | null;
  /** Who gave the answer when it was not the person at risk. */
  source_enc: string | null;
}

/** Each MARAC criterion the rules weighed, met or not, recorded individually with a plain-words explanation (no personal data). */
export interface ReferralCriterionTable {
  referral_id: string;
  criterion: CriterionCode;
  /** 1 when met; 0 when weighed and not met (rows written before 2026-12-05 are all met). */
  met: number;
  explanation: string;
  /** JSON facts behind it, e.g. {"yesCount":15,"threshold":14}. */
  details: string;
}

export interface ReferralRouteTable {
  id: string;
  referral_id: string;
  organisation_id: string;
  kind: RouteKind;
  status: RouteStatus;
  /** The referral's risk level (fixed when it is made), copied so the inbox filters and counts by risk from its index. */
  risk_level: RiskLevel;
  /** JSON array of the rules that fired: [{ ruleId, summary, because: string[] }]. */
  rules_fired: string;
  rule_set_id: string;
  position: number;
  /** Set from the rule set's first-contact target for the referral's risk level (working days). */
  first_contact_due_at: string | null;
  first_contact_at: string | null;
  first_contact_by_user_id: string | null;
  accepted_at: string | null;
  accepted_by_user_id: string | null;
  declined_at: string | null;
  declined_by_user_id: string | null;
  decline_reason_enc: string | null;
  rerouted_from_route_id: string | null;
  outcome: string | null;
  outcome_at: string | null;
  closed_at: string | null;
  last_chased_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

/** What happened to a referral, in order. Details are codes and ids only; free text goes in note_enc. */
export interface ReferralEventTable {
  id: string;
  referral_id: string;
  route_id: string | null;
  at: string;
  kind: string;
  actor_user_id: string | null;
  actor_organisation_id: string | null;
  details: string;
  note_enc: string | null;
}

/** Form answers saved on every page, so nothing is lost if a session times out. */
export interface ReferralDraftTable {
  id: string;
  user_id: string;
  organisation_id: string;
  /** The whole set of answers so far, as encrypted JSON. */
  answers_enc: string;
  last_page: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface ApiKeyTable {
  id: string;
  organisation_id: string;
  label: string;
  /** The first characters of the key, shown in lists so people can tell keys apart. */
  prefix: string;
  /** SHA-256 of the whole key; the key itself is shown once and never stored. */
  key_hash: string;
  created_by_user_id: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  revoked_by_user_id: string | null;
}

export interface IdempotencyKeyTable {
  organisation_id: string;
  key: string;
  body_hash: string;
  status_code: number;
  /** The JSON response given the first time (ids, codes and plain-words explanations; no personal data). */
  response: string;
  created_at: string;
}

/**
 * How many routes an organisation has of each status and risk level, for the inbox's "of N referrals". Kept by
 * triggers on referral_routes (migration 0032) in the same transaction as each change; no code writes it.
 */
export interface ReferralInboxCountTable {
  organisation_id: string;
  status: RouteStatus;
  risk_level: RiskLevel;
  routes: number;
}

/** An upgrade of the routing rules considered for an area, applied or not (see rules/upgrades.ts). */
export interface RoutingRuleUpgradeTable {
  marac_area: string;
  marker: string;
  considered_at: string;
}

export interface ReferralTables {
  routing_rule_sets: RoutingRuleSetTable;
  routing_rule_upgrades: RoutingRuleUpgradeTable;
  referrals: ReferralTable;
  referral_people: ReferralPersonTable;
  referral_dependants: ReferralDependantTable;
  dash_assessments: DashAssessmentTable;
  dash_answers: DashAnswerTable;
  referral_criteria: ReferralCriterionTable;
  referral_routes: ReferralRouteTable;
  referral_inbox_counts: ReferralInboxCountTable;
  referral_events: ReferralEventTable;
  referral_drafts: ReferralDraftTable;
  api_keys: ApiKeyTable;
  idempotency_keys: IdempotencyKeyTable;
}
