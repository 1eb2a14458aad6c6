import type { TaxonomyTerm } from './model.js';
import { resolvePlace, type Place } from './place-lookup.js';
import { distanceMetres, METRES_PER_MILE, type Point } from './postcodes.js';
import type { PublicDirectory, PublicService } from './public-directory.js';

export const RESULTS_PER_PAGE = 20;

export interface FinderQuery {
  readonly location: string;
  readonly need: string;
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
  | { readonly kind: 'offers'; readonly termCode: string }
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
  readonly need: TaxonomyTerm | undefined;
  /** A need code in the address that is not one of ours: searched without it, and said so. */
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
  const need = query.need ? directory.termByCode.get(query.need) : undefined;
  const unknownNeed = Boolean(query.need) && !need;
  const base = { place, need, unknownNeed, results: [], total: 0, page: 1, pageCount: 0, alternatives: [], areaNames: [] as string[] };
  if (place.kind === 'outside') return { ...base, state: 'outside' };
  if (place.kind === 'unknown') return { ...base, state: 'unknown-place', alternatives: need ? rank(directory, [], need, undefined, false).slice(0, 5) : [] };
  if (place.kind === 'none' && !need) return { ...base, state: query.submitted || unknownNeed ? 'empty' : 'start' };

  const areaCodes = place.kind === 'none' ? [] : place.areaCodes;
  const point = place.kind === 'postcode' || place.kind === 'outward' ? await lookupPoint(place) : undefined;
  const matches = rank(directory, areaCodes, need, point, place.kind !== 'none' && place.kind !== 'everywhere');
  const pageCount = Math.max(1, Math.ceil(matches.length / RESULTS_PER_PAGE));
  const page = Math.min(Math.max(1, query.page), pageCount);
  const areaNames = place.kind === 'everywhere' ? [] : areaCodes.map((code) => directory.areaByCode.get(code)?.name ?? code);
  if (matches.length === 0) {
    const alternatives = need ? rank(directory, [], need, point, false).slice(0, 5) : [];
    return { ...base, state: 'no-results', areaNames, alternatives };
  }
  return {
    ...base,
    state: 'results',
    areaNames,
    results: matches.slice((page - 1) * RESULTS_PER_PAGE, page * RESULTS_PER_PAGE),
    total: matches.length,
    page,
    pageCount,
  };
}

function rank(directory: PublicDirectory, areaCodes: readonly string[], need: TaxonomyTerm | undefined, point: Point | undefined, byPlace: boolean): FinderResult[] {
  const wanted = new Set(areaCodes);
  const everyArea = directory.areas.length;
  const results: FinderResult[] = [];
  for (const service of directory.services) {
    if (need && !service.termCodes.has(need.code)) continue;
    const coveredHere = areaCodes.filter((code) => service.coverage.has(code));
    const basedHere = service.locations.filter((location) => !location.confidential && location.areaCode !== null && wanted.has(location.areaCode));
    if (byPlace && coveredHere.length === 0 && basedHere.length === 0) continue;
    const distance = point ? nearestDistance(service, point) : null;
    const reasons: Reason[] = [];
    if (byPlace && coveredHere.length) reasons.push({ kind: 'covers', areas: coveredHere.map((code) => directory.areaByCode.get(code)?.name ?? code).join(', ') });
    const firstBase = basedHere[0];
    if (byPlace && firstBase && !firstBase.confidential) {
      reasons.push({ kind: 'based', place: firstBase.city ?? directory.areaByCode.get(firstBase.areaCode ?? '')?.name ?? firstBase.name });
    }
    if (distance !== null) reasons.push({ kind: 'distance', miles: (distance / METRES_PER_MILE).toFixed(1) });
    if (need) reasons.push({ kind: 'offers', termCode: need.code });
    if (!byPlace) {
      reasons.push(
        service.coverage.size >= everyArea
          ? { kind: 'coverage-all' }
          : { kind: 'coverage', areas: [...service.coverage].map((code) => directory.areaByCode.get(code)?.name ?? code).sort().join(', ') },
      );
    }
    results.push({ service, reasons, covers: coveredHere.length > 0, based: basedHere.length > 0, distance });
  }
  // The directory is already in name order and sort is stable, so ties stay alphabetical without comparing names.
  return results.sort(
    (a, b) =>
      Number(b.covers) - Number(a.covers) ||
      Number(b.based) - Number(a.based) ||
      (a.distance ?? Number.POSITIVE_INFINITY) - (b.distance ?? Number.POSITIVE_INFINITY),
  );
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
