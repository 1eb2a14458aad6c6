import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { importOnspd, OnspdFormatError } from './onspd-import.js';
import { countPoints, findPoint } from './repository/postcodes.js';
import { createLocation, createOrganisation } from './test-fixtures.js';

/** A few rows in the ONS Postcode Directory's layout (synthetic coordinates), fed in small chunks like a file. */
function onspd(rows: string[], header = 'pcd,pcd2,pcds,dointr,doterm,oscty,lat,long'): Readable {
  const text = [header, ...rows].join('\r\n');
  return Readable.from(text.match(/[\s\S]{1,7}/g) ?? []);
}

describe('importing ONS Postcode Directory coordinates', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ demo: false });
  });
  afterAll(() => platform.close());

  it('keeps Kent and Medway postcodes with a location, and works out district centroids', async () => {
    const summary = await importOnspd(
      platform.services,
      onspd([
        '"CT9 1AA","CT9  1AA","CT9 1AA","198001","","E10000016",51.3900,1.3800',
        '"CT9 2AA","CT9  2AA","CT9 2AA","198001","202001","E10000016",51.3800,1.4000',
        '"ME1 1AA","ME1  1AA","ME1 1AA","198001","","E06000035",51.3800,0.5000',
        '"SW1A1AA","SW1A 1AA","SW1A 1AA","198001","","E13000001",51.5010,-0.1410',
        '"CT10 1ZZ","CT10 1ZZ","CT10 1ZZ","198001","","E10000016",99.999999,0.000000',
      ]),
    );
    expect(summary).toEqual({ read: 5, stored: 3, skippedOutside: 1, skippedNoLocation: 1, outwardCentroids: 2, locationsPlaced: 0 });
    expect(await findPoint(platform.services.db.kysely, 'CT91AA')).toEqual({ latitude: 51.39, longitude: 1.38 });
    expect(await findPoint(platform.services.db.kysely, 'SW1A1AA')).toBeUndefined();
    const centroid = await findPoint(platform.services.db.kysely, 'CT9');
    expect(centroid?.latitude).toBeCloseTo(51.385, 6);
    expect(centroid?.longitude).toBeCloseTo(1.39, 6);
    expect(await platform.services.directory.pointForPostcode('ct9 1aa')).toEqual({ latitude: 51.39, longitude: 1.38 });
    expect((await platform.services.directory.pointForPostcode('CT9 5ZZ'))?.latitude).toBeCloseTo(51.385, 6);
  });

  it('replaces coordinates when a newer file is imported', async () => {
    await importOnspd(platform.services, onspd(['"CT9 1AA","CT9  1AA","CT9 1AA","198001","","E10000016",51.4000,1.3900'], 'PCD7,PCD8,PCDS,DOINTR,DOTERM,OSCTY,LAT,LONG'));
    expect(await findPoint(platform.services.db.kysely, 'CT91AA')).toEqual({ latitude: 51.4, longitude: 1.39 });
  });

  it('skips rows whose location is empty, not a number or outside the UK, rather than placing them at 0,0', async () => {
    const summary = await importOnspd(
      platform.services,
      onspd([
        '"ME20 7AA","ME20 7AA","ME20 7AA","198001","","E10000016",,',
        '"ME20 7AB","ME20 7AB","ME20 7AB","198001","","E10000016",34.1,0.4',
        '"ME20 7AD","ME20 7AD","ME20 7AD","198001","","E10000016",north,east',
        '"ME20 7AE","ME20 7AE","ME20 7AE","198001","","E10000016",51.3000,0.4500',
      ]),
    );
    expect(summary).toMatchObject({ stored: 1, skippedNoLocation: 3 });
    expect(await findPoint(platform.services.db.kysely, 'ME207AA')).toBeUndefined();
    expect(await findPoint(platform.services.db.kysely, 'ME20')).toEqual({ latitude: 51.3, longitude: 0.45 });
  });

  it('changes nothing when the file is damaged part of the way through', async () => {
    const before = await countPoints(platform.services.db.kysely);
    const good = Array.from({ length: 2500 }, (_, index) => `"TN12 ${String(index % 10)}${String.fromCharCode(65 + Math.floor(index / 100) % 26)}${String.fromCharCode(65 + (index % 26))}","x","x","198001","","E10000016",51.1800,0.4000`);
    const damaged = importOnspd(platform.services, onspd([...good, '"TN12 9ZZ,"x","x","198001","","E10000016",51.1800,0.4000']));
    await expect(damaged).rejects.toThrow(/could not be read after .* Nothing was imported/);
    expect(await countPoints(platform.services.db.kysely)).toBe(before);
  });

  it('refuses a file that is not the postcode directory', async () => {
    await expect(importOnspd(platform.services, onspd(['1,2'], 'name,value'))).rejects.toBeInstanceOf(OnspdFormatError);
  });
});

describe('importing postcode coordinates into a directory with locations', () => {
  let withDemo: TestPlatform;
  beforeAll(async () => {
    withDemo = await createTestPlatform();
  });
  afterAll(() => withDemo.close());

  it('gives locations saved before the import the coordinates of their postcodes', async () => {
    const { services } = withDemo;
    const organisation = await createOrganisation(services, 'Placing Test Organisation (synthetic)');
    const id = await createLocation(services, { organisationId: organisation, name: 'Paddock Office', locationType: 'physical', confidential: false, address: { address1: '1 Test Road', address2: null, city: 'Paddock Wood', postalCode: 'TN12 6PW' }, areaCode: 'tunbridge-wells', accessibility: null });
    const location = () => services.db.kysely.selectFrom('directory_locations').select(['latitude', 'longitude']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(await location()).toEqual({ latitude: null, longitude: null });
    const summary = await importOnspd(services, onspd(['"TN12 6PW","x","TN12 6PW","198001","","E10000016",51.1960,0.3890']));
    expect(summary.locationsPlaced).toBe(1);
    expect(await location()).toEqual({ latitude: 51.196, longitude: 0.389 });
  });
});
