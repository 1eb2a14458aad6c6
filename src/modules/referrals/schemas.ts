import { z } from 'zod';
import { PHONE_MAX_LENGTH, phoneField, ukDigits } from '../../platform/phone-text.js';
import type { ConsentStatus, DashAnswer, JudgedRiskAnswer, TriState } from './tables.js';
import type { NeedCode } from './rules/schema.js';
import { ageBand } from './options.js';

/** The referral as the service takes it, whichever way it arrived (form or partner API). */
export interface PersonInput {
  readonly firstName: string;
  readonly lastName: string | null;
  readonly otherNames: string | null;
  readonly dateOfBirth: string | null;
  readonly address: string | null;
  readonly postcode: string | null;
  readonly phone: string | null;
  readonly email: string | null;
  readonly gender: string | null;
}

export interface HarmPersonInput extends PersonInput {
  readonly relationship: string | null;
  readonly notes: string | null;
}

export interface DependantInput {
  readonly name: string;
  readonly dateOfBirth: string | null;
  readonly relationship: string | null;
  readonly setting: string | null;
  readonly notes: string | null;
  readonly livesInHousehold: boolean;
}

export interface DashEntry {
  readonly answer: DashAnswer;
  readonly note: string | null;
  readonly source: string | null;
}

export interface ReferralInput {
  readonly district: string;
  readonly person: PersonInput;
  readonly safeContact: {
    readonly safeToContact: TriState;
    readonly phone: string | null;
    readonly email: string | null;
    readonly times: string | null;
    readonly mayLeaveMessage: TriState;
    readonly notes: string | null;
    readonly interpreterLanguage: string | null;
  };
  readonly childrenInHousehold: TriState;
  readonly children: readonly DependantInput[];
  readonly otherDependants: TriState;
  readonly adults: readonly DependantInput[];
  readonly needs: readonly NeedCode[];
  readonly personCausingHarm: HarmPersonInput;
  readonly dash: Readonly<Record<string, DashEntry>>;
  readonly professionalJudgement: { readonly applies: boolean; readonly reasons: string | null };
  /** The referrer's judgements behind Kent & Medway's local criterion: a high risk of serious harm from the person causing harm, */
  readonly seriousHarmRisk: JudgedRiskAnswer;
  /** and a high risk of suicide or self-harm because of the abuse. */
  readonly suicideSelfHarmRisk: JudgedRiskAnswer;
  readonly incidentDates: readonly string[];
  readonly consent: { readonly status: ConsentStatus; readonly lawfulBasis: string | null; readonly notes: string | null };
  readonly equality: {
    readonly gender: string | null;
    readonly ethnicity: string | null;
    readonly sexualOrientation: string | null;
    readonly disability: string | null;
    readonly religion: string | null;
  };
  readonly referrer: { readonly name: string | null; readonly phone: string | null; readonly email: string | null };
}

// ---- Shared field rules, used by the form pages and the partner API alike ----

/** Trimmed text; empty becomes null. */
export function optionalText(max: number, label: string) {
  return z
    .string()
    .trim()
    .max(max, `${label} must be ${String(max)} characters or fewer`)
    .optional()
    .transform((value) => (value ? value : null));
}

export function requiredText(max: number, message: string, label: string) {
  return z.string({ error: message }).trim().min(1, message).max(max, `${label} must be ${String(max)} characters or fewer`);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isRealDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A real calendar date (YYYY-MM-DD) that is not after `today`. */
export function pastDate(today: () => string, label: string) {
  return z
    .string({ error: `Enter ${label} as a date, for example 2000-03-27` })
    // abort: a value that is not a date gets that one message, not also comparisons made on its text.
    .refine(isRealDate, { message: `${capitalise(label)} must be a real date, written YYYY-MM-DD`, abort: true })
    .refine((value) => value <= today(), `${capitalise(label)} must be today or in the past`)
    .refine((value) => value >= '1900-01-01', `${capitalise(label)} must be after 1900`);
}

/** A child in the household is under 18 on the day of the referral: an older son or daughter is an adult, for adults' services. */
export function isChildAge(dateOfBirth: string, today: string): boolean {
  const band = ageBand(dateOfBirth, today);
  return band === 'under_16' || band === '16_17';
}

const UK_POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$/i;

export function postcode(label: string) {
  return z
    .string()
    .trim()
    .refine((value) => value === '' || UK_POSTCODE.test(value), `Enter ${label} as a full UK postcode, like ME4 4TR`)
    .optional()
    .transform((value) => (value ? value.toUpperCase().replace(/\s+/g, '').replace(/(.{3})$/, ' $1') : null));
}

export function phone(label: string) {
  return phoneField(
    z
      .string()
      .max(PHONE_MAX_LENGTH, `${capitalise(label)} must be ${String(PHONE_MAX_LENGTH)} characters or fewer`)
      .refine((value) => value === '' || (/^[+\d\s()-]+$/.test(value) && ukDigits(value).length >= 10 && ukDigits(value).length <= 13), `Enter ${label} as a UK phone number, like 01632 960 001 or 07700 900 982`)
      .optional()
      .transform((value) => (value ? value : null)),
  );
}

export function email(label: string) {
  return z
    .string()
    .trim()
    .max(254, `${capitalise(label)} must be 254 characters or fewer`)
    .refine((value) => value === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value), `Enter ${label} in the correct format, like name@example.com`)
    .optional()
    .transform((value) => (value ? value : null));
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const MESSAGES = {
  childrenContradiction: 'You said no children live in the household, but gave details of a child. Change the answer to “Yes” or remove the child’s details',
  childrenNotKnownContradiction: 'You said you do not know whether children live in the household, but gave details of a child who does. Change the answer to “Yes” or remove the child’s details',
  judgementWithoutReasons: 'Enter your reasons for referring on professional judgement',
  lawfulBasisMissing: 'Select the lawful reason for sharing without consent',
  unknownDistrict: 'Select a district in Kent or Medway',
  childOver18: 'A child must be under 18 today: check the date of birth, or give a son or daughter of 18 or over as an adult who depends on them',
} as const;
