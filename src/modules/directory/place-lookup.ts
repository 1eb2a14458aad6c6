import { outsidePlace } from './outside-places.js';
import { postcodeShape } from './postcodes.js';

/** The reference data a place search needs: the areas with their towns and the postcode districts. */
export interface PlaceReference {
  readonly areas: ReadonlyArray<{ readonly code: string; readonly name: string; readonly towns: readonly string[] }>;
  /** Outward code -> the area codes it falls in (one or more). */
  readonly districts: ReadonlyMap<string, readonly string[]>;
}

export interface PlaceSuggestion {
  readonly label: string;
  readonly location: string;
  readonly area?: string;
}

export type Place =
  | { readonly kind: 'none' }
  | { readonly kind: 'postcode'; readonly label: string; readonly outward: string; readonly compact: string; readonly areaCodes: readonly string[] }
  | { readonly kind: 'outward'; readonly label: string; readonly outward: string; readonly areaCodes: readonly string[] }
  | { readonly kind: 'town'; readonly label: string; readonly town: string; readonly areaCodes: readonly string[]; readonly alternatives: readonly PlaceSuggestion[] }
  | { readonly kind: 'district'; readonly label: string; readonly areaCodes: readonly string[] }
  | { readonly kind: 'everywhere'; readonly label: string; readonly areaCodes: readonly string[] }
  | { readonly kind: 'outside'; readonly label: string; readonly named: 'postcode' | 'place' }
  | { readonly kind: 'unknown'; readonly suggestions: readonly PlaceSuggestion[] };

const EVERYWHERE = new Set(['kent', 'kent and medway', 'kent medway', 'all', 'anywhere', 'everywhere']);

/** Lower case, "&" as "and", punctuation dropped. */
function tidy(text: string): string {
  return text
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/\bst\.?\s/g, 'saint ')
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Words people add after a place's name: "Tunbridge Wells Borough", "Medway Towns", "Deal, Kent, UK". */
const TRAILING_WORDS = / (uk|united kingdom|england|kent|medway|borough council|district council|city council|council|borough|district|towns|town)$/;

/** How people type place names: tidied, with "Royal" and any trailing county, country or "borough" dropped. */
export function normalisePlaceName(text: string): string {
  let name = tidy(text).replace(/^royal /, '');
  for (let shorter = name.replace(TRAILING_WORDS, ''); shorter !== name; shorter = name.replace(TRAILING_WORDS, '')) name = shorter;
  return name;
}

/** The parts of the county people and services name (a service "for East Kent"), each a set of areas. */
export const REGIONS: ReadonlyArray<{ readonly name: string; readonly areaCodes: readonly string[] }> = [
  { name: 'East Kent', areaCodes: ['thanet', 'canterbury', 'dover', 'folkestone-hythe', 'ashford'] },
  { name: 'North Kent', areaCodes: ['medway', 'gravesham', 'dartford', 'swale'] },
  { name: 'West Kent', areaCodes: ['maidstone', 'sevenoaks', 'tonbridge-malling', 'tunbridge-wells'] },
];

/**
 * Turns what someone typed into the areas to search, offline. A town in two areas (Minster) gives both
 * with the choice between them; `areaHint` is that choice, made by following one of those links.
 */
