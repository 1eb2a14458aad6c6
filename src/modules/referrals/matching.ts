import { doubleMetaphone } from 'double-metaphone';
import type { BlindIndexer, FieldCrypto } from '../../platform/crypto/field-crypto.js';
import type { BlindIndexedRows } from '../../platform/modules.js';
import { formsOfOneName } from './given-names.js';
import { ukDigits } from '../../platform/phone-text.js';

/** Phones are matched as UK numbers dialled at home (see ukDigits). */
export const normalisePhone = ukDigits;

/**
 * Blind indexes for finding the same person across referrals without decrypting anyone: keyed HMACs of
 * normalised forms (see FieldCrypto.blindIndex). Spelling varies between agencies, so names also get a
 * phonetic form; phone numbers and postcodes are reduced to their digits and letters. What an index cannot
 * tell (a name that Soundex hears differently, a first name alone) is settled on the name itself, decrypted only
 * for a record the indexes have already brought close: the same date of birth or phone, or the same person at risk.
 */

export interface IdentifyingFields {
  readonly firstName: string;
  readonly lastName?: string | null | undefined;
  readonly dateOfBirth?: string | null | undefined;
  readonly phone?: string | null | undefined;
  readonly postcode?: string | null | undefined;
}

export interface PersonName {
  readonly firstName: string;
  readonly lastName?: string | null | undefined;
}

export interface PersonIndexes {
  readonly name: string | null;
  readonly namePhonetic: string | null;
  readonly dob: string | null;
  readonly phone: string | null;
  readonly postcode: string | null;
}

/** Lower case, accents removed, only letters, single spaces: "  Zoë  O'Brien-Smith " -> "zoe obriensmith". */
export function normaliseNamePart(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z\s]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function normaliseName(firstName: string, lastName: string): string {
  return `${normaliseNamePart(firstName)}|${normaliseNamePart(lastName)}`;
}

/** American Soundex of one word (Robert and Rupert -> R163); empty for a word with no letters. */
export function soundex(word: string): string {
  const letters = normaliseNamePart(word).replace(/\s/g, '');
  const first = letters.charAt(0);
  if (!first) return '';
  const codes: Record<string, string> = { b: '1', f: '1', p: '1', v: '1', c: '2', g: '2', j: '2', k: '2', q: '2', s: '2', x: '2', z: '2', d: '3', t: '3', l: '4', m: '5', n: '5', r: '6' };
  let result = first.toUpperCase();
  let previous = codes[first] ?? '';
  for (const letter of letters.slice(1)) {
    const code = codes[letter] ?? '';
    if (code && code !== previous) result += code;
    // h and w do not separate letters with the same code; vowels do.
    if (letter !== 'h' && letter !== 'w') previous = code;
    if (result.length === 4) break;
  }
  return result.padEnd(4, '0');
}

export function phoneticName(firstName: string, lastName: string): string {
  return `${soundex(firstName)}|${soundex(lastName)}`;
}

/** Postcodes in one form: capitals and digits only. */
export function normalisePostcode(value: string): string {
  return value.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

const PURPOSE = {
  name: 'referral-person-name',
  namePhonetic: 'referral-person-name-phonetic',
  dob: 'referral-person-dob',
  phone: 'referral-person-phone',
  postcode: 'referral-person-postcode',
} as const;

/**
 * How phone numbers were read before ukDigits (December 2026): "+44 (0)7700 900201" was 4407700900201. Indexes stored
 * then are under this reading until `rotate-keys --blind-index` works them out again, so people are looked for under
 * both readings.
 */
function phoneAsReadBefore(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.startsWith('0044')) return `0${digits.slice(4)}`;
  if (digits.startsWith('44') && digits.length === 12) return `0${digits.slice(2)}`;
  return digits;
}

