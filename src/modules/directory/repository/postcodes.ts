import { sql } from 'kysely';
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
 * postcodes were imported (or moved by a newer file) are placed too. Confidential locations never hold any.
 */
export async function placeLocations(executor: Executor): Promise<number> {
  const locations = await executor
    .selectFrom('directory_locations')
    .select(['id', 'postal_code', 'latitude', 'longitude'])
    .where('confidential', '=', 0)
    .where('postal_code', 'is not', null)
    .execute();
  let placed = 0;
  for (const location of locations) {
    const point = await findPoint(executor, compactPostcode(location.postal_code ?? ''));
    if (!point || (point.latitude === location.latitude && point.longitude === location.longitude)) continue;
    await executor.updateTable('directory_locations').set({ latitude: point.latitude, longitude: point.longitude }).where('id', '=', location.id).execute();
    placed += 1;
  }
  return placed;
}

export async function countPoints(executor: Executor): Promise<number> {
  const row = await executor.selectFrom('directory_postcode_points').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

