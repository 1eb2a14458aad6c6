import { v7 } from 'uuid';

/** Sortable, unguessable identifiers for every row. */
export function newId(): string {
  return v7();
}

/** A row's id as it appears in an address or a form (any case: a UUID is read the same either way). */
export const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function nowIso(clock: () => Date = () => new Date()): string {
  return clock().toISOString();
}
