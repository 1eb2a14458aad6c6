import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import { newId } from '../../../platform/db/ids.js';
import { DAYS, type DayHours, type ServiceInput, type ServiceRecord } from '../model.js';
import type { DirectoryServiceTable, Publication } from '../tables.js';

type ServiceRow = Selectable<DirectoryServiceTable>;

/** The scalar columns of a service from its input. */
export function serviceColumns(input: ServiceInput) {
  return {
    organisation_id: input.organisationId,
    name: input.name,
    description: input.description,
    offers: input.offers,
    eligibility: input.eligibility,
    minimum_age: input.minimumAge,
    maximum_age: input.maximumAge,
    referral_self: input.referralSelf ? 1 : 0,
    referral_professional: input.referralProfessional ? 1 : 0,
    referral_details: input.referralDetails,
    languages: JSON.stringify(input.languages),
    accessibility: input.accessibility,
    opening_notes: input.openingNotes,
    url: input.url,
    email: input.email,
    status: input.status,
    accepts_callbacks: input.acceptsCallbacks ? 1 : 0,
  };
}

export async function insertService(executor: Executor, id: string, input: ServiceInput, now: string): Promise<void> {
  await executor
    .insertInto('directory_services')
    .values({
      id,
      ...serviceColumns(input),
      publication: 'draft',
      has_unpublished_changes: 1,
      published_at: null,
      last_reviewed_at: now,
      review_flagged_at: null,
      version: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await replaceChildren(executor, id, input);
}

/** Replaces phones, contacts, hours, coverage, taxonomy tags and locations; keeps row ids where nothing changed. */
export async function replaceChildren(executor: Executor, serviceId: string, input: ServiceInput): Promise<void> {
  const [phones, contacts, schedules] = await Promise.all([
    executor.selectFrom('directory_phones').select(['id', 'number', 'description']).where('service_id', '=', serviceId).execute(),
    executor.selectFrom('directory_contacts').select(['id', 'name', 'title', 'email', 'phone']).where('service_id', '=', serviceId).execute(),
    executor.selectFrom('directory_schedules').select(['id', 'byday', 'opens_at', 'closes_at']).where('service_id', '=', serviceId).execute(),
  ]);
  const phoneIds = idsKeptFrom(phones, (phone) => [phone.number, phone.description]);
  const contactIds = idsKeptFrom(contacts, (contact) => [contact.name, contact.title, contact.email, contact.phone]);
  const scheduleIds = idsKeptFrom(schedules, (schedule) => [schedule.byday, schedule.opens_at, schedule.closes_at]);
  await executor.deleteFrom('directory_phones').where('service_id', '=', serviceId).execute();
  await executor.deleteFrom('directory_contacts').where('service_id', '=', serviceId).execute();
  await executor.deleteFrom('directory_schedules').where('service_id', '=', serviceId).execute();
  for (const [position, phone] of input.phones.entries()) {
    const values = { service_id: serviceId, number: phone.number, description: phone.description, position };
    await executor.insertInto('directory_phones').values({ id: phoneIds(values), ...values }).execute();
  }
  for (const [position, contact] of input.contacts.entries()) {
    const values = { service_id: serviceId, ...contact, position };
    await executor.insertInto('directory_contacts').values({ id: contactIds(values), ...values }).execute();
  }
  for (const group of groupHours(input.hours)) {
    const values = { service_id: serviceId, ...group };
    await executor.insertInto('directory_schedules').values({ id: scheduleIds(values), ...values }).execute();
  }
  await syncLinks(executor, 'directory_service_areas', 'area_code', serviceId, input.areaCodes);
  const terms = input.termCodes.length
    ? await executor.selectFrom('directory_taxonomy_terms').select('id').where('code', 'in', [...input.termCodes]).execute()
    : [];
  await syncLinks(executor, 'directory_service_terms', 'term_id', serviceId, terms.map((term) => term.id));
  await syncLinks(executor, 'directory_service_at_location', 'location_id', serviceId, input.locationIds);
}

/**
 * Gives a row the id of an existing row with the same content, or a new id: the Open Referral feed publishes these
 * ids, and a partner's copy should not see an unchanged phone or opening time as removed and added on every save.
 */
function idsKeptFrom<Row extends { id: string }>(existing: readonly Row[], content: (row: Omit<Row, 'id'>) => unknown[]) {
  const unclaimed = new Map<string, string[]>();
  for (const row of existing) {
    const key = JSON.stringify(content(row));
    unclaimed.set(key, [...(unclaimed.get(key) ?? []), row.id]);
  }
  return (row: Omit<Row, 'id'>): string => unclaimed.get(JSON.stringify(content(row)))?.shift() ?? newId();
}

type LinkTable = 'directory_service_areas' | 'directory_service_terms' | 'directory_service_at_location';
type LinkColumn = 'area_code' | 'term_id' | 'location_id';

/** Keeps the identifiers of links that stay (partners' systems hold service_at_location ids). */
async function syncLinks(executor: Executor, table: LinkTable, column: LinkColumn, serviceId: string, wanted: readonly string[]): Promise<void> {
  const rows = (await executor.selectFrom(table).selectAll().where('service_id', '=', serviceId).execute()) as Array<Record<LinkColumn | 'id', string>>;
  const existing = new Set(rows.map((row) => row[column]));
  const keep = new Set(wanted);
  const stale = rows.filter((row) => !keep.has(row[column])).map((row) => row.id);
  if (stale.length) await executor.deleteFrom(table).where('id', 'in', stale).execute();
  for (const value of keep) {
    if (existing.has(value)) continue;
    const id = newId();
    if (table === 'directory_service_areas') await executor.insertInto(table).values({ id, service_id: serviceId, area_code: value }).execute();
    else if (table === 'directory_service_terms') await executor.insertInto(table).values({ id, service_id: serviceId, term_id: value }).execute();
    else await executor.insertInto(table).values({ id, service_id: serviceId, location_id: value }).execute();
  }
}

/** Days open at the same times become one schedule (RFC 5545 BYDAY), as Open Referral expects; a day open twice is in two. */
export function groupHours(hours: readonly DayHours[]): Array<{ byday: string; opens_at: string; closes_at: string }> {
  const groups = new Map<string, string[]>();
  for (const entry of inWeekOrder(hours)) {
    const key = `${entry.opensAt}-${entry.closesAt}`;
    groups.set(key, [...(groups.get(key) ?? []), entry.day]);
  }
  return [...groups].map(([key, days]) => {
    const [opens = '', closes = ''] = key.split('-');
    return { byday: days.join(','), opens_at: opens, closes_at: closes };
  });
}

function inWeekOrder(hours: readonly DayHours[]): DayHours[] {
  return [...hours].sort((a, b) => DAYS.indexOf(a.day) - DAYS.indexOf(b.day) || a.opensAt.localeCompare(b.opensAt));
}

export async function findServiceRow(executor: Executor, id: string): Promise<ServiceRow | undefined> {
  return executor.selectFrom('directory_services').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The whole working copy of a service, or undefined. */
export async function loadService(executor: Executor, id: string): Promise<ServiceRecord | undefined> {
  const row = await findServiceRow(executor, id);
  if (!row) return undefined;
  const [phones, contacts, schedules, areas, terms, locations] = await Promise.all([
    executor.selectFrom('directory_phones').selectAll().where('service_id', '=', id).orderBy('position').execute(),
    executor.selectFrom('directory_contacts').selectAll().where('service_id', '=', id).orderBy('position').execute(),
    executor.selectFrom('directory_schedules').selectAll().where('service_id', '=', id).orderBy('byday').execute(),
    executor.selectFrom('directory_service_areas').selectAll().where('service_id', '=', id).orderBy('area_code').execute(),
    executor
      .selectFrom('directory_service_terms as st')
      .innerJoin('directory_taxonomy_terms as t', 't.id', 'st.term_id')
      .select(['st.id', 'st.term_id', 't.code', 't.position'])
      .where('st.service_id', '=', id)
      .orderBy('t.position')
      .execute(),
    executor.selectFrom('directory_service_at_location').selectAll().where('service_id', '=', id).orderBy('id').execute(),
  ]);
  const hours: DayHours[] = [];
  for (const schedule of schedules) {
    for (const day of schedule.byday.split(',')) {
      const known = DAYS.find((candidate) => candidate === day);
      if (known) hours.push({ day: known, opensAt: schedule.opens_at, closesAt: schedule.closes_at });
    }
  }
  return {
    id: row.id,
    organisationId: row.organisation_id,
    name: row.name,
    description: row.description,
    offers: row.offers,
    eligibility: row.eligibility,
    minimumAge: row.minimum_age,
    maximumAge: row.maximum_age,
    referralSelf: row.referral_self === 1,
    referralProfessional: row.referral_professional === 1,
    referralDetails: row.referral_details,
    languages: JSON.parse(row.languages) as string[],
    accessibility: row.accessibility,
    openingNotes: row.opening_notes,
    url: row.url,
    email: row.email,
    status: row.status,
    acceptsCallbacks: row.accepts_callbacks === 1,
    phones: phones.map(({ number, description }) => ({ number, description })),
    contacts: contacts.map(({ name, title, email, phone }) => ({ name, title, email, phone })),
    hours: inWeekOrder(hours),
    areaCodes: areas.map((area) => area.area_code),
    termCodes: terms.map((term) => term.code),
    locationIds: locations.map((location) => location.location_id),
    publication: row.publication,
    hasUnpublishedChanges: row.has_unpublished_changes === 1,
    publishedAt: row.published_at,
    lastReviewedAt: row.last_reviewed_at,
    reviewFlaggedAt: row.review_flagged_at,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    phoneRows: phones.map(({ id: phoneId, number, description }) => ({ id: phoneId, number, description })),
    contactRows: contacts.map(({ id: contactId, name, title, email, phone }) => ({ id: contactId, name, title, email, phone })),
    scheduleRows: schedules.map((schedule) => ({ id: schedule.id, byday: schedule.byday, opensAt: schedule.opens_at, closesAt: schedule.closes_at })),
    areaRows: areas.map((area) => ({ id: area.id, areaCode: area.area_code })),
    termRows: terms.map((term) => ({ id: term.id, termId: term.term_id, code: term.code })),
    locationRows: locations.map((location) => ({ id: location.id, locationId: location.location_id })),
  };
}

export interface ServiceListFilter {
  readonly publication?: Publication | 'changed' | undefined;
  readonly organisationId?: string | undefined;
  readonly text?: string | undefined;
}

function filteredServices(executor: Executor, filter: ServiceListFilter) {
  let query = executor.selectFrom('directory_services as s').innerJoin('directory_organisations as o', 'o.id', 's.organisation_id');
  if (filter.publication === 'changed') query = query.where('s.publication', '=', 'published').where('s.has_unpublished_changes', '=', 1);
  else if (filter.publication) query = query.where('s.publication', '=', filter.publication);
  if (filter.organisationId) query = query.where('s.organisation_id', '=', filter.organisationId);
  const text = filter.text?.toLowerCase();
  // Typed characters are matched as themselves: "%" or "_" finds names holding one, not every name.
  if (text) query = query.where(sql<boolean>`lower(s.name) like ${`%${text.replace(/[\\%_]/g, '\\$&')}%`} escape '\\'`);
  return query;
}

export async function listServiceRows(executor: Executor, filter: ServiceListFilter, limit: number, offset: number) {
  const rows = await filteredServices(executor, filter)
    .select(['s.id', 's.name', 's.publication', 's.has_unpublished_changes', 's.last_reviewed_at', 's.updated_at', 's.status', 'o.name as organisation_name'])
    .orderBy('s.name')
    .limit(limit)
    .offset(offset)
    .execute();
  const total = await filteredServices(executor, filter)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  return { rows, total: Number(total?.n ?? 0) };
}

/** Published services last reviewed before the cut-off (or never): the six-month review list. */
export async function listReviewsDue(executor: Executor, cutoff: string) {
  return executor
    .selectFrom('directory_services as s')
    .innerJoin('directory_organisations as o', 'o.id', 's.organisation_id')
    .select(['s.id', 's.name', 's.last_reviewed_at', 's.review_flagged_at', 's.publication', 's.version', 'o.name as organisation_name'])
    .where('s.publication', '=', 'published')
    .where((eb) => eb.or([eb('s.last_reviewed_at', 'is', null), eb('s.last_reviewed_at', '<', cutoff)]))
    .orderBy('s.last_reviewed_at')
    .execute();
}

/** For demo data and tests: when a service was last confirmed as up to date. */
export async function setLastReviewed(executor: Executor, id: string, at: string | null): Promise<void> {
  await executor.updateTable('directory_services').set({ last_reviewed_at: at }).where('id', '=', id).execute();
}
