import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { importOnspd, OnspdFormatError } from './onspd-import.js';
import { findPoint } from './repository/postcodes.js';

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
    expect(summary).toEqual({ read: 5, stored: 3, skippedOutside: 1, skippedNoLocation: 1, outwardCentroids: 2 });
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

  it('refuses a file that is not the postcode directory', async () => {
    await expect(importOnspd(platform.services, onspd(['1,2'], 'name,value'))).rejects.toBeInstanceOf(OnspdFormatError);
  });
});
