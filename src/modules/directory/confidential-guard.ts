import { remove as withoutLookAlikes } from 'confusables';
import { decodeHTML } from 'entities';
import type { FieldCrypto } from '../../platform/crypto/field-crypto.js';
import type { Executor } from '../../platform/db/database.js';
import type { Address } from './model.js';
import { compactPostcode, postcodesWithUnit, postcodeShape } from './postcodes.js';
import type { TypedField } from './published-document.js';
import { listConfidentialAddresses } from './repository/records.js';

export function encryptAddress(crypto: FieldCrypto, address: Address): string {
  return crypto.encrypt(JSON.stringify(address));
}

export function decryptAddress(crypto: FieldCrypto, stored: string): Address {
  return JSON.parse(crypto.decrypt(stored)) as Address;
}

const ABBREVIATIONS: Readonly<Record<string, string>> = { rd: 'road', st: 'street', ave: 'avenue', av: 'avenue', ln: 'lane', cl: 'close', dr: 'drive', cres: 'crescent', gdns: 'gardens', pl: 'place', sq: 'square', ter: 'terrace', terr: 'terrace', ct: 'court', gr: 'grove' };

/**
 * Text as its reader sees it: character references decoded ("&#82;" shows as "R" on a page written in Markdown),
 * escapes in a web address too ("%20" is a space, however many times encoded), full-width letters and digits
 * ("ＣＴ１", from some phone keyboards) read as the plain ones, accents off, and letters of other alphabets that look
 * like Latin ones (a Cyrillic "о") read as those.
 */
function plain(text: string): string {
  // The look-alike map also reads "|" as "l": only letters outside ASCII are mapped, so a table's bars stay bars.
  return percentDecoded(decodeHTML(text))
    .normalize('NFKD')
    .replace(/\p{Mark}/gu, '')
    .replace(/[^\p{ASCII}]/gu, (letter) => withoutLookAlikes(letter));
}

const PERCENT_ESCAPES = /(?:%[0-9a-f]{2})+/gi;
const PERCENT_ESCAPE = /%[0-9a-f]{2}/i;
/** As a browser shows an address: a byte that is not UTF-8 becomes "�", and the escapes around it still decode. */
const LENIENT_UTF8 = new TextDecoder('utf-8', { fatal: false });

function percentDecoded(text: string): string {
  let decoded = text;
  for (let round = 0; round < 3 && PERCENT_ESCAPE.test(decoded); round += 1) {
    decoded = decoded.replace(PERCENT_ESCAPES, (escapes) => LENIENT_UTF8.decode(Buffer.from(escapes.replaceAll('%', ''), 'hex')));
  }
  return decoded;
}

/** Lower case words, with the usual abbreviations written out ("Rd" is "road"), so either spelling matches. */
function tidy(text: string): string {
  return plain(text)
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
  return streetParts(line)?.street;
}

/** The street in a first address line, its house number and its name without the street word ("hollowmere"). */
function streetParts(line: string): { street: string; houseNumber: string | undefined; name: string } | undefined {
  const words = tidy(line).split(' ');
  const lastNumber = words.reduce((found, word, index) => (/\d/.test(word) ? index : found), -1);
  let start = lastNumber + 1;
  while (start < words.length && NOT_THE_STREET.has(words[start] ?? '')) start += 1;
  const end = words.reduce((found, word, index) => (index > start && STREET_WORDS.has(word) ? index : found), -1);
  if (end === -1) return undefined;
  // The number only when it is the street's own ("77 Quillfeather Mews"), not a flat's before a building's name.
  const houseNumber = start === lastNumber + 1 && lastNumber >= 0 ? words[lastNumber] : undefined;
  return { street: words.slice(start, end + 1).join(' '), houseNumber, name: words.slice(start, end).join(' ') };
}

/**
 * Whether text gives the house number then the street's name with its street word left off ("77 Quillfeather", as
 * people write an address they know), the name whole however its words are split ("77 Quill-feather"), and not the
 * start of a longer word ("10 demonstrations" is not "10 Demo Road"). Not for a street found in most towns, where
 * "12 High" is ordinary text.
 */
function namesNumberedStreet(text: Comparable, line: string): boolean {
  const parts = streetParts(line);
  if (!parts?.houseNumber || COMMON_STREETS.has(parts.street)) return false;
  const name = parts.name.replace(/ /g, '');
  if (name.length < 4) return false;
  const words = text.words.trim().split(' ');
  return words.some((word, index) => {
    if (word !== parts.houseNumber) return false;
    let following = '';
    for (const next of words.slice(index + 1, index + 4)) {
      following += next;
      if (following === name) return true;
    }
    return false;
  });
}

/**
 * Tidy words run together, keeping a space only beside a number: "Hidden-way Road" and "Hiddenway Road" read the
 * same ("hiddenwayroad"), while house 12 is still not house 212.
 */
function runTogether(tidied: string): string {
  const words = tidied.split(' ').filter(Boolean);
  return words.map((word, index) => (index > 0 && (/\d/.test(word) || /\d/.test(words[index - 1] ?? '')) ? ` ${word}` : word)).join('');
}

