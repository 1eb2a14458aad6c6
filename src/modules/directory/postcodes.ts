/** UK postcodes: shape checks and normal forms. Pure functions, no data. */

const FULL = /^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$/;
const OUTWARD = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;

/** Upper case with every space (or a hyphen typed for one, "ME14-1XX") removed: the key postcode tables use. */
export function compactPostcode(text: string): string {
  return text.toUpperCase().replace(/[\s-]+/g, '');
}

const POSTCODE_WITH_UNIT = /(?<![A-Z0-9])([A-Z]{1,2}\d[A-Z\d]?)[\s-]*(\d[A-Z]{1,2})(?![A-Z0-9])/g;

/**
 * Postcodes anywhere in some text ("Sheerness, ME12 1AA") written closer than their sector: with at least one letter
 * of the inward code ("TN24 9Q" narrows to a few streets), as "outward inward".
 */
export function postcodesWithUnit(text: string): string[] {
  return [...text.toUpperCase().matchAll(POSTCODE_WITH_UNIT)].map((match) => `${match[1] ?? ''} ${match[2] ?? ''}`);
}

/**
 * Whether text may hold a postcode written closer than its sector, however it is spaced or wherever it sits
 * ("CT 9 1AA", "CT91 AA", "Margate CT9 1A"): generous, for deciding what to keep out of an address.
 */
export function mayHoldPostcodeUnit(text: string): boolean {
  return /[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]/.test(text.toUpperCase().replace(/[^A-Z0-9]/g, ''));
}

export type PostcodeShape = { readonly kind: 'full'; readonly outward: string; readonly formatted: string; readonly compact: string } | { readonly kind: 'outward'; readonly outward: string } | { readonly kind: 'none' };

/**
 * An outward code, a space (or hyphen), then the start of the inward code: a postcode sector ("ME1 1") or a postcode
 * typed half-way ("ME14 1X"). Only the space tells "ME1 1" from the district ME11, so it is read before compacting.
 */
const OUTWARD_THEN_PART = /^([A-Z]{1,2}[0-9][A-Z0-9]?)[\s-]+[0-9][A-Z]?$/;

/** Recognises a full postcode ("CT9 1AA", "ct91aa"), or an outward code alone ("CT9") or with part of the rest ("CT9 1"). */
export function postcodeShape(text: string): PostcodeShape {
  const partial = OUTWARD_THEN_PART.exec(text.trim().toUpperCase());
  if (partial?.[1]) return { kind: 'outward', outward: partial[1] };
  const compact = compactPostcode(text);
  const full = FULL.exec(compact);
  if (full?.[1] && full[2]) return { kind: 'full', outward: full[1], formatted: `${full[1]} ${full[2]}`, compact };
  if (OUTWARD.test(compact)) return { kind: 'outward', outward: compact };
  return { kind: 'none' };
}

export interface Point {
  readonly latitude: number;
  readonly longitude: number;
}

const EARTH_RADIUS_METRES = 6_371_000;

/** Great-circle distance in metres (haversine): plenty for "how far is it" within a county. */
export function distanceMetres(a: Point, b: Point): number {
  const rad = (degrees: number) => (degrees * Math.PI) / 180;
  const dLat = rad(b.latitude - a.latitude);
  const dLon = rad(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.latitude)) * Math.cos(rad(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_METRES * Math.asin(Math.min(1, Math.sqrt(h)));
}

export const METRES_PER_MILE = 1609.344;
