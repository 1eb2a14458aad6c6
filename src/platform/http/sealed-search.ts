import type { FieldCrypto } from '../crypto/field-crypto.js';

const SEARCH_ADDRESS = 'search-address';

/**
 * A search for a person (a colleague's email address or name) must not sit readable in an address, where browser
 * history, proxies and server logs keep it. The form posts the words; the results' address carries them sealed, so
 * its pages, export and Back still repeat the search, and only this service can read them.
 */
export function createSearchSeal(crypto: FieldCrypto) {
  return {
    seal: (text: string): string => crypto.seal(SEARCH_ADDRESS, text),
    /** The words a results address carries: sealed by us, or typed into the address by hand; undefined if tampered with. */
    open(value: string): string | undefined {
      return looksSealed(value) ? crypto.unseal(SEARCH_ADDRESS, value) : value;
    },
  };
}

export type SearchSeal = ReturnType<typeof createSearchSeal>;

function looksSealed(value: string): boolean {
  return /^e1:[\w-]+:[\w-]+:[\w-]+:[\w-]*$/.test(value);
}
