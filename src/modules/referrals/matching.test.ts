import { describe, expect, it } from 'vitest';
import { FieldCrypto } from '../../platform/crypto/field-crypto.js';
import { normaliseName, normalisePhone, normalisePostcode, personIndexes, samePerson, samePersonCausingHarm, soundex } from './matching.js';

const crypto = new FieldCrypto({ encryptionKeys: [{ id: 'k1', key: Buffer.alloc(32, 1) }], blindIndexKeys: [Buffer.alloc(32, 2)] });
const row = (indexes: ReturnType<typeof personIndexes>) => ({ name_index: indexes.name, name_phonetic_index: indexes.namePhonetic, dob_index: indexes.dob, phone_index: indexes.phone, postcode_index: indexes.postcode });

describe('normalising identifying fields for blind indexes', () => {
  it('reduces names, phones and postcodes to one form', () => {
    expect(normaliseName('  Zoë ', "O'Brien-Smith")).toBe('zoe|obriensmith');
    expect(normalisePhone('+44 7700 900123')).toBe('07700900123');
    expect(normalisePhone('0044 7700 900123')).toBe('07700900123');
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