export function resolvePlace(text: string, reference: PlaceReference, areaHint?: string): Place {
  const trimmed = text.trim().slice(0, 100);
  if (!trimmed) return { kind: 'none' };
  // "Margate CT9", "Sheerness, ME12 1AA": the postcode says more than the town.
  const trailingPostcode = TRAILING_POSTCODE.exec(trimmed)?.[1];
  const shape = postcodeShape(trailingPostcode && postcodeShape(trailingPostcode).kind !== 'none' ? trailingPostcode : trimmed);
  if (shape.kind === 'full' || shape.kind === 'outward') {
    const areaCodes = reference.districts.get(shape.outward);
    if (!areaCodes) return { kind: 'outside', label: shape.kind === 'full' ? shape.formatted : shape.outward, named: 'postcode' };
    return shape.kind === 'full'
      ? { kind: 'postcode', label: shape.formatted, outward: shape.outward, compact: shape.compact, areaCodes }
      : { kind: 'outward', label: shape.outward, outward: shape.outward, areaCodes };
  }
  const wanted = normalisePlaceName(trimmed);
  if (EVERYWHERE.has(tidy(trimmed)) || EVERYWHERE.has(wanted)) return { kind: 'everywhere', label: 'Kent and Medway', areaCodes: reference.areas.map((area) => area.code) };
  const typed = tidy(trimmed).replace(/ (uk|united kingdom|england)$/, '');
  const region = REGIONS.find((candidate) => tidy(candidate.name) === typed);
  const known = new Set(reference.areas.map((area) => area.code));
  if (region) return { kind: 'district', label: region.name, areaCodes: region.areaCodes.filter((code) => known.has(code)) };

  const district = reference.areas.find((area) => normalisePlaceName(area.name) === wanted);
  const qualified = district ? undefined : townInNamedArea(wanted, reference);
  if (qualified) return resolvePlace(qualified.town, reference, qualified.area);
  const towns = townsNamed(wanted, reference);
  if (towns.length > 0) {
    const chosen = towns.filter(({ area }) => area.code === areaHint);
    const matches = chosen.length > 0 ? chosen : towns;
    const alternatives = towns.length > 1 ? towns.map(({ town, area }) => ({ label: `${town}, ${area.name}`, location: town, area: area.code })) : [];
    const first = matches[0];
    return {
      kind: 'town',
      label: first ? first.town : trimmed,
      town: first ? first.town : trimmed,
      areaCodes: [...new Set([...matches.map(({ area }) => area.code), ...(district && chosen.length === 0 ? [district.code] : [])])],
      alternatives,
    };
  }
  if (district) return { kind: 'district', label: district.name, areaCodes: [district.code] };
  const elsewhere = outsidePlace(wanted, normalisePlaceName);
  if (elsewhere) return { kind: 'outside', label: elsewhere, named: 'place' };
  return { kind: 'unknown', suggestions: suggestPlaces(wanted, reference) };
}

/** The last word of a search, when it may be a postcode or its first half. */
const TRAILING_POSTCODE = /[\s,]+([a-z]{1,2}[0-9][a-z0-9]?(?:\s*[0-9][a-z]{2})?)$/i;

/** A search ending in a postcode or its first half, split: "Margate" and "CT9" of "Margate CT9"; undefined if none ends it. */
export function splitTrailingPostcode(text: string): { readonly before: string; readonly outward: string } | undefined {
  const trimmed = text.trim();
  const match = TRAILING_POSTCODE.exec(trimmed);
  const shape = postcodeShape(match?.[1] ?? '');
  return match && (shape.kind === 'outward' || shape.kind === 'full') ? { before: trimmed.slice(0, match.index), outward: shape.outward } : undefined;
}

/** Each area's town of that name, once per area ("Royal Tunbridge Wells" and "Tunbridge Wells" are one place). */
function townsNamed(wanted: string, reference: PlaceReference) {
  return reference.areas.flatMap((area) => {
    const town = area.towns.find((candidate) => normalisePlaceName(candidate) === wanted);
    return town ? [{ town, area }] : [];
  });
}

/** "Minster, Thanet", "Minster Swale": a town followed by the name of the area it is in. */
function townInNamedArea(wanted: string, reference: PlaceReference): { town: string; area: string } | undefined {
  for (const area of reference.areas) {
    const areaName = normalisePlaceName(area.name);
    if (!wanted.endsWith(` ${areaName}`)) continue;
    const townName = wanted.slice(0, -areaName.length - 1).trim();
    const town = area.towns.find((candidate) => normalisePlaceName(candidate) === townName);
    if (town) return { town, area: area.code };
  }
  return undefined;
}

/** Places whose names start with, or are a typing slip away from, what was typed. */
function suggestPlaces(wanted: string, reference: PlaceReference): PlaceSuggestion[] {
  if (wanted.length < 2) return [];
  const candidates = reference.areas.flatMap((area) => [
    { label: area.name, location: area.name, key: normalisePlaceName(area.name), district: true },
    ...area.towns.map((town) => ({ label: town, location: town, key: normalisePlaceName(town), district: false })),
  ]);
  const scored = candidates
    .map((candidate) => ({ candidate, score: candidate.key.startsWith(wanted) ? 0 : editDistance(wanted, candidate.key) }))
    .filter(({ score }) => score <= Math.max(1, Math.min(3, Math.floor(wanted.length / 3))))
    .sort((a, b) => a.score - b.score || Number(b.candidate.district) - Number(a.candidate.district) || a.candidate.label.localeCompare(b.candidate.label));
  const seen = new Set<string>();
  const suggestions: PlaceSuggestion[] = [];
  for (const { candidate } of scored) {
    if (seen.has(candidate.key)) continue;
    seen.add(candidate.key);
    suggestions.push({ label: candidate.label, location: candidate.location });
    if (suggestions.length === 5) break;
  }
  return suggestions;
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
