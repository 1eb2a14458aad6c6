import type { TaxonomyTerm } from './model.js';
import { resolvePlace, type Place } from './place-lookup.js';
import { distanceMetres, METRES_PER_MILE, type Point } from './postcodes.js';
import type { PublicDirectory, PublicService } from './public-directory.js';
import { keptPerDirectory } from './derived.js';

export const RESULTS_PER_PAGE = 20;

export interface FinderQuery {
  readonly location: string;
  /** A term code: what help ("idva"), or who it is for ("men") as older links ask. */
  readonly need: string;
  /** A term code of who the help is for ("men"), to combine with a need: refuge for men. */
  readonly group: string;
  /** Chosen area when a town is in two areas ("Minster"). */
  readonly area?: string | undefined;
  readonly page: number;
  /** True when the search form was submitted (even empty), false on a first visit to /services. */
  readonly submitted: boolean;
}

/** Why a result matches, in structured form; the page words it in the reader's language. */
export type Reason =
  | { readonly kind: 'covers'; readonly areas: string }
  | { readonly kind: 'based'; readonly place: string }
  | { readonly kind: 'distance'; readonly miles: string }
  | { readonly kind: 'offers' | 'serves'; readonly termCode: string }
  | { readonly kind: 'coverage-all' }
  | { readonly kind: 'coverage'; readonly areas: string };

export interface FinderResult {
  readonly service: PublicService;
  readonly reasons: readonly Reason[];
  readonly covers: boolean;
  readonly based: boolean;
  readonly distance: number | null;
}

export type FinderState = 'start' | 'empty' | 'results' | 'no-results' | 'outside' | 'unknown-place';

export interface FinderOutcome {
  readonly state: FinderState;
  readonly place: Place;
  /** What help was asked for. */
  readonly need: TaxonomyTerm | undefined;
  /** Who the help is for. */
  readonly group: TaxonomyTerm | undefined;
  /** A need or group code in the address that is not one of ours: searched without it, and said so. */
  readonly unknownNeed: boolean;
  readonly results: readonly FinderResult[];
  readonly total: number;
  readonly page: number;
  readonly pageCount: number;
  /** Nearest options when nothing matched: the same help elsewhere in Kent and Medway. */
  readonly alternatives: readonly FinderResult[];
  /** A postcode district or town spanning several areas, shown so the reader knows why. */
  readonly areaNames: readonly string[];
}

/** Looks up coordinates for a postcode (full, then its district's centroid), when the operator has imported them. */
export type PointLookup = (place: Place) => Promise<Point | undefined>;

/**
 * The service finder: filter by need and place, explain each match, rank by covering the searched area, then
 * being based there, then distance. Reads only the published, in-memory directory.
 */
export async function findServices(directory: PublicDirectory, query: FinderQuery, lookupPoint: PointLookup): Promise<FinderOutcome> {
  const place = resolvePlace(query.location, directory.places, query.area);
  const asked = [query.need, query.group].filter(Boolean).map((code) => directory.termByCode.get(code));
  const known = asked.filter((term): term is TaxonomyTerm => term !== undefined);
  // Each term in its slot, whichever parameter carried it: a link saying need=men asks for services for men.
  const need = known.find((term) => !isGroup(term));
  const group = known.find(isGroup);
  const terms = [need, group].filter((term): term is TaxonomyTerm => term !== undefined);
  const unknownNeed = known.length < asked.length;
  const base = { place, need, group, unknownNeed, results: [], total: 0, page: 1, pageCount: 0, alternatives: [], areaNames: [] as string[] };
  const elsewhere = (point: Point | undefined) => (terms.length ? rank(directory, [], terms, point, false).slice(0, 5).map((match) => explain(directory, match, [], terms, false)) : []);
  if (place.kind === 'outside') return { ...base, state: 'outside' };
  if (place.kind === 'unknown') return { ...base, state: 'unknown-place', alternatives: elsewhere(undefined) };
  if (place.kind === 'none' && terms.length === 0) return { ...base, state: query.submitted || unknownNeed ? 'empty' : 'start' };

  const areaCodes = place.kind === 'none' ? [] : place.areaCodes;
  const point = place.kind === 'postcode' || place.kind === 'outward' ? await lookupPoint(place) : undefined;
  const byPlace = place.kind !== 'none' && place.kind !== 'everywhere';
  const matches = rank(directory, areaCodes, terms, point, byPlace);
  const pageCount = Math.max(1, Math.ceil(matches.length / RESULTS_PER_PAGE));
  const page = Math.min(Math.max(1, query.page), pageCount);
  const areaNames = place.kind === 'everywhere' ? [] : areaCodes.map((code) => directory.areaByCode.get(code)?.name ?? code);
  if (matches.length === 0) return { ...base, state: 'no-results', areaNames, alternatives: elsewhere(point) };
  return {
    ...base,
    state: 'results',
    areaNames,
    results: matches.slice((page - 1) * RESULTS_PER_PAGE, page * RESULTS_PER_PAGE).map((match) => explain(directory, match, areaCodes, terms, byPlace)),
    total: matches.length,
    page,
    pageCount,
  };
}

