import { sql } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';

/** The published projection and the generation counter that tells every instance to reload it. */

export async function savePublished(executor: Executor, serviceId: string, document: string, publishedAt: string): Promise<void> {
  await executor
    .insertInto('directory_published_services')
    .values({ service_id: serviceId, document, published_at: publishedAt })
    .onConflict((oc) => oc.column('service_id').doUpdateSet({ document, published_at: publishedAt }))
    .execute();
}

export async function deletePublished(executor: Executor, serviceId: string): Promise<void> {
  await executor.deleteFrom('directory_published_services').where('service_id', '=', serviceId).execute();
}

/**
 * Tells every instance that what the public sees has changed. Called first in every transaction that changes it: the
 * row's lock makes such changes take turns (on PostgreSQL), so a publication's check for confidential addresses
 * cannot pass while an address is being made confidential, and the lock order stays generation, records, then the
 * audit trail's head, which no deadlock can reverse.
 */
export async function bumpGeneration(executor: Executor): Promise<void> {
  await executor
    .updateTable('directory_generation')
    .set({ generation: sql<number>`generation + 1` })
    .where('id', '=', 1)
    .execute();
}

export async function currentGeneration(executor: Executor): Promise<number> {
  const row = await executor.selectFrom('directory_generation').select('generation').where('id', '=', 1).executeTakeFirst();
  return row?.generation ?? 0;
}

/** Everything the public directory is built from, in one read. No confidential address column is selected. */
export async function loadPublicRows(executor: Executor, options: { withPublished: boolean } = { withPublished: true }) {
  const [published, organisations, locations, terms, taxonomies, areas, districts] = await Promise.all([
    executor
      .selectFrom('directory_published_services as p')
      .innerJoin('directory_services as s', 's.id', 'p.service_id')
      .select(['p.service_id', 'p.document', 'p.published_at', 's.last_reviewed_at'])
      .where('s.publication', '=', 'published')
      .$if(!options.withPublished, (query) => query.where('s.id', '=', ''))
      .execute(),
    executor.selectFrom('directory_organisations').select(['id', 'name', 'description', 'email', 'website', 'published_document', 'published_at']).execute(),
    executor
      .selectFrom('directory_locations')
      .select(['id', 'organisation_id', 'name', 'location_type', 'confidential', 'address_1', 'address_2', 'city', 'postal_code', 'area_code', 'latitude', 'longitude', 'accessibility', 'published_document', 'published_at'])
      .execute(),
    executor.selectFrom('directory_taxonomy_terms').selectAll().orderBy('position').execute(),
    executor.selectFrom('directory_taxonomies').selectAll().orderBy('code', 'desc').execute(),
    executor.selectFrom('areas').select(['code', 'name', 'towns']).orderBy('name').execute(),
    executor.selectFrom('postcode_districts').selectAll().execute(),
  ]);
  return { published, organisations, locations, terms, taxonomies, areas, districts };
}

export type PublicRows = Awaited<ReturnType<typeof loadPublicRows>>;
