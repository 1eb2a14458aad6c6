import { v7 } from 'uuid';

/** Sortable, unguessable identifiers for every row. */
export function newId(): string {
  return v7();
}

export function nowIso(clock: () => Date = () => new Date()): string {
  return clock().toISOString();
}
