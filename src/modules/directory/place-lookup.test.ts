import { describe, expect, it } from 'vitest';
import { readAreas, readPostcodeDistricts } from '../admin/reference-data.js';
import { editDistance, resolvePlace, type PlaceReference } from './place-lookup.js';
import { postcodeShape } from './postcodes.js';

const reference: PlaceReference = {
  areas: readAreas().map((area) => ({ code: area.code, name: area.name, towns: area.towns.split(';') })),
  districts: new Map(readPostcodeDistricts().map((row) => [row.outward, row.areas.split(';')])),
};

describe('recognising what someone typed as a place', () => {
  it('reads a full postcode in any case and spacing, and finds its area', () => {
    for (const typed of ['CT9 1AA', 'ct91aa', '  Ct9   1aA ']) {
      expect(resolvePlace(typed, reference)).toMatchObject({ kind: 'postcode', label: 'CT9 1AA', outward: 'CT9', areaCodes: ['thanet'] });
    }
  });

  it('reads the first half of a postcode on its own', () => {
    expect(resolvePlace('me14', reference)).toMatchObject({ kind: 'outward', label: 'ME14', areaCodes: ['maidstone'] });
  });

  it('reads a postcode sector, or a postcode typed half-way, as its district: the space tells ME1 1 from ME11', () => {
    expect(resolvePlace('ME1 1', reference)).toMatchObject({ kind: 'outward', label: 'ME1', areaCodes: ['medway'] });
    expect(resolvePlace('me11', reference)).toMatchObject({ kind: 'outward', label: 'ME11', areaCodes: ['swale'] });
    expect(resolvePlace('TN1 1', reference)).toMatchObject({ label: 'TN1', areaCodes: ['tunbridge-wells'] });
    expect(resolvePlace('DA1-1', reference)).toMatchObject({ label: 'DA1', areaCodes: ['dartford'] });
    expect(resolvePlace('ME5 9', reference)).toMatchObject({ kind: 'outward', label: 'ME5' });
    expect(resolvePlace('ME14 1X', reference)).toMatchObject({ kind: 'outward', label: 'ME14', areaCodes: ['maidstone'] });
    expect(resolvePlace('SW1A 1', reference)).toEqual({ kind: 'outside', label: 'SW1A', named: 'postcode' });
  });

  it('gives every area a postcode district spans', () => {
    expect(resolvePlace('CT3', reference)).toMatchObject({ areaCodes: ['canterbury', 'dover'] });
  });

  it('says a postcode outside Kent and Medway is outside, rather than failing', () => {
    expect(resolvePlace('SW1A 1AA', reference)).toEqual({ kind: 'outside', label: 'SW1A 1AA', named: 'postcode' });
    expect(resolvePlace('M1', reference)).toEqual({ kind: 'outside', label: 'M1', named: 'postcode' });
  });

  it('says a well-known place outside Kent and Medway is outside, rather than not found', () => {
    expect(resolvePlace('london', reference)).toEqual({ kind: 'outside', label: 'London', named: 'place' });
    expect(resolvePlace('Brighton & Hove', reference)).toEqual({ kind: 'outside', label: 'Brighton and Hove', named: 'place' });
    expect(resolvePlace('southend on sea', reference)).toEqual({ kind: 'outside', label: 'Southend-on-Sea', named: 'place' });
    // A Kent town is still a Kent town, and a place on neither list is still unknown.
    expect(resolvePlace('Dartford', reference)).toMatchObject({ kind: 'town' });
    expect(resolvePlace('Atlantis', reference)).toMatchObject({ kind: 'unknown' });
  });

  it('finds a town and its area, ignoring case, hyphens and "Royal"', () => {
    expect(resolvePlace('margate', reference)).toMatchObject({ kind: 'town', town: 'Margate', areaCodes: ['thanet'], alternatives: [] });
    expect(resolvePlace('Westgate on Sea', reference)).toMatchObject({ kind: 'town', town: 'Westgate-on-Sea', areaCodes: ['thanet'] });
    expect(resolvePlace('Royal Tunbridge Wells', reference)).toMatchObject({ areaCodes: ['tunbridge-wells'] });
    expect(resolvePlace('Hoo St. Werburgh', reference)).toMatchObject({ kind: 'town', areaCodes: ['medway'] });
  });

  it('offers both areas for Minster, which is in Swale and in Thanet, until one is chosen', () => {
    const both = resolvePlace('Minster', reference);
    expect(both).toMatchObject({ kind: 'town', areaCodes: ['swale', 'thanet'] });
    expect(both.kind === 'town' ? both.alternatives : []).toEqual([
      { label: 'Minster, Swale', location: 'Minster', area: 'swale' },
      { label: 'Minster, Thanet', location: 'Minster', area: 'thanet' },
    ]);
    expect(resolvePlace('Minster', reference, 'thanet')).toMatchObject({ kind: 'town', areaCodes: ['thanet'] });
    expect(resolvePlace('Minster', reference, 'not-an-area')).toMatchObject({ areaCodes: ['swale', 'thanet'] });
  });

  it('reads a Minster named with its area, or by its full name, as that one', () => {
    for (const typed of ['Minster, Swale', 'minster swale', 'Minster-on-Sea', 'Minster on Sea']) {
      expect(resolvePlace(typed, reference), typed).toMatchObject({ kind: 'town', areaCodes: ['swale'] });
    }
    for (const typed of ['Minster, Thanet', 'Minster in Thanet', 'Minster-in-Thanet']) {
      expect(resolvePlace(typed, reference), typed).toMatchObject({ kind: 'town', areaCodes: ['thanet'] });
    }
  });

  it('offers no choice between two names of one place', () => {
    expect(resolvePlace('Tunbridge Wells', reference)).toMatchObject({ kind: 'town', areaCodes: ['tunbridge-wells'], alternatives: [] });
  });

  it('reads a town followed by its postcode as the postcode, and names typed with or without an apostrophe', () => {
    expect(resolvePlace('Margate CT9', reference)).toMatchObject({ kind: 'outward', label: 'CT9', areaCodes: ['thanet'] });
    expect(resolvePlace('Sheerness, ME12 1AA', reference)).toMatchObject({ kind: 'postcode', label: 'ME12 1AA', areaCodes: ['swale'] });
    expect(resolvePlace("King's Hill", reference)).toMatchObject({ kind: 'town', areaCodes: ['tonbridge-malling'] });
    expect(resolvePlace('St Marys Bay', reference)).toMatchObject({ kind: 'town', areaCodes: ['folkestone-hythe'] });
    expect(resolvePlace('Walderslade', reference)).toMatchObject({ kind: 'town', areaCodes: ['medway'] });
    expect(resolvePlace('Isle of Thanet', reference)).toMatchObject({ areaCodes: ['thanet'] });
  });

  it('finds a district by name, with "and" or "&"', () => {
    expect(resolvePlace('Tonbridge and Malling', reference)).toEqual({ kind: 'district', label: 'Tonbridge & Malling', areaCodes: ['tonbridge-malling'] });
    expect(resolvePlace('folkestone & hythe', reference)).toMatchObject({ kind: 'district', areaCodes: ['folkestone-hythe'] });
    expect(resolvePlace('Thanet', reference)).toMatchObject({ kind: 'district', areaCodes: ['thanet'] });
  });

  it('reads the local and added words people type: a borough, "Towns", ", UK", the parts of the county, a hyphened postcode', () => {
    expect(resolvePlace('Tunbridge Wells Borough', reference)).toMatchObject({ kind: 'town', areaCodes: ['tunbridge-wells'] });
    expect(resolvePlace('Swale Borough Council', reference)).toMatchObject({ kind: 'district', areaCodes: ['swale'] });
    expect(resolvePlace('Medway Towns', reference)).toMatchObject({ kind: 'district', areaCodes: ['medway'] });
    expect(resolvePlace('Kent, UK', reference)).toMatchObject({ kind: 'everywhere' });
    expect(resolvePlace('Isle of Sheppey', reference)).toMatchObject({ kind: 'town', areaCodes: ['swale'] });
    expect(resolvePlace('Leysdown', reference)).toMatchObject({ kind: 'town', areaCodes: ['swale'] });
    expect(resolvePlace("St Mary's Bay", reference)).toMatchObject({ kind: 'town', areaCodes: ['folkestone-hythe'] });
    expect(resolvePlace('Ebbsfleet', reference)).toMatchObject({ kind: 'town', areaCodes: ['dartford', 'gravesham'] });
    expect(resolvePlace('East Kent', reference)).toEqual({ kind: 'district', label: 'East Kent', areaCodes: ['thanet', 'canterbury', 'dover', 'folkestone-hythe', 'ashford'] });
    expect(resolvePlace('west kent', reference)).toMatchObject({ kind: 'district', label: 'West Kent' });
    expect(resolvePlace('ME14-1XX', reference)).toMatchObject({ kind: 'postcode', label: 'ME14 1XX', areaCodes: ['maidstone'] });
  });

  it('treats "Kent and Medway" as everywhere', () => {
    expect(resolvePlace('Kent and Medway', reference)).toMatchObject({ kind: 'everywhere' });
    expect(resolvePlace('kent', reference)).toMatchObject({ kind: 'everywhere' });
    expect(resolvePlace('Medway', reference)).toMatchObject({ kind: 'district', areaCodes: ['medway'] });
  });

  it('suggests places for a typing slip or the start of a name, and nothing for nonsense', () => {
    expect(resolvePlace('Margat', reference)).toEqual({ kind: 'unknown', suggestions: [{ label: 'Margate', location: 'Margate' }] });
    expect(resolvePlace('Sitingbourne', reference)).toMatchObject({ suggestions: [{ label: 'Sittingbourne' }] });
    expect(resolvePlace('Tunb', reference)).toEqual({ kind: 'unknown', suggestions: [{ label: 'Tunbridge Wells', location: 'Tunbridge Wells' }] });
    expect(resolvePlace('qqqqqqqq', reference)).toEqual({ kind: 'unknown', suggestions: [] });
  });

  it('treats an empty or blank search as no place', () => {
    expect(resolvePlace('', reference)).toEqual({ kind: 'none' });
    expect(resolvePlace('   ', reference)).toEqual({ kind: 'none' });
  });
});

describe('postcode shapes and distances', () => {
  it('tells full postcodes from outward codes and from other text', () => {
    expect(postcodeShape('me4 4tb')).toEqual({ kind: 'full', outward: 'ME4', formatted: 'ME4 4TB', compact: 'ME44TB' });
    expect(postcodeShape('TN13')).toEqual({ kind: 'outward', outward: 'TN13' });
    expect(postcodeShape('Margate')).toEqual({ kind: 'none' });
  });

  it('measures edit distance', () => {
    expect(editDistance('margat', 'margate')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
