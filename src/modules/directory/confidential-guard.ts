import type { FieldCrypto } from '../../platform/crypto/field-crypto.js';
import type { Executor } from '../../platform/db/database.js';
import type { Address } from './model.js';
import { compactPostcode, postcodeShape } from './postcodes.js';
import { listConfidentialAddresses } from './repository/records.js';

export function encryptAddress(crypto: FieldCrypto, address: Address): string {
  return crypto.encrypt(JSON.stringify(address));
}

export function decryptAddress(crypto: FieldCrypto, stored: string): Address {
  return JSON.parse(crypto.decrypt(stored)) as Address;
}

const ABBREVIATIONS: Readonly<Record<string, string>> = { rd: 'road', st: 'street', ave: 'avenue', av: 'avenue', ln: 'lane', cl: 'close', dr: 'drive', cres: 'crescent', gdns: 'gardens', pl: 'place', sq: 'square', ter: 'terrace', terr: 'terrace', ct: 'court', gr: 'grove' };

/** Lower case words, with the usual abbreviations written out ("Rd" is "road"), so either spelling matches. */
function tidy(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .map((word) => ABBREVIATIONS[word] ?? word)
    .join(' ');
}

const STREET_WORDS = new Set(
  'road street close lane avenue drive way place court crescent gardens grove hill terrace walk row square park view rise mews green parade yard vale gate wharf quay meadow meadows field fields path chase croft parkway boulevard broadway circus hollow approach'.split(' '),
);
const NOT_THE_STREET = new Set(['flat', 'unit', 'apartment', 'apt', 'suite', 'room', 'floor', 'block']);

/**
 * The street in a first address line: after the house number ("Flat 2, Park View House, 10 Demo Road" gives "demo
 * road"), up to its last street word. Undefined when the line does not read as a street of two words or more.
 */
function streetOf(line: string): string | undefined {
  const words = tidy(line).split(' ');
  const lastNumber = words.reduce((found, word, index) => (/\d/.test(word) ? index : found), -1);
  let start = lastNumber + 1;
  while (start < words.length && NOT_THE_STREET.has(words[start] ?? '')) start += 1;
  const end = words.reduce((found, word, index) => (index > start && STREET_WORDS.has(word) ? index : found), -1);
  return end === -1 ? undefined : words.slice(start, end + 1).join(' ');
}

/**
 * What in a confidential address must never appear in public text: its first line, its postcode, or its street
 * named with its town or postcode district. A street alone is not enough ("High Street" is in every town).
 */
function namesAddress(tidied: string, compact: string, address: Address): boolean {
  const has = (phrase: string) => phrase.length >= 6 && tidied.includes(` ${phrase} `);
  const postcode = compactPostcode(address.postalCode);
  if (has(tidy(address.address1)) || (postcode.length >= 5 && compact.includes(postcode))) return true;
  const street = streetOf(address.address1);
  const shape = postcodeShape(address.postalCode);
  const outward = shape.kind === 'full' ? tidy(shape.outward) : '';
  return street !== undefined && has(street) && (has(tidy(address.city)) || (outward.length >= 2 && tidied.includes(` ${outward} `)));
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
 * the public sees is saved or published we look in it for every confidential address (see namesAddress). Returns
 * true when it names one.
 */
export async function repeatsConfidentialAddress(executor: Executor, crypto: FieldCrypto, text: string, savedWith: SavedWith = {}): Promise<boolean> {
  const tidied = ` ${tidy(text)} `;
  const compact = compactPostcode(text).replace(/[^A-Z0-9]/g, '');
  const stored = (await listConfidentialAddresses(executor)).flatMap((row) => (row.confidential_address_enc && row.id !== savedWith.exceptLocationId ? [decryptAddress(crypto, row.confidential_address_enc)] : []));
  return [...stored, ...(savedWith.alsoConfidential ?? [])].some((address) => namesAddress(tidied, compact, address));
}
