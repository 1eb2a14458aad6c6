import type { Db } from '../../platform/db/database.js';
import { SAFE_ACCOMMODATION, type Taxonomy, type TaxonomyTerm } from './model.js';
import type { PlaceReference } from './place-lookup.js';
import type { PublishedDocument } from './published-document.js';
import { publishedLocation, publishedOrganisation, type DirectoryView } from './published-records.js';
import { currentGeneration, loadPublicRows, type PublicRows } from './repository/published.js';
import type { LocationType } from './tables.js';

export interface PublicOrganisation {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly email: string | null;
  readonly website: string | null;
}

/** A location as the public may see it. A confidential one carries nothing but its identifiers. */
export type PublicLocation =
  | {
      readonly confidential: false;
      readonly id: string;
      readonly salId: string;
      readonly name: string;
      readonly type: LocationType;
      readonly address1: string | null;
      readonly address2: string | null;
      readonly city: string | null;
      readonly postalCode: string | null;
      readonly areaCode: string | null;
      readonly latitude: number | null;
      readonly longitude: number | null;
      readonly accessibility: string | null;
    }
  | { readonly confidential: true; readonly id: string; readonly salId: string };

export type OpenLocation = Extract<PublicLocation, { confidential: false }>;

export interface PublicService extends PublishedDocument {
  readonly organisation: PublicOrganisation;
  readonly locations: readonly PublicLocation[];
  readonly publishedAt: string;
  readonly lastReviewedAt: string | null;
  readonly coverage: ReadonlySet<string>;
  readonly termCodes: ReadonlySet<string>;
  readonly termIds: ReadonlySet<string>;
  readonly taxonomyIds: ReadonlySet<string>;
  /** Lower-case text for free-text search; built only from what the public may see. */
  readonly searchText: string;
}

export interface PublicArea {
  readonly code: string;
  readonly name: string;
  readonly towns: readonly string[];
}

export interface PublicServiceAtLocation {
  readonly id: string;
  readonly service: PublicService;
  readonly location: OpenLocation;
}

/** The whole published directory, held in memory by each instance and rebuilt when the generation moves. */
export interface PublicDirectory {
  readonly generation: number;
  readonly services: readonly PublicService[];
  /** Services offering each need or group, in name order: the finder's index. */
  readonly servicesByTerm: ReadonlyMap<string, readonly PublicService[]>;
  /** Services covering or based in (at a location the public may know) each area, in name order. */
  readonly servicesByArea: ReadonlyMap<string, readonly PublicService[]>;
  readonly serviceById: ReadonlyMap<string, PublicService>;
  readonly organisations: readonly PublicOrganisation[];
  readonly organisationById: ReadonlyMap<string, PublicOrganisation>;
  readonly taxonomies: readonly Taxonomy[];
  readonly terms: readonly TaxonomyTerm[];
  readonly termByCode: ReadonlyMap<string, TaxonomyTerm>;
  readonly termById: ReadonlyMap<string, TaxonomyTerm>;
  readonly areas: readonly PublicArea[];
  readonly areaByCode: ReadonlyMap<string, PublicArea>;
  readonly places: PlaceReference;
  readonly serviceAtLocations: readonly PublicServiceAtLocation[];
  readonly serviceAtLocationById: ReadonlyMap<string, PublicServiceAtLocation>;
}

const MAX_AGE_MS = 5 * 60 * 1000;
/** How often an instance asks the database whether another instance has published something. */
const CHECK_EVERY_MS = 1000;
/**
 * The oldest confirmation a reader is answered from. Under load the checks behind the answer keep the copy younger
 * than this, so no reader waits for the database (on PostgreSQL under load, the answer would come back behind every
 * other request); after a quiet spell the first reader waits for the check.
 */
const ANSWERED_UNCONFIRMED_AT_MOST_MS = 3000;

/**
 * A cheap read of the generation at most once a second; a full reload only when something published has changed
 * (or every few minutes, for reference data edited elsewhere). Safe with several instances: each follows the counter.
 */