interface Match {
  readonly service: PublicService;
  readonly covers: boolean;
  readonly based: boolean;
  readonly distance: number | null;
}

const rankings = keptPerDirectory<readonly Match[]>(300);

/**
 * Every service that matches, in ranked order, without explanations yet (only the page shown is explained): worked
 * out once per published directory for a place and need, as every page of the results and every town of the same
 * district asks the same.
 */
function rank(directory: PublicDirectory, areaCodes: readonly string[], terms: readonly TaxonomyTerm[], point: Point | undefined, byPlace: boolean): readonly Match[] {
  const key = JSON.stringify([areaCodes, terms.map((term) => term.code), point?.latitude, point?.longitude, byPlace]);
  return rankings(directory, key, () => rankAll(directory, areaCodes, terms, point, byPlace));
}

function rankAll(directory: PublicDirectory, areaCodes: readonly string[], terms: readonly TaxonomyTerm[], point: Point | undefined, byPlace: boolean): Match[] {
  const wanted = new Set(areaCodes);
  // Four tiers (covers and based, covers, based, neither), each kept in name order: no sort of every match. Services
  // open now come first; one closed for a while or not taking new people follows in the same order, and says so;
  // one closed for good is not offered at all.
  const tiers: Match[][] = [[], [], [], [], [], [], [], []];
  for (const service of candidates(directory, areaCodes, terms[0], byPlace)) {
    if (!terms.every((term) => service.termCodes.has(term.code))) continue;
    if (service.status === 'defunct') continue;
    // Searching a place: covering any of its areas. Searching the whole county, or no place: covering all of it.
    let covers = !byPlace && coversWholeCounty(directory, service);
    if (byPlace) for (const code of areaCodes) if (service.coverage.has(code)) covers = true;
    let based = false;
    for (const location of service.locations) if (!location.confidential && location.areaCode !== null && wanted.has(location.areaCode)) based = true;
    if (byPlace && !covers && !based) continue;
    tiers[(service.status === 'active' ? 0 : 4) + (covers ? 0 : 2) + (based ? 0 : 1)]?.push({ service, covers, based, distance: point ? nearestDistance(service, point) : null });
  }
  // Within a tier, nearer first when a point is known; sort is stable, so ties stay alphabetical.
  if (point) for (const tier of tiers) tier.sort((a, b) => (a.distance ?? Number.MAX_VALUE) - (b.distance ?? Number.MAX_VALUE));
  return tiers.flat();
}

/** The smallest list that holds every match: the need's services, or the one searched area's. */
function candidates(directory: PublicDirectory, areaCodes: readonly string[], need: TaxonomyTerm | undefined, byPlace: boolean): readonly PublicService[] {
  const byNeed = need ? (directory.servicesByTerm.get(need.code) ?? []) : directory.services;
  const [onlyArea] = areaCodes;
  if (!byPlace || areaCodes.length !== 1 || onlyArea === undefined) return byNeed;
  const byArea = directory.servicesByArea.get(onlyArea) ?? [];
  return byArea.length < byNeed.length ? byArea : byNeed;
}

function coversWholeCounty(directory: PublicDirectory, service: PublicService): boolean {
  return service.coverage.size >= directory.areas.length;
}

/** A term from the groups taxonomy says who a service is for ("For: Men"), not what it offers. */
export function isGroup(term: TaxonomyTerm): boolean {
  return term.taxonomyCode === 'groups';
}

/** Why a match is listed, in the order a reader weighs it. */
function explain(directory: PublicDirectory, match: Match, areaCodes: readonly string[], terms: readonly TaxonomyTerm[], byPlace: boolean): FinderResult {
  const { service } = match;
  const areaName = (code: string) => directory.areaByCode.get(code)?.name ?? code;
  const reasons: Reason[] = [];
  if (byPlace && match.covers) reasons.push({ kind: 'covers', areas: areaCodes.filter((code) => service.coverage.has(code)).map(areaName).join(', ') });
  const base = byPlace ? service.locations.find((location) => !location.confidential && location.areaCode !== null && areaCodes.includes(location.areaCode)) : undefined;
  if (base && !base.confidential) reasons.push({ kind: 'based', place: base.city ?? areaName(base.areaCode ?? '') });
  if (match.distance !== null) reasons.push({ kind: 'distance', miles: (match.distance / METRES_PER_MILE).toFixed(1) });
  for (const term of terms) reasons.push({ kind: isGroup(term) ? 'serves' : 'offers', termCode: term.code });
  if (!byPlace) {
    reasons.push(coversWholeCounty(directory, service) ? { kind: 'coverage-all' } : { kind: 'coverage', areas: [...service.coverage].map(areaName).sort().join(', ') });
  }
  return { ...match, reasons };
}

/** Distance to the nearest location the public may know about; confidential ones never count. */
function nearestDistance(service: PublicService, point: Point): number | null {
  let best: number | null = null;
  for (const location of service.locations) {
    if (location.confidential || location.latitude === null || location.longitude === null) continue;
    const metres = distanceMetres(point, { latitude: location.latitude, longitude: location.longitude });
    if (best === null || metres < best) best = metres;
  }
  return best;
}
