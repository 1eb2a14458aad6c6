import type { Executor } from '../../../platform/db/database.js';
import { SAFE_ACCOMMODATION } from '../model.js';
import type { PublishedDocument } from '../published-document.js';
import type { PublishedLocation } from '../published-records.js';

/** Directory organisations and locations: thin queries, no rules. */

export async function listOrganisationRows(executor: Executor) {
  return executor
    .selectFrom('directory_organisations as o')
    .leftJoin('organisations as p', 'p.id', 'o.partner_organisation_id')
    .select(['o.id', 'o.name', 'o.description', 'o.email', 'o.website', 'o.partner_organisation_id', 'o.published_at', 'o.has_unpublished_changes', 'o.version', 'o.updated_at', 'p.name as partner_name'])
    .orderBy('o.name')
    .execute();
}

export async function findOrganisationRow(executor: Executor, id: string) {
  return executor.selectFrom('directory_organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Public columns only: the encrypted confidential address is never selected here. */
const LOCATION_COLUMNS = [
  'l.id',
  'l.organisation_id',
  'l.name',
  'l.location_type',
  'l.confidential',
  'l.address_1',
  'l.address_2',
  'l.city',
  'l.postal_code',
  'l.area_code',
  'l.latitude',
  'l.longitude',
  'l.accessibility',
  'l.published_document',
  'l.published_at',
  'l.has_unpublished_changes',
  'l.version',
  'l.updated_at',
] as const;

export async function listLocationRows(executor: Executor, organisationId?: string) {
  return executor
    .selectFrom('directory_locations as l')
    .innerJoin('directory_organisations as o', 'o.id', 'l.organisation_id')
    .select([...LOCATION_COLUMNS, 'o.name as organisation_name'])
    .$if(Boolean(organisationId), (query) => query.where('l.organisation_id', '=', organisationId ?? ''))
    .orderBy('o.name')
    .orderBy('l.name')
    .execute();
}

export async function findLocationRow(executor: Executor, id: string) {
  return executor.selectFrom('directory_locations as l').select([...LOCATION_COLUMNS, 'l.confidential_address_enc']).where('l.id', '=', id).executeTakeFirst();
}

/** Encrypted addresses of every confidential location, for the check that no published text repeats one. */
export async function listConfidentialAddresses(executor: Executor) {
  return executor.selectFrom('directory_locations').select(['id', 'confidential_address_enc']).where('confidential', '=', 1).execute();
}

export async function servicesUsingLocation(executor: Executor, locationId: string) {
  return executor
    .selectFrom('directory_service_at_location as sal')
    .innerJoin('directory_services as s', 's.id', 'sal.service_id')
    .select(['s.id', 's.name', 's.publication'])
    .where('sal.location_id', '=', locationId)
    .orderBy('s.name')
    .execute();
}

/** Services offering safe accommodation that list this location, in their working copy or as published. */
export async function safeAccommodationServicesAt(executor: Executor, locationId: string): Promise<string[]> {
  const working = await executor
    .selectFrom('directory_service_at_location as sal')
    .innerJoin('directory_service_terms as st', 'st.service_id', 'sal.service_id')
    .innerJoin('directory_taxonomy_terms as t', 't.id', 'st.term_id')
    .innerJoin('directory_services as s', 's.id', 'sal.service_id')
    .select('s.name')
    .where('sal.location_id', '=', locationId)
    .where('t.code', '=', SAFE_ACCOMMODATION)
    .execute();
  const published = await executor.selectFrom('directory_published_services').select('document').where('document', 'like', `%${locationId}%`).execute();
  const publishedNames = published.flatMap(({ document }) => {
    const service = JSON.parse(document) as PublishedDocument;
    const listsIt = service.serviceAtLocations.some((link) => link.locationId === locationId);
    return listsIt && service.terms.some((term) => term.code === SAFE_ACCOMMODATION) ? [service.name] : [];
  });
  return [...new Set([...working.map((row) => row.name), ...publishedNames])].sort();
}

export async function countServicesOfOrganisation(executor: Executor, organisationId: string): Promise<number> {
  const row = await executor.selectFrom('directory_services').select((eb) => eb.fn.countAll().as('n')).where('organisation_id', '=', organisationId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** For demo data: approximate town-centre coordinates, so distance ordering can be tried without ONS data. */
export async function setLocationPoint(executor: Executor, id: string, latitude: number, longitude: number): Promise<void> {
  const row = await executor.selectFrom('directory_locations').select('published_document').where('id', '=', id).where('confidential', '=', 0).executeTakeFirst();
  if (!row) return;
  const published = row.published_document ? (JSON.parse(row.published_document) as PublishedLocation) : undefined;
  const document = published && !published.confidential ? JSON.stringify({ ...published, latitude, longitude }) : row.published_document;
  await executor.updateTable('directory_locations').set({ latitude, longitude, published_document: document }).where('id', '=', id).execute();
}

export async function findOrganisationByName(executor: Executor, name: string) {
  return executor.selectFrom('directory_organisations').select('id').where('name', '=', name).executeTakeFirst();
}
