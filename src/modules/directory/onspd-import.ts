import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import type { Db } from '../../platform/db/database.js';
import type { AuditService } from '../../platform/audit/service.js';
import { compactPostcode, postcodeShape } from './postcodes.js';
import { placeLocations, rebuildOutwardCentroids, upsertPoints } from './repository/postcodes.js';
import { bumpGeneration } from './repository/published.js';

export interface ImportSummary {
  readonly read: number;
  readonly stored: number;
  readonly skippedOutside: number;
  readonly skippedNoLocation: number;
  readonly outwardCentroids: number;
  /** Saved locations whose coordinates the import gave or changed. */
  readonly locationsPlaced: number;
}

export class OnspdFormatError extends Error {}

const BATCH = 1000;
const POSTCODE_COLUMNS = ['pcds', 'pcd', 'pcd7', 'pcd8', 'pcd2'];

/** Every postcode the directory covers (the UK, the Channel Islands, the Isle of Man) lies inside these. */
const UK_BOUNDS = { latitude: [49, 61], longitude: [-9, 2.1] } as const;

type Point = { postcode: string; latitude: number; longitude: number };

/** A coordinate as ONS writes it, or null when it is empty, not a number, or not in the UK (ONS gives 99.999999 for "none"). */
function coordinate(text: string | undefined, [low, high]: readonly [number, number]): number | null {
  if (text === undefined || text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) && value >= low && value <= high ? value : null;
}

/**
 * Reads an ONS Postcode Directory CSV (millions of rows) into postcode -> latitude/longitude, keeping only
 * postcodes in the partnership's postcode districts unless `all` is set. Rows without a usable location are
 * skipped. All or nothing: the whole file is read before anything is written, so a damaged file changes nothing.
 * Then, in one transaction, the points are stored (a newer file replaces older rows), district centroids worked
 * out, and saved locations given the coordinates of their postcodes.
 */
export async function importOnspd(deps: { db: Db; audit: AuditService; clock: () => Date }, input: Readable, options: { all?: boolean } = {}): Promise<ImportSummary> {
  const { db } = deps;
  const districts = new Set((await db.kysely.selectFrom('postcode_districts').select('outward').execute()).map((row) => row.outward.toUpperCase()));
  const parser = input.pipe(parse({ columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()), skip_empty_lines: true, trim: true, relax_column_count: true }));
  let read = 0;
  let skippedOutside = 0;
  let skippedNoLocation = 0;
  const outwards = new Set<string>();
  const points: Point[] = [];
  let postcodeColumn: string | undefined;

  try {
    for await (const record of parser as AsyncIterable<Record<string, string | undefined>>) {
      read += 1;
      if (postcodeColumn === undefined) {
        postcodeColumn = POSTCODE_COLUMNS.find((name) => name in record);
        if (!postcodeColumn || !('lat' in record) || !('long' in record)) {
          throw new OnspdFormatError('This does not look like the ONS Postcode Directory: it needs a postcode column (pcds or pcd) and lat and long columns. Nothing was imported.');
        }
      }
      const shape = postcodeShape(record[postcodeColumn] ?? '');
      if (shape.kind !== 'full') continue;
      if (!options.all && !districts.has(shape.outward)) {
        skippedOutside += 1;
        continue;
      }
      const latitude = coordinate(record['lat'], UK_BOUNDS.latitude);
      const longitude = coordinate(record['long'], UK_BOUNDS.longitude);
      if (latitude === null || longitude === null) {
        skippedNoLocation += 1;
        continue;
      }
      points.push({ postcode: compactPostcode(shape.formatted), latitude, longitude });
      outwards.add(shape.outward);
    }
  } catch (error) {
    if (error instanceof OnspdFormatError) throw error;
    throw new OnspdFormatError(`The file could not be read after ${String(read)} rows (${error instanceof Error ? error.message : String(error)}). Nothing was imported.`);
  }

  const { outwardCentroids, locationsPlaced } = await db.kysely.transaction().execute(async (trx) => {
    // Distances change the finder's order: every instance reloads, and drops the pages and look-ups it kept.
    await bumpGeneration(trx); // first: see bumpGeneration
    for (let from = 0; from < points.length; from += BATCH) await upsertPoints(trx, points.slice(from, from + BATCH));
    const centroids = await rebuildOutwardCentroids(trx, [...outwards]);
    const placed = await placeLocations(trx, deps.clock().toISOString());
    await deps.audit.recordWith(trx, { action: 'DIRECTORY_POSTCODES_IMPORTED', details: { read, stored: points.length, outwardCentroids: centroids, locationsPlaced: placed } });
    return { outwardCentroids: centroids, locationsPlaced: placed };
  });
  return { read, stored: points.length, skippedOutside, skippedNoLocation, outwardCentroids, locationsPlaced };
}
