/** Raised when someone saves a record that another person changed since they loaded it. */
export class StaleVersionError extends Error {
  constructor(readonly recordType: string) {
    super(`This ${recordType} was changed by someone else while you were editing it. Reload it and make your change again.`);
  }
}

/** Throws when an optimistic update touched no row because the version had moved on. */
export function assertUpdated(result: { numUpdatedRows: bigint }, recordType: string): void {
  if (result.numUpdatedRows === 0n) throw new StaleVersionError(recordType);
}
