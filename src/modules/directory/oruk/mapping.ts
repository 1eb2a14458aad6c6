import { v5 as uuidv5 } from 'uuid';
import { languageName, type Taxonomy, type TaxonomyTerm } from '../model.js';
import { JsonBytes } from './json-bytes.js';
import type { OpenLocation, PublicDirectory, PublicOrganisation, PublicService, PublicServiceAtLocation } from '../public-directory.js';

/** Namespace for identifiers of objects we derive (addresses, contact phones) so they are stable between reads. */
const DERIVED_NAMESPACE = 'a3c9e7d2-52f4-4b0e-8d61-3f2b9c0e7a45';
const derivedId = (parent: string, kind: string) => uuidv5(`${parent}:${kind}`, DERIVED_NAMESPACE);

type Json = string | number | boolean | Json[] | { [key: string]: Json };
type Loose = Record<string, Json | null | undefined>;

/** Open Referral UK: optional fields that are empty are left out, never sent as null. */
export function omitEmpty(object: Loose): Record<string, Json> {
  const result: Record<string, Json> = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    result[key] = value;
  }
  return result;
}

const dateOnly = (iso: string | null) => (iso ? iso.slice(0, 10) : null);
const time = (hhmm: string) => (/^\d\d:\d\d$/.test(hhmm) ? `${hhmm}:00` : hhmm);

export function organization(organisation: PublicOrganisation): Record<string, Json> {
  return omitEmpty({ id: organisation.id, name: organisation.name, description: organisation.description, email: organisation.email, website: organisation.website });
}

/**
 * How services read in the feed. A service's `url` is its website, or else its page on the public site (the standard's
 * list schema requires a url, and a service may have only a phone). The one-to-one fields, as list responses carry
 * them, are made once per published service (a directory rebuilt after a publish has new service objects), as every
 * page of the feed repeats them; never changed after.
 */
export function createServiceMapping(publicBaseUrl: string) {
  const summaries = new WeakMap<PublicService, Record<string, Json>>();
  const summaryJson = new WeakMap<PublicService, JsonBytes>();

  function serviceSummary(service: PublicService): Record<string, Json> {
    let summary = summaries.get(service);
    if (!summary) {
      summary = summaryOf(service, service.url ?? `${publicBaseUrl}/services/${service.id}`);
      summaries.set(service, summary);
    }
    return summary;
  }

  /** The summary as UTF-8 JSON: a page of the feed joins fifty of them. */
  function serviceSummaryJson(service: PublicService): JsonBytes {
    let json = summaryJson.get(service);
    if (json === undefined) {
      json = JsonBytes.of(serviceSummary(service));
      summaryJson.set(service, json);
    }
    return json;
  }

  /** A fully nested service. Confidential locations are not in it at all: no address, no coordinates, no name. */
  function serviceFull(service: PublicService, directory: PublicDirectory): Record<string, Json> {
    return omitEmpty({ ...serviceSummary(service), ...nestedOf(service, directory) });
  }

  function serviceAtLocationSummary(link: PublicServiceAtLocation, directory: PublicDirectory): Record<string, Json> {
    return omitEmpty({ id: link.id, service_id: link.service.id, location_id: link.location.id, location: location(link.location, directory, false), service: serviceSummary(link.service) });
  }

  /**
   * The standard's OpenAPI document names the service schema (id, name and status required) for this answer, where
   * its example is a service_at_location: the service's name and status are given at the top as well, so it passes
   * a check against either.
   */
  function serviceAtLocationFull(link: PublicServiceAtLocation, directory: PublicDirectory): Record<string, Json> {
    return omitEmpty({
      id: link.id,
      name: link.service.name,
      status: link.service.status,
      service_id: link.service.id,
      location_id: link.location.id,
      location: location(link.location, directory, true),
      service: serviceFull(link.service, directory),
    });
  }

  return { serviceSummary, serviceSummaryJson, serviceFull, serviceAtLocationSummary, serviceAtLocationFull };
}

function summaryOf(service: PublicService, url: string): Record<string, Json> {
  const description = [service.description, service.offers].filter(Boolean).join('\n\n');
  return omitEmpty({
    id: service.id,
    organization_id: service.organisationId,
    name: service.name,
    description,
    url,
    email: service.email,
    status: service.status,
    minimum_age: service.minimumAge,
    maximum_age: service.maximumAge,
    assured_date: dateOnly(service.lastReviewedAt),
    last_modified: service.lastModified,
    eligibility_description: service.eligibility,
    application_process: service.referralDetails,
    organization: organization(service.organisation),
  });
}

