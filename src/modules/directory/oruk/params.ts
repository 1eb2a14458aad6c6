/** Query parameters of the Open Referral UK API: parsed strictly, so a bad value is a 400 naming it. */
import { RECORD_ID } from '../../../platform/db/ids.js';

export class BadParameter extends Error {
  constructor(
    readonly parameter: string,
    readonly reason: string,
  ) {
    super(`${parameter}: ${reason}`);
  }
}

export type Query = Record<string, string | string[] | undefined>;

export const MAX_PER_PAGE = 200;
export const DEFAULT_PER_PAGE = 50;

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw new BadParameter(name, 'give this parameter once');
  return value === undefined || value === '' ? undefined : value;
}

function integer(query: Query, name: string, min: number, max: number): number | undefined {
  const text = single(query, name);
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text)) throw new BadParameter(name, `must be a whole number from ${String(min)} to ${String(max)}`);
  const value = Number(text);
  if (value < min || value > max) throw new BadParameter(name, `must be a whole number from ${String(min)} to ${String(max)}`);
  return value;
}

function decimal(query: Query, name: string, min: number, max: number): number | undefined {
  const text = single(query, name);
  if (text === undefined) return undefined;
  if (!/^\d{1,9}(\.\d{1,6})?$/.test(text)) throw new BadParameter(name, `must be a number from ${String(min)} to ${String(max)}`);
  const value = Number(text);
  if (value < min || value > max) throw new BadParameter(name, `must be a number from ${String(min)} to ${String(max)}`);
  return value;
}

/** Identifiers may be repeated or comma-separated; all must hold (AND). */
function uuids(query: Query, name: string): string[] {
  const raw = query[name];
  const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
  if (values.length > 20) throw new BadParameter(name, 'give at most 20 identifiers');
  for (const value of values) if (!RECORD_ID.test(value)) throw new BadParameter(name, 'must be identifiers in UUID form');
  return values.map((value) => value.toLowerCase());
}

export interface Paging {
  readonly page: number;
  readonly perPage: number;
}

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * An ISO 8601 date or date and time as a UTC instant, or null. Date.parse alone reads "1" as the year 2001 and
 * 2026-02-30 as 2 March, and reads a time without an offset in the server's zone: here such a time is UTC.
 */
function isoInstant(text: string): string | null {
  const match = ISO_DATE_TIME.exec(text);
  if (!match) return null;
  const [, year, month, day, time, , , offset] = match;
  const midnight = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (midnight.getUTCMonth() !== Number(month) - 1 || midnight.getUTCDate() !== Number(day)) return null;
  const instant = new Date(time ? `${text}${offset ? '' : 'Z'}` : `${text}T00:00:00Z`);
  return Number.isNaN(instant.getTime()) ? null : instant.toISOString();
}

export function paging(query: Query): Paging {
  return { page: integer(query, 'page', 1, 1_000_000) ?? 1, perPage: integer(query, 'per_page', 1, MAX_PER_PAGE) ?? DEFAULT_PER_PAGE };
}

const DAY_CODES: Record<string, string> = { mo: 'MO', monday: 'MO', tu: 'TU', tuesday: 'TU', we: 'WE', wednesday: 'WE', th: 'TH', thursday: 'TH', fr: 'FR', friday: 'FR', sa: 'SA', saturday: 'SA', su: 'SU', sunday: 'SU' };

function clock(query: Query, name: string): string | undefined {
  const text = single(query, name);
  if (text === undefined) return undefined;
  const match = /^([01]\d|2[0-3]):([0-5]\d)(:[0-5]\d)?$/.exec(text);
  if (!match) throw new BadParameter(name, 'must be a time of day like 09:30 or 09:30:00');
  return `${match[1] ?? ''}:${match[2] ?? ''}`;
}

export interface ServiceFilters {
  readonly search: string[];
  readonly termIds: string[];
  readonly taxonomyIds: string[];
  readonly organisationIds: string[];
  readonly minimumAge: number | undefined;
  readonly maximumAge: number | undefined;
  readonly day: string | undefined;
  readonly startTime: string | undefined;
  readonly endTime: string | undefined;
  readonly modifiedAfter: string | undefined;
}

export function serviceFilters(query: Query): ServiceFilters {
  const search = single(query, 'search');
  if (search !== undefined && search.length > 200) throw new BadParameter('search', 'must be 200 characters or fewer');
  const day = single(query, 'day');
  const dayCode = day === undefined ? undefined : DAY_CODES[day.toLowerCase()];
  if (day !== undefined && !dayCode) throw new BadParameter('day', 'must be a day of the week, like MO or monday');
  const modifiedAfterText = single(query, 'modified_after');
  const modifiedAfter = modifiedAfterText === undefined ? undefined : isoInstant(modifiedAfterText);
  if (modifiedAfter === null) throw new BadParameter('modified_after', 'must be a date or date and time, like 2026-01-31 or 2026-01-31T09:00:00Z');
  return {
    search: (search ?? '').toLowerCase().split(/\s+/).filter(Boolean),
    termIds: uuids(query, 'taxonomy_term_id'),
    taxonomyIds: uuids(query, 'taxonomy_id'),
    organisationIds: uuids(query, 'organization_id'),
    minimumAge: decimal(query, 'minimum_age', 0, 150),
    maximumAge: decimal(query, 'maximum_age', 0, 150),
    day: dayCode,
    startTime: clock(query, 'start_time'),
    endTime: clock(query, 'end_time'),
    modifiedAfter,
  };
}

export interface ProximityFilter {
  readonly postcode: string | undefined;
  readonly proximity: number | undefined;
}

export function proximityFilter(query: Query): ProximityFilter {
  const postcode = single(query, 'postcode');
  if (postcode !== undefined && (postcode.length > 10 || !/^[A-Za-z]{1,2}[0-9][A-Za-z0-9]?\s*([0-9][A-Za-z]{2})?$/.test(postcode.trim()))) {
    throw new BadParameter('postcode', 'must be a UK postcode like ME14 1XX, or its first half like ME14');
  }
  const proximity = decimal(query, 'proximity', 1, 500_000);
  if (proximity !== undefined && postcode === undefined) throw new BadParameter('proximity', 'needs a postcode to measure from');
  return { postcode: postcode?.trim(), proximity };
}

export function identifier(value: string): string {
  if (!RECORD_ID.test(value)) throw new BadParameter('id', 'must be an identifier in UUID form');
  return value.toLowerCase();
}