export function personIndexes(crypto: BlindIndexer, person: IdentifyingFields, readPhone: (text: string) => string = normalisePhone): PersonIndexes {
  const last = person.lastName?.trim() ?? '';
  // A first name alone is indexed too: partner agencies often know the person causing harm by nothing more.
  const hasName = normaliseNamePart(person.firstName) !== '';
  const phone = person.phone ? readPhone(person.phone) : '';
  const postcode = person.postcode ? normalisePostcode(person.postcode) : '';
  return {
    name: hasName ? crypto.blindIndex(PURPOSE.name, normaliseName(person.firstName, last)) : null,
    namePhonetic: hasName ? crypto.blindIndex(PURPOSE.namePhonetic, phoneticName(person.firstName, last)) : null,
    dob: person.dateOfBirth ? crypto.blindIndex(PURPOSE.dob, person.dateOfBirth) : null,
    phone: phone.length >= 6 ? crypto.blindIndex(PURPOSE.phone, phone) : null,
    postcode: postcode.length >= 5 ? crypto.blindIndex(PURPOSE.postcode, postcode) : null,
  };
}

/**
 * The person's indexes under every blind index key a stored record may be under (current key first), and with the
 * phone as it is read now and as it was read before, where those differ.
 */
export function personIndexesToMatch(crypto: FieldCrypto, person: IdentifyingFields): readonly PersonIndexes[] {
  const readings = person.phone && phoneAsReadBefore(person.phone) !== normalisePhone(person.phone) ? [normalisePhone, phoneAsReadBefore] : [normalisePhone];
  return crypto.blindIndexers().flatMap((indexer) => readings.map((readPhone) => personIndexes(indexer, person, readPhone)));
}

/** Where each index is stored on a referral_people row. */
export function indexColumns(indexes: PersonIndexes): IndexRow {
  return { name_index: indexes.name, name_phonetic_index: indexes.namePhonetic, dob_index: indexes.dob, phone_index: indexes.phone, postcode_index: indexes.postcode };
}

/** The people on referrals, whose indexes `rotate-keys --blind-index` works out again from their stored details. */
export const REFERRAL_PEOPLE_INDEXES: BlindIndexedRows = {
  table: 'referral_people',
  primaryKey: 'id',
  sources: ['first_name_enc', 'last_name_enc', 'date_of_birth_enc', 'phone_enc', 'postcode_enc'],
  indexes: (indexer, plain) =>
    indexColumns(
      personIndexes(indexer, {
        firstName: plain['first_name_enc'] ?? '',
        lastName: plain['last_name_enc'],
        dateOfBirth: plain['date_of_birth_enc'],
        phone: plain['phone_enc'],
        postcode: plain['postcode_enc'],
      }),
    ),
};

type IndexRow = { readonly name_index: string | null; readonly name_phonetic_index: string | null; readonly dob_index: string | null; readonly phone_index: string | null; readonly postcode_index: string | null };

function agree(a: string | null, b: string | null): boolean {
  return a !== null && a === b;
}

/** Both records give a date of birth, and not the same one: two people, however alike the rest. */
function datesOfBirthDiffer(wanted: PersonIndexes, row: IndexRow): boolean {
  return wanted.dob !== null && row.dob_index !== null && wanted.dob !== row.dob_index;
}

/**
 * The same person at risk: the exact name and one more of date of birth, phone or postcode; a name that only
 * sounds alike and the date of birth or phone (a household shares a postcode, and often a surname and a sound-
 * alike first name); or date of birth and phone together (names change). Never with two different dates of birth.
 */
export function samePerson(wanted: PersonIndexes, row: IndexRow): boolean {
  if (datesOfBirthDiffer(wanted, row)) return false;
  const dob = agree(wanted.dob, row.dob_index);
  const phone = agree(wanted.phone, row.phone_index);
  const postcode = agree(wanted.postcode, row.postcode_index);
  if (agree(wanted.name, row.name_index)) return dob || phone || postcode;
  if (agree(wanted.namePhonetic, row.name_phonetic_index)) return dob || phone;
  return dob && phone;
}

/**
 * The same person causing harm, once the person at risk is known to match: the name exactly or sounding alike
 * (partner agencies often know little else about them), unless the two dates of birth differ. A date of birth
 * alone is not enough: another partner can share it.
 */
export function samePersonCausingHarm(wanted: PersonIndexes, row: IndexRow): boolean {
  if (datesOfBirthDiffer(wanted, row)) return false;
  return agree(wanted.name, row.name_index) || agree(wanted.namePhonetic, row.name_phonetic_index);
}

