import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { FieldCrypto } from '../../../platform/crypto/field-crypto.js';
import { createTimedSeal } from '../../../platform/crypto/timed-seal.js';
import { resolvePlace, splitTrailingPostcode, type PlaceReference } from '../place-lookup.js';
import { mayHoldPostcodeUnit } from '../postcodes.js';

/** What someone asked the finder for. */
export interface FinderSearch {
  readonly location: string;
  readonly need: string;
  readonly group: string;
  readonly area?: string | undefined;
}

interface OpenedSearch {
  readonly search: FinderSearch;
  readonly sealedAt: number;
}

/** As long as the call-back form works: long enough to read results and open services, not to be found next day. */
export const SEALED_SEARCH_LIFETIME_MS = 2 * 60 * 60 * 1000;

const finderSearch = z.object({ location: z.string().max(100), need: z.string().max(60), group: z.string().max(60), area: z.string().max(60).optional() });

/**
 * Whether a search's words may stand in an address as they are: nothing, or a place the finder knows as one (a town,
 * a district, the first half of a postcode, a place outside Kent and Medway), all of it: "Margate CT9" is, "12 High
 * Street ME14" is not, though the finder reads both by their postcode district. These are the stable addresses
 * partners link to.
 */
function isPlainPlace(location: string, places: PlaceReference): boolean {
  // The place reader passes over letters and digits outside A-Z and 0-9 (a name in Cyrillic, a phone number in
  // Arabic-Indic digits), which would then ride along in the address beside a town's name. Punctuation is harmless.
  if (OTHER_LETTERS_OR_DIGITS.test(location.replace(/[A-Za-z0-9]/g, '')) || mayHoldPostcodeUnit(location)) return false;
  const trailing = splitTrailingPostcode(location);
  // "Margate CT9" is a place; "Margate B12" may be a flat number, and a district elsewhere is not one people add.
  if (trailing?.before.trim()) return places.districts.has(trailing.outward) && isPlainPlace(trailing.before, places);
  return resolvePlace(location, places).kind !== 'unknown';
}

const OTHER_LETTERS_OR_DIGITS = /[\p{L}\p{N}\p{M}]/u;

/**
 * Anything else typed where the finder asks "where" is never written by the finder in an address, where browser
 * history keeps it: a full postcode (where someone lives, perhaps somewhere they fled to) alone or among other words
 * ("Sheerness, ME12 1AA"), however spaced ("CT 9 1AA"), or short of its last letter; a street address; a phone number
 * or a name typed in the wrong box. The form posts it, and the results' address carries it sealed, readable only by
 * this service and only for a while, so the history entry leads nowhere later.
 */
export function createFinderSearches(crypto: FieldCrypto, clock: () => Date) {
  const sealing = createTimedSeal<FinderSearch>(crypto, { purpose: 'finder-search', schema: finderSearch, lifetimeMs: SEALED_SEARCH_LIFETIME_MS, clock });
  // A search's pages are asked for again and again (each checks its search before the page cache): opened once.
  const opened = new LRUCache<string, OpenedSearch>({ max: 1000 });
  return {
    needsSealing: (search: FinderSearch, places: PlaceReference): boolean => !isPlainPlace(search.location, places),
    /** Sealed now, or (a search made from another, "every kind of help here") when that one was, so it ends with it. */
    seal: (search: FinderSearch, sealedAt?: number): string => sealing.seal(search, sealedAt),
    /** The search a sealed address carries; undefined when it has ended, or was not sealed by this service. */
    open(token: string): OpenedSearch | undefined {
      const known = opened.get(token);
      if (known) return sealing.isLive(known.sealedAt) ? known : undefined;
      const fresh = sealing.open(token);
      if (!fresh) return undefined;
      const search = { search: fresh.value, sealedAt: fresh.madeAt };
      opened.set(token, search);
      return search;
    },
  };
}

export type FinderSearches = ReturnType<typeof createFinderSearches>;
