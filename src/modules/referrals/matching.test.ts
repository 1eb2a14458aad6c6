import { describe, expect, it } from 'vitest';
import { FieldCrypto } from '../../platform/crypto/field-crypto.js';
import { isPersonAtRisk, isPersonCausingHarm, normaliseName, normalisePhone, normalisePostcode, personIndexes, samePerson, samePersonCausingHarm, soundex, wantedPerson, type IdentifyingFields, type PersonName } from './matching.js';

const crypto = new FieldCrypto({ encryptionKeys: [{ id: 'k1', key: Buffer.alloc(32, 1) }], blindIndexKeys: [Buffer.alloc(32, 2)] });
const row = (indexes: ReturnType<typeof personIndexes>) => ({ name_index: indexes.name, name_phonetic_index: indexes.namePhonetic, dob_index: indexes.dob, phone_index: indexes.phone, postcode_index: indexes.postcode });

describe('normalising identifying fields for blind indexes', () => {
  it('reduces names, phones and postcodes to one form', () => {
    expect(normaliseName('  Zoë ', "O'Brien-Smith")).toBe('zoe|obriensmith');
    expect(normalisePhone('+44 7700 900123')).toBe('07700900123');
    expect(normalisePhone('0044 7700 900123')).toBe('07700900123');
    // The trunk 0 written after the country code, as many signatures and letterheads give it.
    expect(normalisePhone('+44 (0)7700 900123')).toBe('07700900123');
    expect(normalisePhone('+44 07700 900123')).toBe('07700900123');
    expect(normalisePhone('01632 960001')).toBe('01632960001');
    expect(normalisePostcode('me4 4tr')).toBe('ME44TR');
  });

  it('gives names that sound alike the same Soundex', () => {
    expect(soundex('Robert')).toBe('R163');
    expect(soundex('Rupert')).toBe('R163');
    expect(soundex('Ashcraft')).toBe('A261');
    expect(soundex('Tymczak')).toBe('T522');
    expect(soundex('Smith')).toBe(soundex('Smyth'));
  });

  it('keeps the index of one purpose from matching another', () => {
    const indexes = personIndexes(crypto, { firstName: 'Test', lastName: 'Person', dateOfBirth: '1990-01-01', phone: '07700900123', postcode: 'ME4 4TR' });
    expect(new Set(Object.values(indexes)).size).toBe(5);
    expect(JSON.stringify(indexes)).not.toContain('Person');
  });
});

describe('deciding two records are the same person', () => {
  const base = { firstName: 'Test', lastName: 'Person-Whiskey', dateOfBirth: '1990-01-01', phone: '07700 900123', postcode: 'ME4 4TR' };
  const wanted = personIndexes(crypto, base);

  it('needs the name and one more identifier, or date of birth and phone together', () => {
    expect(samePerson(wanted, row(personIndexes(crypto, { ...base, phone: null, postcode: null })))).toBe(true);
    expect(samePerson(wanted, row(personIndexes(crypto, { firstName: 'Tesst', lastName: 'Persen-Whiskey', dateOfBirth: '1990-01-01' })))).toBe(true);
    expect(samePerson(wanted, row(personIndexes(crypto, { firstName: 'Other', lastName: 'Name', dateOfBirth: '1990-01-01', phone: '+44 7700 900123' })))).toBe(true);
    expect(samePerson(wanted, row(personIndexes(crypto, { firstName: 'Test', lastName: 'Person-Whiskey' })))).toBe(false);
    expect(samePerson(wanted, row(personIndexes(crypto, { firstName: 'Other', lastName: 'Name', postcode: 'ME4 4TR', phone: '07700 900123' })))).toBe(false);
  });

  it('never takes two members of one household for one person: a different date of birth, or a name that only sounds alike with the postcode alone', () => {
    const mother = personIndexes(crypto, { firstName: 'Jane', lastName: 'Testfamily', dateOfBirth: '1970-01-01', postcode: 'ME14 1AA' });
    expect(samePerson(mother, row(personIndexes(crypto, { firstName: 'John', lastName: 'Testfamily', dateOfBirth: '2003-09-09', postcode: 'ME14 1AA' })))).toBe(false);
    expect(samePerson(mother, row(personIndexes(crypto, { firstName: 'John', lastName: 'Testfamily', postcode: 'ME14 1AA' })))).toBe(false);
    expect(samePerson(mother, row(personIndexes(crypto, { firstName: 'Jane', lastName: 'Testfamily', dateOfBirth: '1971-01-01', postcode: 'ME14 1AA' })))).toBe(false);
    expect(samePerson(mother, row(personIndexes(crypto, { firstName: 'Jane', lastName: 'Testfamily', postcode: 'ME14 1AA' })))).toBe(true);
  });

  it('matches the person causing harm on name (or sound-alike), even a first name alone, but not on date of birth alone or with another date of birth', () => {
    const harm = personIndexes(crypto, { firstName: 'Test', lastName: 'Harm-Causer', dateOfBirth: '1985-05-05' });
    expect(samePersonCausingHarm(harm, row(personIndexes(crypto, { firstName: 'Test', lastName: 'Harm-Cawser' })))).toBe(true);
    expect(samePersonCausingHarm(harm, row(personIndexes(crypto, { firstName: 'Another', lastName: 'Someone' })))).toBe(false);
    expect(samePersonCausingHarm(harm, row(personIndexes(crypto, { firstName: 'Another', lastName: 'Someone', dateOfBirth: '1985-05-05' })))).toBe(false);
    expect(samePersonCausingHarm(harm, row(personIndexes(crypto, { firstName: 'Test', lastName: 'Harm-Causer', dateOfBirth: '1986-05-05' })))).toBe(false);
    const knownByFirstName = personIndexes(crypto, { firstName: 'Testharmonly' });
    expect(samePersonCausingHarm(knownByFirstName, row(personIndexes(crypto, { firstName: 'Testharmonly' })))).toBe(true);
    expect(samePersonCausingHarm(knownByFirstName, row(personIndexes(crypto, { firstName: 'Otherharm' })))).toBe(false);
  });
});

