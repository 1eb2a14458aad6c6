import type { FieldCrypto } from '../../platform/crypto/field-crypto.js';
import type { Executor } from '../../platform/db/database.js';
import type { Address } from './model.js';
import { compactPostcode } from './postcodes.js';
import { listConfidentialAddresses } from './repository/records.js';

export function encryptAddress(crypto: FieldCrypto, address: Address): string {
  return crypto.encrypt(JSON.stringify(address));
}

export function decryptAddress(crypto: FieldCrypto, stored: string): Address {
  return JSON.parse(crypto.decrypt(stored)) as Address;
}

function tidy(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

const STREET_WORDS = new Set(
  'road street close lane avenue drive way place court crescent gardens grove hill terrace walk row square park view rise mews green parade yard vale gate wharf quay meadow meadows field fields path chase croft parkway boulevard broadway circus hollow approach'.split(' '),
);
const NOT_THE_STREET = new Set(['flat', 'unit', 'apartment', 'apt', 'suite', 'room', 'floor', 'block']);

/**
 * The street in an address line, without the house or flat number ("15 Demo Refuge Close" gives "demo refuge
 * close"): naming the street is enough to find a refuge. Only a line that reads as a street (two words or more,
 * ending at a word such as "close" or "road") counts, so a building or village name alone is not taken for one.
 */
function streetOf(line: string): string | undefined {
  const words = tidy(line).split(' ');
  let start = 0;
  while (start < words.length && (/\d/.test(words[start] ?? '') || NOT_THE_STREET.has(words[start] ?? ''))) start += 1;
  const end = words.findIndex((word, index) => index > start && STREET_WORDS.has(word));
  return end === -1 ? undefined : words.slice(start, end + 1).join(' ');
}

/** What in a confidential address must never appear in public text: its first line, its street, its postcode. */
function giveaways(address: Address): { readonly phrases: string[]; readonly postcode: string } {
  const phrases = [tidy(address.address1), streetOf(address.address1), address.address2 ? streetOf(address.address2) : undefined].filter((phrase): phrase is string => phrase !== undefined && phrase.length >= 6);
  return { phrases, postcode: compactPostcode(address.postalCode) };
}

/** Which confidential addresses a location being saved is checked against, besides every other stored one. */
export interface SavedWith {
  /** The location's own address, when it is being saved as confidential. */
  readonly alsoConfidential?: readonly Address[];
  /** The location itself: its stored address is being replaced (or, by an editor's choice, made public). */
  readonly exceptLocationId?: string;
}

/**
 * The last line of defence for refuge addresses: an editor could paste one into a description. Before any text
 * the public sees is saved or published we look in it for the first line, the street or the postcode of every
 * confidential address. Returns true when it names one.
 */
export async function repeatsConfidentialAddress(executor: Executor, crypto: FieldCrypto, text: string, savedWith: SavedWith = {}): Promise<boolean> {
  const tidied = ` ${tidy(text)} `;
  const compact = compactPostcode(text).replace(/[^A-Z0-9]/g, '');
  const stored = (await listConfidentialAddresses(executor)).flatMap((row) => (row.confidential_address_enc && row.id !== savedWith.exceptLocationId ? [decryptAddress(crypto, row.confidential_address_enc)] : []));
  return [...stored, ...(savedWith.alsoConfidential ?? [])].some((address) => {
    const { phrases, postcode } = giveaways(address);
    return phrases.some((phrase) => tidied.includes(` ${phrase} `)) || (postcode.length >= 5 && compact.includes(postcode));
  });
}