/** A person being looked for: their indexes under every blind index key (see personIndexesToMatch) and their name. */
export interface WantedPerson {
  readonly indexes: readonly PersonIndexes[];
  readonly name: PersonName;
}

export function wantedPerson(crypto: FieldCrypto, person: IdentifyingFields): WantedPerson {
  return { indexes: personIndexesToMatch(crypto, person), name: { firstName: person.firstName, lastName: person.lastName } };
}

/** A stored person's name, decrypted only when asked for. */
export type StoredName = () => PersonName;

/** How a name begins to the ear: "Ph" as "F", and C, K and Q alike; any other first letter as written. */
function firstSound(word: string): string {
  if (word.startsWith('ph')) return 'f';
  const letter = word.charAt(0);
  return 'ckq'.includes(letter) ? 'k' : letter;
}

/**
 * Whether two spellings of a name part sound alike: Catherine and Katherine, Philip and Filip do not share a
 * Soundex, which keeps the first letter as written. Double Metaphone's main code must agree, and so must the first
 * sound: its code starts every vowel alike, which would take Ian for Ann and Alan for Ellen.
 */
function partsSoundAlike(a: string, b: string): boolean {
  const first = normaliseNamePart(a).replace(/\s/g, '');
  const second = normaliseNamePart(b).replace(/\s/g, '');
  if (first === '' || second === '') return false;
  if (first === second) return true;
  return firstSound(first) === firstSound(second) && doubleMetaphone(first)[0] === doubleMetaphone(second)[0];
}

const lastNameOf = (name: PersonName) => normaliseNamePart(name.lastName ?? '');

/** The same given name: as written, a short form of it ("Dave", David), or sounding alike. */
function firstNamesAgree(a: string, b: string): boolean {
  return formsOfOneName(normaliseNamePart(a), normaliseNamePart(b)) || partsSoundAlike(a, b);
}

/** First and last names both given on each side: the same given name, and last names sounding alike. */
function namesSoundAlike(a: PersonName, b: PersonName): boolean {
  return lastNameOf(a) !== '' && lastNameOf(b) !== '' && firstNamesAgree(a.firstName, b.firstName) && partsSoundAlike(lastNameOf(a), lastNameOf(b));
}

/** No index gives the same date of birth, and both records have one: two people (under any key a row may be under). */
function datesOfBirthDifferUnderEveryKey(wanted: WantedPerson, row: IndexRow): boolean {
  return wanted.indexes.every((indexes) => datesOfBirthDiffer(indexes, row));
}

/**
 * The same person at risk (see samePerson), or a name Soundex misses (a short form, "Kate" for Katherine, or a first
 * letter spelt otherwise, Catherine) with the date of birth or the phone: the evidence samePerson asks of a
 * sound-alike name.
 */
export function isPersonAtRisk(wanted: WantedPerson, row: IndexRow, storedName: StoredName): boolean {
  if (wanted.indexes.some((indexes) => samePerson(indexes, row))) return true;
  if (datesOfBirthDifferUnderEveryKey(wanted, row)) return false;
  const closeBy = wanted.indexes.some((indexes) => agree(indexes.dob, row.dob_index) || agree(indexes.phone, row.phone_index));
  return closeBy && namesSoundAlike(wanted.name, storedName());
}

/**
 * The same person causing harm, once the person at risk matches (see samePersonCausingHarm); also the same given
 * name (a short form, or sounding alike) with a last name sounding alike, and the same given name or a short form of
 * it where one agency knows no last name ("Dave" on one referral, "David Harris" on the next), unless the two dates
 * of birth differ.
 */
export function isPersonCausingHarm(wanted: WantedPerson, row: IndexRow, storedName: StoredName): boolean {
  if (wanted.indexes.some((indexes) => samePersonCausingHarm(indexes, row))) return true;
  if (datesOfBirthDifferUnderEveryKey(wanted, row)) return false;
  const stored = storedName();
  if (lastNameOf(wanted.name) !== '' && lastNameOf(stored) !== '') return namesSoundAlike(wanted.name, stored);
  const [wantedFirst, storedFirst] = [normaliseNamePart(wanted.name.firstName), normaliseNamePart(stored.firstName)];
  return wantedFirst !== '' && (wantedFirst === storedFirst || formsOfOneName(wantedFirst, storedFirst));
}
