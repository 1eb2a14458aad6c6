import { z } from 'zod';
import type { FieldCrypto } from '../../../platform/crypto/field-crypto.js';
import { postcodeShape } from '../postcodes.js';

/** What someone asked the finder for. */
export interface FinderSearch {
  readonly location: string;
  readonly need: string;
  readonly group: string;
  readonly area?: string | undefined;
}

const PURPOSE = 'finder-search';

/** As long as the call-back form works: long enough to read results and open services, not to be found next day. */
export const SEALED_SEARCH_LIFETIME_MS = 2 * 60 * 60 * 1000;
/** Another instance's clock may be a little ahead. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

const sealedSearch = z.object({
  location: z.string().max(100),
  need: z.string().max(60),
  group: z.string().max(60),
  area: z.string().max(60).optional(),
  at: z.number().int(),
});

/**
 * A search naming a full postcode (where someone lives, perhaps somewhere they fled to) is never written in an
 * address, where browser history keeps it: the form posts it, and the results' address carries it sealed, readable
 * only by this service and only for a while, so the history entry leads nowhere later. Other searches (a town, the
 * first half of a postcode) stay plain, the stable addresses partners link to.
 */
export function createFinderSearches(crypto: FieldCrypto, clock: () => Date) {
  return {
    needsSealing: (search: FinderSearch): boolean => postcodeShape(search.location).kind === 'full',

    seal: (search: FinderSearch): string => crypto.seal(PURPOSE, JSON.stringify({ ...search, at: clock().getTime() })),

    /** The search a sealed address carries; undefined when it has ended, or was not sealed by this service. */
    open(token: string): FinderSearch | undefined {
      const text = crypto.unseal(PURPOSE, token);
      if (text === undefined) return undefined;
      const parsed = sealedSearch.safeParse(parseJson(text));
      if (!parsed.success) return undefined;
      const { at, ...search } = parsed.data;
      const age = clock().getTime() - at;
      return age >= -CLOCK_SKEW_MS && age <= SEALED_SEARCH_LIFETIME_MS ? search : undefined;
    },
  };
}

export type FinderSearches = ReturnType<typeof createFinderSearches>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
