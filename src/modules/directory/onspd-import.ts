import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Db } from '../../platform/db/database.js';
import type { AuditService } from '../../platform/audit/service.js';
import { compactPostcode, postcodeShape } from './postcodes.js';
import { rebuildOutwardCentroids, upsertPoints } from './repository/postcodes.js';
import { bumpGeneration } from './repository/published.js';

export interface ImportSummary {
  readonly read: number;
  readonly stored: number;
  readonly skippedOutside: number;
  readonly skippedNoLocation: number;
  readonly outwardCentroids: number;
}

export class OnspdFormatError extends Error {}

const BATCH = 1000;
const POSTCODE_COLUMNS = ['pcds', 'pcd', 'pcd7', 'pcd8', 'pcd2'];

/**
 * Streams an ONS Postcode Directory CSV (millions of rows) into postcode -> latitude/longitude, keeping only
 * postcodes in the partnership's postcode districts unless `all` is set. Rows without a grid reference
 * (ONS gives them latitude 99.999999) are skipped. Safe to run again with a newer file: rows are replaced.
 */
export async function importOnspd(deps: { db: Db; audit: AuditService }, input: Readable, options: { all?: boolean } = {}): Promise<ImportSummary> {
  const { db } = deps;
  const districts = new Set((await db.kysely.selectFrom('postcode_districts').select('outward').execute()).map((row) => row.outward.toUpperCase()));
  const parser = input.pipe(parse({ columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()), skip_empty_lines: true, trim: true, relax_column_count: true }));
  let read = 0;
  let stored = 0;
  let skippedOutside = 0;
  let skippedNoLocation = 0;
  const outwards = new Set<string>();
  let batch: Array<{ postcode: string; latitude: number; longitude: number }> = [];
  let postcodeColumn: string | undefined;

  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    await db.kysely.transaction().execute((trx) => upsertPoints(trx, rows));
    stored += rows.length;
  };

  for await (const record of parser as AsyncIterable<Record<string, string | undefined>>) {
    read += 1;
    if (postcodeColumn === undefined) {
      postcodeColumn = POSTCODE_COLUMNS.find((name) => name in record);
      if (!postcodeColumn || !('lat' in record) || !('long' in record)) {
        throw new OnspdFormatError('This does not look like the ONS Postcode Directory: it needs a postcode column (pcds or pcd) and lat and long columns.');
      }
    }
    const shape = postcodeShape(record[postcodeColumn] ?? '');
    if (shape.kind !== 'full') continue;
    if (!options.all && !districts.has(shape.outward)) {
      skippedOutside += 1;
      continue;
    }
    const latitude = Number(record['lat']);
    const longitude = Number(record['long']);
    if (!Number.isFinite(latitude) || !Number.isFinite(longitude) || latitude > 90 || latitude < -90 || longitude > 180 || longitude < -180) {
      skippedNoLocation += 1;
      continue;
    }
    batch.push({ postcode: compactPostcode(shape.formatted), latitude, longitude });
    outwards.add(shape.outward);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  const outwardCentroids = await rebuildOutwardCentroids(db.kysely, [...outwards]);
  // Distances change the finder's order: every instance reloads, and drops the pages and look-ups it kept.
  await bumpGeneration(db.kysely);
  await deps.audit.record({ action: 'DIRECTORY_POSTCODES_IMPORTED', details: { read, stored, outwardCentroids } });
  return { read, stored, skippedOutside, skippedNoLocation, outwardCentroids };
}
