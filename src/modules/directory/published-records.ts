import type { LocationType } from './tables.js';

/**
 * What the public sees of directory organisations and locations: the version last published, kept beside the
 * working copy editors change, as a service's published document is.
 */

export interface PublishedOrganisation {
  readonly name: string;
  readonly description: string;
  readonly email: string | null;
  readonly website: string | null;
}

/** A confidential location publishes nothing but the fact that it is confidential: never a name, area or address. */
export type PublishedLocation =
  | { readonly confidential: true }
  | {
      readonly confidential: false;
      readonly name: string;
      readonly locationType: LocationType;
      readonly address1: string | null;
      readonly address2: string | null;
      readonly city: string | null;
      readonly postalCode: string | null;
      readonly areaCode: string | null;
      readonly latitude: number | null;
      readonly longitude: number | null;
      readonly accessibility: string | null;
    };

interface OrganisationFields {
  readonly name: string;
  readonly description: string;
  readonly email: string | null;
  readonly website: string | null;
}

interface LocationFields {
  readonly name: string;
  readonly location_type: LocationType;
  readonly confidential: number;
  readonly address_1: string | null;
  readonly address_2: string | null;
  readonly city: string | null;
  readonly postal_code: string | null;
  readonly area_code: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly accessibility: string | null;
}

interface Published {
  readonly published_document: string | null;
}

/** `public`: what visitors see now. `preview`: the same, but a record never published shows its working copy. */
export type DirectoryView = 'public' | 'preview';

export function organisationDocumentOf(row: OrganisationFields): PublishedOrganisation {
  return { name: row.name, description: row.description, email: row.email, website: row.website };
}

export function locationDocumentOf(row: LocationFields): PublishedLocation {
  if (row.confidential === 1) return { confidential: true };
  return {
    confidential: false,
    name: row.name,
    locationType: row.location_type,
    address1: row.address_1,
    address2: row.address_2,
    city: row.city,
    postalCode: row.postal_code,
    areaCode: row.area_code,
    latitude: row.latitude,
    longitude: row.longitude,
    accessibility: row.accessibility,
  };
}

export function publishedOrganisation(row: OrganisationFields & Published, view: DirectoryView = 'public'): PublishedOrganisation | undefined {
  if (row.published_document) return JSON.parse(row.published_document) as PublishedOrganisation;
  return view === 'preview' ? organisationDocumentOf(row) : undefined;
}

/**
 * A location made confidential leaves the public site as it is saved, before anything is published: the working
 * copy's confidentiality always wins. The other way, an address becomes public only once it is published.
 */
export function publishedLocation(row: LocationFields & Published, view: DirectoryView = 'public'): PublishedLocation | undefined {
  if (row.confidential === 1) return { confidential: true };
  if (row.published_document) return JSON.parse(row.published_document) as PublishedLocation;
  return view === 'preview' ? locationDocumentOf(row) : undefined;
}

export interface PendingChange {
  readonly field: string;
  readonly label: string;
  readonly from: string;
  readonly to: string;
}

const LABELS: Readonly<Record<string, string>> = {
  name: 'Name',
  description: 'Description',
  email: 'Email',
  website: 'Website',
  locationType: 'Kind',
  address1: 'Address line 1',
  address2: 'Address line 2',
  city: 'Town or city',
  postalCode: 'Postcode',
  areaCode: 'Area',
  accessibility: 'Access',
  latitude: 'Map position (latitude)',
  longitude: 'Map position (longitude)',
};

/** What the public sees of a detail of a location published as confidential. */
const NOT_SHOWN = 'Not shown: confidential';

/** What publishing would change on the public site, detail by detail (coordinates follow the postcode). */
export function changesToPublish(published: PublishedOrganisation | PublishedLocation | undefined, working: PublishedOrganisation | PublishedLocation): PendingChange[] {
  const before: Record<string, string | number | boolean | null> = { ...published };
  const after: Record<string, string | number | boolean | null> = { ...working };
  return Object.keys(LABELS).flatMap((field) => {
    const from = published && 'confidential' in published && published.confidential ? NOT_SHOWN : String(before[field] ?? '');
    const to = String(after[field] ?? '');
    return from === to ? [] : [{ field, label: LABELS[field] ?? field, from, to }];
  });
}