export function location(place: OpenLocation, directory: PublicDirectory, withChildren: boolean): Record<string, Json> {
  const area = place.areaCode ? directory.areaByCode.get(place.areaCode) : undefined;
  const address =
    place.address1 && place.city && place.postalCode
      ? [
          omitEmpty({
            id: derivedId(place.id, 'address'),
            location_id: place.id,
            address_1: [place.address1, place.address2].filter(Boolean).join(', '),
            city: place.city,
            region: area?.name,
            state_province: 'Kent',
            postal_code: place.postalCode,
            country: 'GB',
            address_type: place.type === 'postal' ? 'postal' : 'physical',
          }),
        ]
      : [];
  const accessibility = place.accessibility ? [omitEmpty({ id: derivedId(place.id, 'accessibility'), location_id: place.id, description: place.accessibility })] : [];
  return omitEmpty({
    id: place.id,
    location_type: place.type,
    name: place.name,
    latitude: place.latitude,
    longitude: place.longitude,
    ...(withChildren ? { addresses: address, accessibility } : {}),
  });
}

export function taxonomyTerm(term: TaxonomyTerm, directory: PublicDirectory): Record<string, Json> {
  const taxonomy = directory.taxonomies.find((candidate) => candidate.id === term.taxonomyId);
  return omitEmpty({ id: term.id, name: term.name, description: term.description, taxonomy_id: term.taxonomyId, taxonomy: taxonomy?.name, term: term.name, code: term.code });
}

export function taxonomy(value: Taxonomy, directory: PublicDirectory, withTerms: boolean): Record<string, Json> {
  return omitEmpty({
    id: value.id,
    name: value.name,
    description: value.description,
    version: '1',
    taxonomy_terms: withTerms ? directory.terms.filter((term) => term.taxonomyId === value.id).map((term) => taxonomyTerm(term, directory)) : undefined,
  });
}

/** The one-to-many fields of a service; confidential locations left out entirely. */
function nestedOf(service: PublicService, directory: PublicDirectory): Loose {
  // Every week (iCal's interval is 1 unless given; giving it would call for a dtstart, which an opening time has not).
  const schedules = service.schedules.map((schedule) =>
    omitEmpty({ id: schedule.id, service_id: service.id, freq: 'WEEKLY', byday: schedule.byday, opens_at: time(schedule.opensAt), closes_at: time(schedule.closesAt) }),
  );
  if (service.openingNotes) schedules.push(omitEmpty({ id: derivedId(service.id, 'opening-notes'), service_id: service.id, description: service.openingNotes }));
  return {
    schedules,
    service_areas: service.serviceAreas.map((area) => {
      const name = directory.areaByCode.get(area.areaCode)?.name ?? area.areaCode;
      // extent_type names the extent's format (geojson, topojson, kml or text); no polygon is held, so the extent is words.
      return omitEmpty({ id: area.id, service_id: service.id, name, service_area: name, extent: `${name} local authority district`, extent_type: 'text' });
    }),
    service_at_locations: service.locations.flatMap((place) =>
      place.confidential ? [] : [omitEmpty({ id: place.salId, service_id: service.id, location_id: place.id, location: location(place, directory, true) })],
    ),
    languages: service.languages.map((language) => omitEmpty({ id: language.id, service_id: service.id, name: languageName(language.code), code: language.code })),
    contacts: service.contacts.map((contact) =>
      omitEmpty({
        id: contact.id,
        service_id: service.id,
        name: contact.name,
        title: contact.title,
        email: contact.email,
        phones: contact.phone ? [omitEmpty({ id: derivedId(contact.id, 'phone'), contact_id: contact.id, number: contact.phone })] : [],
      }),
    ),
    phones: service.phones.map((phone) => omitEmpty({ id: phone.id, service_id: service.id, number: phone.number, description: phone.description })),
    attributes: service.terms.flatMap((link) => {
      const term = directory.termById.get(link.termId);
      return term ? [omitEmpty({ id: link.id, link_id: service.id, link_type: 'service', link_entity: 'service', taxonomy_term_id: term.id, taxonomy_term: taxonomyTerm(term, directory) })] : [];
    }),
  };
}