describe('settling on the name what the indexes cannot', () => {
  /** A stored record: its indexes, and its name as decryption would give it, counting each decryption. */
  function stored(person: IdentifyingFields) {
    const decrypted: PersonName[] = [];
    return { row: row(personIndexes(crypto, person)), name: () => (decrypted.push(person), person), decrypted };
  }

  it('finds a person whose phone was stored as it was read before “+44 (0)” was understood, and one stored as it is read now', () => {
    const wanted = wantedPerson(crypto, { firstName: 'Alpha', lastName: 'Testphone', phone: '+44 (0)7700 900201' });
    const storedThen = row({ ...personIndexes(crypto, { firstName: 'Alpha', lastName: 'Testphone' }), phone: crypto.blindIndex('referral-person-phone', '4407700900201') });
    expect(isPersonAtRisk(wanted, storedThen, () => ({ firstName: 'Alpha', lastName: 'Testphone' }))).toBe(true);
    const storedNow = stored({ firstName: 'Alpha', lastName: 'Testphone', phone: '07700 900201' });
    expect(isPersonAtRisk(wanted, storedNow.row, storedNow.name)).toBe(true);
    // "(0)" is the trunk zero only after a country code: written alone it is the number's own first digit.
    expect(normalisePhone('(0)1632 960001')).toBe('01632960001');
  });

  it('takes a name Soundex hears differently (Catherine, Katherine) for the same person at risk, with the same date of birth or phone', () => {
    const katherine = wantedPerson(crypto, { firstName: 'Katherine', lastName: 'Testwell', dateOfBirth: '1991-02-03', phone: '07700 900555' });
    const withDob = stored({ firstName: 'Catherine', lastName: 'Testwel', dateOfBirth: '1991-02-03', phone: '07700 900111' });
    expect(isPersonAtRisk(katherine, withDob.row, withDob.name)).toBe(true);
    const withPhone = stored({ firstName: 'Cathryn', lastName: 'Testwell', phone: '07700 900555' });
    expect(isPersonAtRisk(katherine, withPhone.row, withPhone.name)).toBe(true);
    // A sound-alike name with the postcode alone, or another date of birth, is someone else (as samePerson says).
    const household = stored({ firstName: 'Catherine', lastName: 'Testwell', dateOfBirth: '2010-06-07', phone: '07700 900555' });
    expect(isPersonAtRisk(katherine, household.row, household.name)).toBe(false);
    const postcodeOnly = stored({ firstName: 'Catherine', lastName: 'Testwell', postcode: 'ME4 4TR' });
    expect(isPersonAtRisk(wantedPerson(crypto, { firstName: 'Katherine', lastName: 'Testwell', postcode: 'ME4 4TR' }), postcodeOnly.row, postcodeOnly.name)).toBe(false);
    // Names that only begin with a vowel sound, or a J that can be said as a Y, are other people sharing a phone.
    for (const [wanted, other] of [['Ian', 'Ann'], ['John', 'Ann'], ['Alan', 'Ellen'], ['Aaron', 'Erin'], ['Amy', 'Emma'], ['Owen', 'Ewan']] as const) {
      const sharingAPhone = stored({ firstName: other, lastName: 'Testwell', phone: '07700 900555' });
      expect(isPersonAtRisk(wantedPerson(crypto, { firstName: wanted, lastName: 'Testwell', phone: '07700 900555' }), sharingAPhone.row, sharingAPhone.name), `${wanted} and ${other}`).toBe(false);
    }
    const kate = stored({ firstName: 'Kate', lastName: 'Testwell', dateOfBirth: '1991-02-03' });
    expect(isPersonAtRisk(katherine, kate.row, kate.name)).toBe(true);
    const philip = stored({ firstName: 'Philip', lastName: 'Testwell', phone: '07700 900555' });
    expect(isPersonAtRisk(wantedPerson(crypto, { firstName: 'Filip', lastName: 'Testwell', phone: '07700 900555' }), philip.row, philip.name)).toBe(true);
    const otherName = stored({ firstName: 'Margaret', lastName: 'Testwell', dateOfBirth: '1991-02-03' });
    expect(isPersonAtRisk(katherine, otherName.row, otherName.name)).toBe(false);
    // A name is read only for a record the indexes bring close: the same date of birth or phone.
    expect([household.decrypted.length, postcodeOnly.decrypted.length]).toEqual([0, 0]);
  });

  it('takes the same first name for the same person causing harm where one agency knows no last name, but not another first name or date of birth', () => {
    const dave = wantedPerson(crypto, { firstName: 'Dave' });
    const harris = stored({ firstName: 'Dave', lastName: 'Testharris' });
    expect(isPersonCausingHarm(dave, harris.row, harris.name)).toBe(true);
    expect(isPersonCausingHarm(wantedPerson(crypto, { firstName: 'dave', lastName: 'Testharris' }), stored({ firstName: 'Dave' }).row, stored({ firstName: 'Dave' }).name)).toBe(true);
    // A short form is the same given name, with or without the last name; another given name is not.
    const david = stored({ firstName: 'David', lastName: 'Testharris' });
    expect(isPersonCausingHarm(dave, david.row, david.name)).toBe(true);
    expect(isPersonCausingHarm(wantedPerson(crypto, { firstName: 'Dave', lastName: 'Testharris' }), david.row, david.name)).toBe(true);
    const daniel = stored({ firstName: 'Daniel', lastName: 'Testharris' });
    expect(isPersonCausingHarm(dave, daniel.row, daniel.name)).toBe(false);
    const chris = wantedPerson(crypto, { firstName: 'Chris' });
    const christine = stored({ firstName: 'Christine', lastName: 'Testharris' });
    expect(isPersonCausingHarm(chris, christine.row, christine.name)).toBe(true);
    expect(isPersonCausingHarm(wantedPerson(crypto, { firstName: 'Christopher' }), christine.row, christine.name)).toBe(false);
    const olderDave = stored({ firstName: 'Dave', lastName: 'Testharris', dateOfBirth: '1960-01-01' });
    expect(isPersonCausingHarm(wantedPerson(crypto, { firstName: 'Dave', dateOfBirth: '1980-01-01' }), olderDave.row, olderDave.name)).toBe(false);
    // Both names given: each must sound alike (Katherine Testsmyth and Catherine Testsmith), not just the first.
    const catherine = stored({ firstName: 'Catherine', lastName: 'Testsmith' });
    expect(isPersonCausingHarm(wantedPerson(crypto, { firstName: 'Katherine', lastName: 'Testsmyth' }), catherine.row, catherine.name)).toBe(true);
    expect(isPersonCausingHarm(wantedPerson(crypto, { firstName: 'Katherine', lastName: 'Brownlow' }), catherine.row, catherine.name)).toBe(false);
  });
});