export function createPublicDirectoryCache(db: Db, clock: () => Date) {
  let cached: { directory: PublicDirectory; loadedAt: number } | undefined;
  let loading: { readonly generation: number; readonly directory: Promise<PublicDirectory> } | undefined;
  let checking: Promise<PublicDirectory> | undefined;
  let checkedAt = 0;
  /** Moves when this instance changes something: a check begun before then cannot vouch for what follows. */
  let changes = 0;
  let checkedSinceChange = false;

  async function reload(generation: number): Promise<PublicDirectory> {
    const directory = buildDirectory(generation, await loadPublicRows(db.kysely));
    // Two loads can overlap (see load): the one that read an older generation does not replace a newer one.
    if (!cached || cached.directory.generation <= generation) cached = { directory, loadedAt: clock().getTime() };
    return directory;
  }

  /** A load under way is joined only if it reads this generation or a later one: an older one may miss a publish. */
  function load(generation: number): Promise<PublicDirectory> {
    if (loading && loading.generation >= generation) return loading.directory;
    const directory = reload(generation).finally(() => {
      if (loading?.directory === directory) loading = undefined;
    });
    loading = { generation, directory };
    return directory;
  }

  async function check(now: number): Promise<PublicDirectory> {
    const askedAfter = changes;
    const generation = await currentGeneration(db.kysely);
    checkedAt = now;
    if (askedAfter === changes) checkedSinceChange = true;
    if (cached?.directory.generation !== generation) return load(generation);
    // Nothing published since: the periodic refresh (for reference data edited elsewhere) happens behind the
    // answer, so no visitor waits for a full reload; a failed refresh is tried again on a later request.
    if (now - cached.loadedAt >= MAX_AGE_MS) load(generation).catch(() => undefined);
    return cached.directory;
  }

  /** One read of the generation at a time, whoever asks while it is under way waits for that one. */
  function checkOnce(now: number): Promise<PublicDirectory> {
    const pending = (checking ??= check(now).finally(() => {
      if (checking === pending) checking = undefined;
    }));
    return pending;
  }

  return {
    /**
     * The directory in hand while it was confirmed against the database in the last few seconds (looked at again
     * behind the answer once it is a second old); otherwise the reader waits for one read of the generation (shared
     * with everyone who asks meanwhile). A change published on another instance (an address made confidential, a
     * service withdrawn) is therefore never shown here more than a few seconds later, however long this instance was
     * quiet. After this instance's own change the next reader always waits, so an editor sees what they published at
     * once. When the database cannot be asked, the page fails (its error page still gives the help-now numbers)
     * rather than show a copy that may hold an address made confidential.
     */
    async current(): Promise<PublicDirectory> {
      const now = clock().getTime();
      const age = now - checkedAt;
      if (!cached || !checkedSinceChange || age >= ANSWERED_UNCONFIRMED_AT_MOST_MS) return checkOnce(now);
      if (age >= CHECK_EVERY_MS) checkOnce(now).catch(() => undefined);
      return cached.directory;
    },
    invalidate(): void {
      changes += 1;
      checkedSinceChange = false;
      checking = undefined;
    },
  };
}

/**
 * A service's fields set in one fixed order by one literal, so every service in memory has the same shape:
 * objects spread straight from JSON.parse came in thousands of shapes, and each filter over 5,000 of them took ten
 * times as long.
 */
function publicService(document: PublishedDocument, derived: Omit<PublicService, keyof PublishedDocument>): PublicService {
  return {
    id: document.id,
    organisationId: document.organisationId,
    name: document.name,
    description: document.description,
    offers: document.offers,
    eligibility: document.eligibility,
    minimumAge: document.minimumAge,
    maximumAge: document.maximumAge,
    referralSelf: document.referralSelf,
    referralProfessional: document.referralProfessional,
    referralDetails: document.referralDetails,
    languages: document.languages,
    accessibility: document.accessibility,
    openingNotes: document.openingNotes,
    url: document.url,
    email: document.email,
    status: document.status,
    acceptsCallbacks: document.acceptsCallbacks,
    phones: document.phones,
    contacts: document.contacts,
    schedules: document.schedules,
    serviceAreas: document.serviceAreas,
    terms: document.terms,
    serviceAtLocations: document.serviceAtLocations,
    lastModified: document.lastModified,
    organisation: derived.organisation,
    locations: derived.locations,
    publishedAt: derived.publishedAt,
    lastReviewedAt: derived.lastReviewedAt,
    coverage: derived.coverage,
    termCodes: derived.termCodes,
    termIds: derived.termIds,
    taxonomyIds: derived.taxonomyIds,
    searchText: derived.searchText,
  };
}

function coversOrIsBasedIn(service: PublicService, areaCode: string): boolean {
  return service.coverage.has(areaCode) || service.locations.some((location) => !location.confidential && location.areaCode === areaCode);
}

export type PublicDirectoryCache = ReturnType<typeof createPublicDirectoryCache>;