/** Text as the guard compares it: tidy words between spaces, the same run together, and any postcode it holds. */
interface Comparable {
  readonly words: string;
  readonly joined: string;
  readonly compact: string;
  /** Postcodes written with at least one letter of the inward code ("TN24 9Q"), as "outward inward". */
  readonly postcodes: readonly string[];
}

function comparable(written: string): Comparable {
  const text = plain(written);
  const tidied = tidy(text);
  const postcodes = postcodesWithUnit(text);
  return { words: ` ${tidied} `, joined: ` ${runTogether(tidied)} `, compact: compactPostcode(text).replace(/[^A-Z0-9]/g, ''), postcodes };
}

/** Streets found in most towns: named alone they place nothing, so they need the town (or locality, or district) too. */
const COMMON_STREETS = new Set(
  [
    'high street', 'station road', 'church road', 'church street', 'church lane', 'london road', 'park road', 'victoria road', 'green lane', 'manor road',
    'mill lane', 'mill road', 'school lane', 'main road', 'new road', 'north street', 'south street', 'west street', 'east street', 'queens road',
    'kings road', 'park avenue', 'chapel lane', 'york road', 'albert road', 'grange road', 'springfield road', 'the street',
  ],
);

/**
 * What in a confidential address must never appear in public text: its first line (or a second line that holds the
 * house number and street, after a house name), its postcode (even without its last letter), or its street. A
 * street found in most towns ("High Street") places it only with its town, its locality or its postcode district;
 * any other street places it alone, since the page around the text names the area. Streets match however their
 * words are split ("Hidden-way Road").
 */
function namesAddress(text: Comparable, address: Address, reading: Reading = 'text'): boolean {
  const contains = (phrase: string) => {
    const joined = runTogether(phrase);
    return phrase.length >= 6 && text.joined.includes(/^\d/.test(joined) ? ` ${joined}` : joined);
  };
  // Beside the street, even a short word places it: Wye, or a postcode district such as M1.
  const near = (phrase: string) => phrase.length >= 2 && text.words.includes(` ${phrase} `);
  const postcode = compactPostcode(address.postalCode);
  const lines = [address.address1, ...(/\d/.test(address.address2 ?? '') ? [address.address2 ?? ''] : [])];
  if (lines.some((line) => contains(tidy(line)) || namesNumberedStreet(text, line)) || (postcode.length >= 5 && text.compact.includes(postcode))) return true;
  const shape = postcodeShape(address.postalCode);
  // A postcode short of its last letter ("TN24 9Q") still narrows it to a few streets; the sector alone does not.
  if (shape.kind === 'full' && text.postcodes.some((written) => shape.formatted.startsWith(written))) return true;
  if (reading === 'address') return false;
  const placed = () => near(tidy(address.city)) || near(tidy(address.address2 ?? '')) || (shape.kind === 'full' && near(tidy(shape.outward)));
  return lines.some((line) => {
    const street = streetOf(line);
    return street !== undefined && contains(street) && (!COMMON_STREETS.has(street) || placed());
  });
}

/**
 * How text is read: words anyone wrote, where naming the street alone can place a refuge, or the address of a public
 * place, which may lie on the same street as one (a drop-in at number 5, a refuge at number 22) and is refused only
 * for the refuge's own house, line or postcode.
 */
export type Reading = 'text' | 'address';

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
 * the fields that name one, each alone or, when the address is spread over several, the first of them; none when
 * the text is safe.
 */
export async function fieldsNamingConfidentialAddress(executor: Executor, crypto: FieldCrypto, fields: readonly TypedField[], savedWith: SavedWith = {}, reading: Reading = 'text'): Promise<string[]> {
  const stored = (await listConfidentialAddresses(executor)).flatMap((row) => (row.confidential_address_enc && row.id !== savedWith.exceptLocationId ? [decryptAddress(crypto, row.confidential_address_enc)] : []));
  return fieldsNaming([...stored, ...(savedWith.alsoConfidential ?? [])], fields, reading);
}

/** Whether text already public names this one address, as a set of fields: for a location made confidential later. */
export type NamesAddress = (fields: readonly TypedField[]) => boolean;

export function namesAddressIn(address: Address, reading: Reading = 'text'): NamesAddress {
  return (fields) => fieldsNaming([address], fields, reading).length > 0;
}

/** Published text, of any module, that names a confidential address: what an editor must change, with where to. */
export interface PublishedTextNaming {
  readonly kind: string;
  readonly name: string;
  readonly href: string;
}

/** The fields that name any of the addresses, each alone or, when one is spread over several, the first of them. */
function fieldsNaming(addresses: readonly Address[], fields: readonly TypedField[], reading: Reading = 'text'): string[] {
  const names = (text: string) => {
    const compared = comparable(text);
    return addresses.some((address) => namesAddress(compared, address, reading));
  };
  const named = fields.filter(([, text]) => text !== '' && names(text)).map(([field]) => field);
  if (named.length > 0 || !names(fields.map(([, text]) => text).join('\n'))) return named;
  return fields.filter(([, text]) => text !== '').slice(0, 1).map(([field]) => field);
}
