import { directoryTranslator } from './locales.js';
import type { LocationType, Publication, ServiceStatus } from './tables.js';

/** Languages a service can offer without an interpreter; codes follow ISO 639 (BSL: ISO 639-3 "bfi"). */
const LANGUAGE_CODES = ['en', 'bfi', 'pl', 'ro', 'lt', 'pa', 'ur', 'bn', 'ne', 'tr', 'ar', 'ku', 'pt'] as const;

/** Each with its English name from the directory's translation file, where the public pages' names in every language are. */
export const LANGUAGE_OPTIONS = LANGUAGE_CODES.map((code) => ({ code, name: directoryTranslator.forLanguage('en')(`directory.language.${code}`) }));

export type LanguageOption = (typeof LANGUAGE_OPTIONS)[number];

export function languageName(code: string): string {
  return LANGUAGE_OPTIONS.find((option) => option.code === code)?.name ?? code;
}

export const SERVICE_STATUSES: readonly ServiceStatus[] = ['active', 'temporarily closed', 'inactive', 'defunct'];

/** RFC 5545 day codes in week order, as stored in a schedule's BYDAY. */
export const DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Day = (typeof DAYS)[number];

export interface PhoneInput {
  readonly number: string;
  readonly description: string;
}

export interface ContactInput {
  readonly name: string;
  readonly title: string;
  readonly email: string | null;
  readonly phone: string | null;
}

/** Opening hours for one day; a day that is closed has no entry. */
export interface DayHours {
  readonly day: Day;
  readonly opensAt: string;
  readonly closesAt: string;
}

/** Everything an editor sets on a service, as one value: forms, history and the published document share it. */
export interface ServiceInput {
  readonly organisationId: string;
  readonly name: string;
  readonly description: string;
  readonly offers: string;
  readonly eligibility: string;
  readonly minimumAge: number | null;
  readonly maximumAge: number | null;
  readonly referralSelf: boolean;
  readonly referralProfessional: boolean;
  readonly referralDetails: string;
  readonly languages: readonly string[];
  readonly accessibility: string;
  readonly openingNotes: string;
  readonly url: string | null;
  readonly email: string | null;
  readonly status: ServiceStatus;
  readonly acceptsCallbacks: boolean;
  readonly phones: readonly PhoneInput[];
  readonly contacts: readonly ContactInput[];
  readonly hours: readonly DayHours[];
  readonly areaCodes: readonly string[];
  readonly termCodes: readonly string[];
  readonly locationIds: readonly string[];
}

/** A service as editors see it: the working copy with its publication state. */
export interface ServiceRecord extends ServiceInput {
  readonly id: string;
  readonly publication: Publication;
  readonly hasUnpublishedChanges: boolean;
  readonly publishedAt: string | null;
  readonly lastReviewedAt: string | null;
  readonly reviewFlaggedAt: string | null;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly phoneRows: ReadonlyArray<PhoneInput & { readonly id: string }>;
  readonly contactRows: ReadonlyArray<ContactInput & { readonly id: string }>;
  readonly scheduleRows: ReadonlyArray<{ readonly id: string; readonly byday: string; readonly opensAt: string; readonly closesAt: string }>;
  readonly areaRows: ReadonlyArray<{ readonly id: string; readonly areaCode: string }>;
  readonly termRows: ReadonlyArray<{ readonly id: string; readonly termId: string; readonly code: string }>;
  readonly locationRows: ReadonlyArray<{ readonly id: string; readonly locationId: string }>;
}

export interface OrganisationInput {
  readonly name: string;
  readonly description: string;
  readonly email: string | null;
  readonly website: string | null;
  readonly partnerOrganisationId: string | null;
}

export interface Address {
  readonly address1: string;
  readonly address2: string | null;
  readonly city: string;
  readonly postalCode: string;
}

/** The need whose services people stay at: a refuge or safe house, at an address that is always kept confidential. */
export const SAFE_ACCOMMODATION = 'safe-accommodation';

/** Where people could go in person: the kind of location a safe accommodation service may list only as confidential. */
export function isVisitable(location: { readonly location_type: string; readonly confidential: number }): boolean {
  return location.location_type === 'physical' && location.confidential === 0;
}

export interface LocationInput {
  readonly organisationId: string;
  readonly name: string;
  readonly locationType: LocationType;
  readonly confidential: boolean;
  readonly address: Address | null;
  readonly areaCode: string | null;
  readonly accessibility: string | null;
}

export interface TaxonomyTerm {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly description: string;
  readonly taxonomyId: string;
  readonly taxonomyCode: string;
  readonly position: number;
}

export interface Taxonomy {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly description: string;
}