export function buildDirectory(generation: number, rows: PublicRows, view: DirectoryView = 'public'): PublicDirectory {
  const taxonomies: Taxonomy[] = rows.taxonomies.map((row) => ({ id: row.id, code: row.code, name: row.name, description: row.description }));
  const taxonomyById = new Map(taxonomies.map((taxonomy) => [taxonomy.id, taxonomy]));
  const terms: TaxonomyTerm[] = rows.terms.map((row) => ({
    id: row.id,
    code: row.code,
    name: row.name,
    description: row.description,
    taxonomyId: row.taxonomy_id,
    taxonomyCode: taxonomyById.get(row.taxonomy_id)?.code ?? '',
    position: row.position,
  }));
  const termByCode = new Map(terms.map((term) => [term.code, term]));
  const termById = new Map(terms.map((term) => [term.id, term]));
  const areas: PublicArea[] = rows.areas.map((row) => ({ code: row.code, name: row.name, towns: row.towns.split(';').map((town) => town.trim()).filter(Boolean) }));
  const areaByCode = new Map(areas.map((area) => [area.code, area]));
  const allOrganisations = new Map(
    rows.organisations.flatMap((row): Array<[string, PublicOrganisation]> => {
      const published = publishedOrganisation(row, view);
      return published ? [[row.id, { id: row.id, ...published }]] : [];
    }),
  );
  const locationById = new Map(rows.locations.flatMap((row) => {
    const published = publishedLocation(row, view);
    return published ? [[row.id, published] as const] : [];
  }));

  const publishedAt = new Map<string, string | null>([...rows.organisations, ...rows.locations].map((row) => [row.id, row.published_at]));
  const services: PublicService[] = [];
  for (const row of rows.published) {
    const document = JSON.parse(row.document) as PublishedDocument;
    const organisation = allOrganisations.get(document.organisationId);
    if (!organisation) continue;
    // Where people stay is never shown, whatever was published before the rule that such a building is confidential.
    const peopleStay = document.terms.some((term) => term.code === SAFE_ACCOMMODATION);
    const locations = document.serviceAtLocations.flatMap((link): PublicLocation[] => {
      const location = locationById.get(link.locationId);
      if (!location) return [];
      if (location.confidential || (peopleStay && location.locationType === 'physical')) return [{ confidential: true, id: link.locationId, salId: link.id }];
      return [
        {
          confidential: false,
          id: link.locationId,
          salId: link.id,
          name: location.name,
          type: location.locationType,
          address1: location.address1,
          address2: location.address2,
          city: location.city,
          postalCode: location.postalCode,
          areaCode: location.areaCode,
          latitude: location.latitude,
          longitude: location.longitude,
          accessibility: location.accessibility,
        },
      ];
    });
    const serviceTerms = document.terms.map((link) => termById.get(link.termId)).filter((term): term is TaxonomyTerm => term !== undefined);
    const coverage = new Set(document.serviceAreas.map((area) => area.areaCode));
    // What a partner's feed shows of a service changes with its organisation's and locations' publications too.
    const lastModified = [document.organisationId, ...document.serviceAtLocations.map((link) => link.locationId)].reduce((latest, id) => {
      const at = publishedAt.get(id);
      return at && at > latest ? at : latest;
    }, document.lastModified);
    services.push(publicService({ ...document, lastModified }, {
      organisation,
      locations,
      publishedAt: row.published_at,
      lastReviewedAt: row.last_reviewed_at,
      coverage,
      termCodes: new Set(serviceTerms.map((term) => term.code)),
      termIds: new Set(serviceTerms.map((term) => term.id)),
      taxonomyIds: new Set(serviceTerms.map((term) => term.taxonomyId)),
      searchText: [
        document.name,
        document.description,
        document.offers,
        document.eligibility,
        organisation.name,
        ...serviceTerms.map((term) => term.name),
        ...[...coverage].map((code) => areaByCode.get(code)?.name ?? ''),
        ...locations.flatMap((location) => (location.confidential ? [] : [location.name, location.city ?? ''])),
      ]
        .join(' ')
        .toLowerCase(),
    }));
  }
  services.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  // Only organisations with something published are public: a new organisation's details may still be a draft.
  const organisations = [...new Map(services.map((service) => [service.organisation.id, service.organisation])).values()].sort((a, b) => a.name.localeCompare(b.name));
  const serviceAtLocations = services
    .flatMap((service) => service.locations.flatMap((location) => (location.confidential ? [] : [{ id: location.salId, service, location }])))
    .sort((a, b) => a.id.localeCompare(b.id));
  return {
    generation,
    services,
    servicesByTerm: new Map(terms.map((term) => [term.code, services.filter((service) => service.termCodes.has(term.code))])),
    servicesByArea: new Map(areas.map((area) => [area.code, services.filter((service) => coversOrIsBasedIn(service, area.code))])),
    serviceById: new Map(services.map((service) => [service.id, service])),
    organisations,
    organisationById: new Map(organisations.map((organisation) => [organisation.id, organisation])),
    taxonomies,
    terms,
    termByCode,
    termById,
    areas,
    areaByCode,
    places: {
      areas,
      districts: new Map(rows.districts.map((row) => [row.outward.toUpperCase(), row.area_codes.split(';').map((code) => code.trim()).filter(Boolean)])),
    },
    serviceAtLocations,
    serviceAtLocationById: new Map(serviceAtLocations.map((link) => [link.id, link])),
  };
}
