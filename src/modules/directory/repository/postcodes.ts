import { sql } from 'kysely';
import type { PublishedLocation } from '../published-records.js';
import type { Executor } from '../../../platform/db/database.js';
import { compactPostcode } from '../postcodes.js';

/** Postcode coordinates imported from the ONS Postcode Directory. */

export async function findPoint(executor: Executor, postcode: string) {
  return executor.selectFrom('directory_postcode_points').select(['latitude', 'longitude']).where('postcode', '=', postcode).executeTakeFirst();
}

export async function upsertPoints(executor: Executor, points: ReadonlyArray<{ postcode: string; latitude: number; longitude: number }>): Promise<void> {
  if (points.length === 0) return;
  await executor
    .insertInto('directory_postcode_points')
    .values([...points])
    .onConflict((oc) =>
      oc.column('postcode').doUpdateSet((eb) => ({ latitude: eb.ref('excluded.latitude'), longitude: eb.ref('excluded.longitude') })),
    )
    .execute();
}

/** Each outward code's centroid: the mean of its postcodes, for searches by "CT9" alone. */
export async function rebuildOutwardCentroids(executor: Executor, outwards: readonly string[]): Promise<number> {
  let written = 0;
  for (const outward of outwards) {
    const row = await executor
      .selectFrom('directory_postcode_points')
      .select([sql<string | number>`avg(latitude)`.as('latitude'), sql<string | number>`avg(longitude)`.as('longitude'), sql<string | number>`count(*)`.as('n')])
      .where('postcode', 'like', `${outward}%`)
      .where('postcode', '!=', outward)
      .where(sql<number>`length(postcode)`, '=', outward.length + 3)
      .executeTakeFirst();
    if (!row || Number(row.n) === 0) continue;
    await upsertPoints(executor, [{ postcode: outward, latitude: Number(row.latitude), longitude: Number(row.longitude) }]);
    written += 1;
  }
  return written;
}

/**
 * Gives every public location the coordinates of its postcode, as saving it would: locations saved before the
 * postcodes were imported (or moved by a newer file) are placed too, in the working copy and in the version the
 * public sees (whose postcode may differ until the next publication). Confidential locations never hold any.
 */
export async function placeLocations(executor: Executor, now: string): Promise<number> {
  const locations = await executor
    .selectFrom('directory_locations')
    .select(['id', 'postal_code', 'latitude', 'longitude', 'published_document'])
    .where('confidential', '=', 0)
    .execute();
  let placed = 0;
  for (const location of locations) {
    const point = location.postal_code ? await findPoint(executor, compactPostcode(location.postal_code)) : undefined;
    const published = await placedDocument(executor, location.published_document);
    const moved = point && (point.latitude !== location.latitude || point.longitude !== location.longitude);
    if (!moved && !published) continue;
    await executor
      .updateTable('directory_locations')
      .set({ ...(moved ? { latitude: point.latitude, longitude: point.longitude } : {}), ...(published ? { published_document: published, published_at: now } : {}) })
      .where('id', '=', location.id)
      .execute();
    placed += 1;
  }
  return placed;
}

/** The published version with its postcode's coordinates, or undefined when it has none to gain or they are the same. */
async function placedDocument(executor: Executor, document: string | null): Promise<string | undefined> {
  const published = document ? (JSON.parse(document) as PublishedLocation) : undefined;
  if (!published || published.confidential || !published.postalCode) return undefined;
  const point = await findPoint(executor, compactPostcode(published.postalCode));
  if (!point || (point.latitude === published.latitude && point.longitude === published.longitude)) return undefined;
  return JSON.stringify({ ...published, latitude: point.latitude, longitude: point.longitude });
}

export async function countPoints(executor: Executor): Promise<number> {
  const row = await executor.selectFrom('directory_postcode_points').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

