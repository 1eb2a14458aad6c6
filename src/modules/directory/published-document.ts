import { v5 as uuidv5 } from 'uuid';
import type { ServiceInput, ServiceRecord } from './model.js';
import type { ServiceStatus } from './tables.js';

/** A fixed namespace so a language entry keeps the same identifier every time a service is published. */
const LANGUAGE_NAMESPACE = '6f1c2b8e-4b7d-4c55-9b2f-2d0e1c8f6a10';

/**
 * The service's own fields as published: what the public pages and the Open Referral feed show until the next
 * publication. Locations are referenced, not copied: their details (and whether they are confidential) are read
 * live, so a location marked confidential disappears from every page at once.
 */
export interface PublishedDocument {
  readonly id: string;
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
  readonly languages: ReadonlyArray<{ readonly id: string; readonly code: string }>;
  readonly accessibility: string;
  readonly openingNotes: string;
  readonly url: string | null;
  readonly email: string | null;
  readonly status: ServiceStatus;
  readonly acceptsCallbacks: boolean;
  readonly phones: ReadonlyArray<{ readonly id: string; readonly number: string; readonly description: string }>;
  readonly contacts: ReadonlyArray<{ readonly id: string; readonly name: string; readonly title: string; readonly email: string | null; readonly phone: string | null }>;
  readonly schedules: ReadonlyArray<{ readonly id: string; readonly byday: string; readonly opensAt: string; readonly closesAt: string }>;
  readonly serviceAreas: ReadonlyArray<{ readonly id: string; readonly areaCode: string }>;
  readonly terms: ReadonlyArray<{ readonly id: string; readonly termId: string; readonly code: string }>;
  readonly serviceAtLocations: ReadonlyArray<{ readonly id: string; readonly locationId: string }>;
  readonly lastModified: string;
}

export function publishedDocumentOf(service: ServiceRecord, now: string): PublishedDocument {
  return {
    id: service.id,
    organisationId: service.organisationId,
    name: service.name,
    description: service.description,
    offers: service.offers,
    eligibility: service.eligibility,
    minimumAge: service.minimumAge,
    maximumAge: service.maximumAge,
    referralSelf: service.referralSelf,
    referralProfessional: service.referralProfessional,
    referralDetails: service.referralDetails,
    languages: service.languages.map((code) => ({ id: uuidv5(`${service.id}:${code}`, LANGUAGE_NAMESPACE), code })),
    accessibility: service.accessibility,
    openingNotes: service.openingNotes,
    url: service.url,
    email: service.email,
    status: service.status,
    acceptsCallbacks: service.acceptsCallbacks,
    phones: service.phoneRows,
    contacts: service.contactRows,
    schedules: service.scheduleRows,
    serviceAreas: service.areaRows,
    terms: service.termRows,
    serviceAtLocations: service.locationRows,
    lastModified: now,
  };
}

/** A field of the service form and what was typed in it. */
export type TypedField = readonly [field: string, text: string];

/** The free text of a service, as typed or as published. */
export type ServiceText = Pick<ServiceInput, 'name' | 'description' | 'offers' | 'eligibility' | 'referralDetails' | 'accessibility' | 'openingNotes' | 'url' | 'email' | 'phones' | 'contacts'>;

/** Every piece of free text an editor typed, by its form field, for the check that none of it repeats a confidential address. */
export function serviceTextFields(document: ServiceText): readonly TypedField[] {
  return [
    ['name', document.name],
    ['description', document.description],
    ['offers', document.offers],
    ['eligibility', document.eligibility],
    ['referralDetails', document.referralDetails],
    ['accessibility', document.accessibility],
    ['openingNotes', document.openingNotes],
    ['url', document.url ?? ''],
    ['email', document.email ?? ''],
    ...document.phones.flatMap((phone, row): TypedField[] => [[`phones-${String(row)}-number`, phone.number], [`phones-${String(row)}-description`, phone.description]]),
    ...document.contacts.flatMap((contact, row): TypedField[] => [
      [`contacts-${String(row)}-name`, contact.name],
      [`contacts-${String(row)}-title`, contact.title],
      [`contacts-${String(row)}-email`, contact.email ?? ''],
      [`contacts-${String(row)}-phone`, contact.phone ?? ''],
    ]),
  ];
}
