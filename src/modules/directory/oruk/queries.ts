import { postcodeShape, distanceMetres, type Point } from '../postcodes.js';
import type { PublicDirectory, PublicService, PublicServiceAtLocation } from '../public-directory.js';
import { keptPerDirectory } from '../derived.js';
import { JsonBytes } from './json-bytes.js';
import { BadParameter, type Paging, type ProximityFilter, type ServiceFilters } from './params.js';

export interface Page<T> {
  readonly total_items: number;
  readonly total_pages: number;
  readonly page_number: number;
  readonly size: number;
  readonly first_page: boolean;
  readonly last_page: boolean;
  readonly empty: boolean;
  readonly contents: T[];
}

/**
 * The standard's paging envelope. A page past the last is a parameter out of range (issue 3 asks for a 400 naming
 * it), not an empty success.
 */
export function pageOf<T, R>(items: readonly T[], paging: Paging, map: (item: T) => R): Page<R> {
  const totalPages = Math.max(1, Math.ceil(items.length / paging.perPage));
  if (paging.page > totalPages) throw new BadParameter('page', `there ${totalPages === 1 ? 'is 1 page' : `are ${String(totalPages)} pages`} at this page size`);
  const slice = items.slice((paging.page - 1) * paging.perPage, paging.page * paging.perPage);
  return {
    total_items: items.length,
    total_pages: totalPages,
    page_number: paging.page,
    size: slice.length,
    first_page: paging.page === 1,
    last_page: paging.page === totalPages,
    empty: slice.length === 0,
    contents: slice.map(map),
  };
}

/** A page whose items are already JSON: only the envelope is serialised, the items' bytes copied in after it. */
export function pageJson(page: Page<JsonBytes>): JsonBytes {
  const { contents, ...envelope } = page;
  return JsonBytes.join(`${JSON.stringify(envelope).slice(0, -1)},"contents":[`, contents, ']}');
}

/** Every filter must hold (AND), including each taxonomy term given. */
export function matchesService(service: PublicService, filters: ServiceFilters): boolean {
  for (const word of filters.search) if (!service.searchText.includes(word)) return false;
  for (const termId of filters.termIds) if (!service.termIds.has(termId)) return false;
  for (const taxonomyId of filters.taxonomyIds) if (!service.taxonomyIds.has(taxonomyId)) return false;
  if (filters.organisationIds.length && !filters.organisationIds.every((id) => id === service.organisationId)) return false;
  if (filters.minimumAge !== undefined && (service.minimumAge ?? 0) < filters.minimumAge) return false;
  if (filters.maximumAge !== undefined && (service.maximumAge ?? Number.POSITIVE_INFINITY) > filters.maximumAge) return false;
  if (filters.modifiedAfter !== undefined && service.lastModified < filters.modifiedAfter) return false;
  if (filters.day || filters.startTime || filters.endTime) {
    const open = service.schedules.some(
      (schedule) =>
        (!filters.day || schedule.byday.split(',').includes(filters.day)) &&
        (!filters.startTime || schedule.opensAt >= filters.startTime) &&
        (!filters.endTime || schedule.closesAt <= filters.endTime),
    );
    if (!open) return false;
  }
  return true;
}

const matchingServices = keptPerDirectory<readonly PublicService[]>(100);

/** A feed reader walks page after page with the same filters: the services that match are found once for them all. */
export function filterServices(directory: PublicDirectory, filters: ServiceFilters): readonly PublicService[] {
  return matchingServices(directory, JSON.stringify(filters), () => directory.services.filter((service) => matchesService(service, filters)));
}

/**
 * service_at_location rows near a postcode: within the areas its district falls in and, with `proximity`,
 * within that many metres of its centroid (which needs coordinates imported from the ONS Postcode Directory).
 */
export function filterServiceAtLocations(
  directory: PublicDirectory,
  filters: ServiceFilters,
  near: ProximityFilter,
  point: Point | undefined,
): PublicServiceAtLocation[] {
  let areaCodes: ReadonlySet<string> | undefined;
  if (near.postcode) {
    const shape = postcodeShape(near.postcode);
    const outward = shape.kind === 'none' ? '' : shape.outward;
    areaCodes = new Set(directory.places.districts.get(outward) ?? []);
    if (near.proximity !== undefined && !point) throw new BadParameter('proximity', 'this directory holds no coordinates for that postcode, so distance cannot be measured');
  }
  const results: Array<{ link: PublicServiceAtLocation; distance: number }> = [];
  for (const link of directory.serviceAtLocations) {
    if (!matchesService(link.service, filters)) continue;
    if (areaCodes && ![...link.service.coverage].some((code) => areaCodes.has(code))) continue;
    let distance = 0;
    if (near.proximity !== undefined && point) {
      if (link.location.latitude === null || link.location.longitude === null) continue;
      distance = distanceMetres(point, { latitude: link.location.latitude, longitude: link.location.longitude });
      if (distance > near.proximity) continue;
    }
    results.push({ link, distance });
  }
  if (near.proximity !== undefined) results.sort((a, b) => a.distance - b.distance);
  return results.map((result) => result.link);
}
