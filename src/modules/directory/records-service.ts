import type { Actor } from '../../platform/access/policy.js';
import { actedBy, type AuditEntry, type AuditService } from '../../platform/audit/service.js';
import type { RequestOrigin } from '../../platform/auth/service.js';
import type { FieldCrypto } from '../../platform/crypto/field-crypto.js';
import type { Db, Executor } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import type { Transaction } from 'kysely';
import { newId, nowIso } from '../../platform/db/ids.js';
import { assertUpdated } from '../../platform/db/versioning.js';
import { UserFacingError } from '../../platform/http/errors.js';
import { decryptAddress, encryptAddress, fieldsNamingConfidentialAddress, namesAddressIn, type NamesAddress, type PublishedTextNaming } from './confidential-guard.js';
import { serviceTextFields, type PublishedDocument } from './published-document.js';
import { CONFIDENTIAL_TEXT, DirectoryProblem } from './problem.js';
import { isVisitable, type Address, type LocationInput, type OrganisationInput } from './model.js';
import { compactPostcode, postcodeShape } from './postcodes.js';
import { appendHistory, listHistory, redactHistoryField, valuesChangedSince, type FieldChanges } from './repository/history.js';
import { findPoint } from './repository/postcodes.js';
import { bumpGeneration, deletePublished, loadPublicRows } from './repository/published.js';
import { locationDocumentOf, organisationDocumentOf, publishedLocation, publishedOrganisation, type PublishedLocation, type PublishedOrganisation } from './published-records.js';
import { findLocationRow, findOrganisationRow, listLocationRows, listOrganisationRows, safeAccommodationServicesAt, servicesUsingLocation } from './repository/records.js';

export interface RecordsDeps {
  readonly db: Db;
  readonly crypto: FieldCrypto;
  readonly audit: AuditService;
  readonly clock: () => Date;
  /** Called after a change the public could see is committed, so this instance looks for it at once. */
  readonly changed?: () => void;
}

/** Why a record came off the public site by itself, in its history. */
export const WITHHELD = 'withdrawn: its published text named an address made confidential';

/** Shown in history instead of a confidential address: the fact of a change, never the text. */
export const CONFIDENTIAL_CHANGE = '(confidential: not recorded in history)';

/** Lists the fields whose value differs. */
export function diff(before: Record<string, string>, after: Record<string, string>): FieldChanges {
  const changes: FieldChanges = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const from = before[key] ?? '';
    const to = after[key] ?? '';
    if (from !== to) changes[key] = { from, to };
  }
  return changes;
}

function describeOrganisation(input: OrganisationInput, partnerName: string): Record<string, string> {
  return { name: input.name, description: input.description, email: input.email ?? '', website: input.website ?? '', partner: partnerName };
}

/** Directory organisations and locations, with history and audit in the same transaction as each change. */
export function createRecordsService({ db, crypto, audit, clock, changed }: RecordsDeps) {
  /** One transaction; once it has committed, this instance's public directory is told to look again. */
  async function commit<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    const result = await db.kysely.transaction().execute(work);
    changed?.();
    return result;
  }

  async function partnerName(executor: Executor, id: string | null): Promise<string> {
    if (!id) return '';
    const row = await executor.selectFrom('organisations').select('name').where('id', '=', id).executeTakeFirst();
    if (!row) throw new DirectoryProblem([{ field: 'partnerOrganisationId', text: 'Choose a partner organisation from the list' }]);
    return row.name;
  }

  function describeLocation(input: LocationInput, areaName: string): Record<string, string> {
    const address = input.address;
    return {
      name: input.name,
      type: input.locationType,
      confidential: input.confidential ? 'yes' : 'no',
      address: input.confidential ? (address ? CONFIDENTIAL_CHANGE : '') : address ? [address.address1, address.address2, address.city, address.postalCode].filter(Boolean).join(', ') : '',
      area: areaName,
      accessibility: input.accessibility ?? '',
    };
  }

  /** The area a location is in: chosen by the editor, or from its postcode district. */
  async function areaFor(executor: Executor, input: LocationInput): Promise<{ code: string | null; name: string }> {
    let code = input.areaCode;
    if (!code && input.address) {
      const shape = postcodeShape(input.address.postalCode);
      if (shape.kind === 'full') {
        const district = await executor.selectFrom('postcode_districts').select('area_codes').where('outward', '=', shape.outward).executeTakeFirst();
        code = district?.area_codes.split(';')[0]?.trim() ?? null;
      }
    }
    if (!code) return { code: null, name: '' };
    const area = await executor.selectFrom('areas').select('name').where('code', '=', code).executeTakeFirst();
    if (!area) throw new DirectoryProblem([{ field: 'areaCode', text: 'Choose an area from the list' }]);
    return { code, name: area.name };
  }

  /** Organisation text must not name a confidential address: refused as it is saved, and again as it is published. */
  async function checkOrganisationText(executor: Executor, input: OrganisationInput): Promise<void> {
    const named = await fieldsNamingConfidentialAddress(executor, crypto, [['name', input.name], ['description', input.description], ['website', input.website ?? ''], ['email', input.email ?? '']]);
    if (named.length > 0) throw new DirectoryProblem(named.map((field) => ({ field, text: CONFIDENTIAL_TEXT })));
  }

  /**
   * What a location shows the public (its name and access notes, and its address unless it is confidential) must
   * not name a confidential address: another location's, or its own.
   */
  async function checkLocation(executor: Executor, input: LocationInput, locationId?: string): Promise<void> {
    if (!(await findOrganisationRow(executor, input.organisationId))) throw new DirectoryProblem([{ field: 'organisationId', text: 'Choose an organisation from the list' }]);
    const address = input.address;
    const shown: Array<readonly [string, string]> = [['name', input.name], ['accessibility', input.accessibility ?? '']];
    const savedWith = { alsoConfidential: input.confidential && address ? [address] : [], ...(locationId ? { exceptLocationId: locationId } : {}) };
    const named = await fieldsNamingConfidentialAddress(executor, crypto, shown, savedWith);
    // A public place's own address may share a refuge's street, never its house, line or postcode.
    if (address && !input.confidential) {
      const lines = [['address1', address.address1], ['address2', address.address2 ?? ''], ['postalCode', address.postalCode]] as const;
      named.push(...(await fieldsNamingConfidentialAddress(executor, crypto, lines, savedWith, 'address')));
    }
    if (named.length > 0) throw new DirectoryProblem(named.map((field) => ({ field, text: CONFIDENTIAL_TEXT })));
  }

  /**
   * Published services, organisations and public locations whose text names a confidential address (written before
   * it was one). A public location's own address lines are read as an address: on the refuge's street is not enough.
   */
  async function recordsNaming(executor: Executor, address: Address) {
    const { published, organisations, locations } = await loadPublicRows(executor);
    const namesInText = namesAddressIn(address);
    const namesAsAddress = namesAddressIn(address, 'address');
    const services = published.flatMap((row) => {
      const document = JSON.parse(row.document) as PublishedDocument;
      return namesInText(serviceTextFields(document)) ? [{ id: row.service_id, name: document.name }] : [];
    });
    const named = organisations.flatMap((row) => {
      const published = publishedOrganisation(row);
      return published && namesInText([['name', published.name], ['description', published.description], ['website', published.website ?? ''], ['email', published.email ?? '']]) ? [{ id: row.id, name: published.name }] : [];
    });
    const places = locations.flatMap((row) => {
      const shown = publishedLocation(row);
      if (!shown || shown.confidential) return [];
      const inText = namesInText([['name', shown.name], ['accessibility', shown.accessibility ?? '']]);
      return inText || namesAsAddress([['address1', shown.address1 ?? ''], ['address2', shown.address2 ?? ''], ['postalCode', shown.postalCode ?? '']]) ? [{ id: row.id, name: shown.name }] : [];
    });
    return { services, organisations: named, locations: places };
  }

  /** A confidential location's address, decrypted; undefined for a public location or one with none. */
  async function confidentialAddress(executor: Executor, id: string): Promise<Address | undefined> {
    const row = await findLocationRow(executor, id);
    return row?.confidential === 1 && row.confidential_address_enc ? decryptAddress(crypto, row.confidential_address_enc) : undefined;
  }

  /** For a confidential location's page: the published directory records that still name its address. */
  async function publishedTextNaming(locationId: string): Promise<PublishedTextNaming[]> {
    const address = await confidentialAddress(db.kysely, locationId);
    if (!address) return [];
    const { services, organisations, locations } = await recordsNaming(db.kysely, address);
    return [
      ...services.map((row) => ({ kind: 'service', name: row.name, href: `/app/directory/services/${row.id}/edit` })),
      ...organisations.map((row) => ({ kind: 'organisation', name: row.name, href: `/app/directory/organisations/${row.id}/edit` })),
      ...locations.map((row) => ({ kind: 'location', name: row.name, href: `/app/directory/locations/${row.id}/edit` })),
    ];
  }

  /**
   * An address made confidential (or a confidential one changed) must be gone from the public site at once, so the
   * published services, organisations and public locations whose text names it come off the site in the same
   * transaction, each kept as a working copy to change and publish again (the publish check then refuses the
   * address). Returns the audit events to write: the caller writes them last, with its own, since the audit
   * chain's head is the last lock a transaction takes.
   */
  async function withholdTextNaming(trx: Transaction<Database>, address: Address, actor: Actor, origin: RequestOrigin, now: string): Promise<AuditEntry[]> {
    const { services, organisations, locations } = await recordsNaming(trx, address);
    const changes = { publicSite: { from: 'published', to: WITHHELD } };
    const reason = { reason: 'names-confidential-address' };
    const events: AuditEntry[] = [];
    for (const { id } of services) {
      const row = await trx.updateTable('directory_services').set((eb) => ({ publication: 'withdrawn', has_unpublished_changes: 1, version: eb('version', '+', 1), updated_at: now })).where('id', '=', id).returning('version').executeTakeFirstOrThrow();
      await deletePublished(trx, id);
      await appendHistory(trx, { recordType: 'service', recordId: id, action: 'withdrawn from the public site', actorUserId: actor.userId, at: now, version: row.version, changes });
      events.push({ action: 'DIRECTORY_SERVICE_WITHDRAWN', recordType: 'directory_service', recordId: id, details: reason, ...actedBy(actor, origin) });
    }
    for (const [kind, table, ids] of [['organisation', 'directory_organisations', organisations], ['location', 'directory_locations', locations]] as const) {
      for (const { id } of ids) {
        const row = await trx.updateTable(table).set((eb) => ({ published_document: null, has_unpublished_changes: 1, version: eb('version', '+', 1), updated_at: now })).where('id', '=', id).returning('version').executeTakeFirstOrThrow();
        await appendHistory(trx, { recordType: kind, recordId: id, action: 'withdrawn from the public site', actorUserId: actor.userId, at: now, version: row.version, changes });
        events.push({ action: PUBLICATION[kind].withdrawn, recordType: `directory_${kind}`, recordId: id, details: reason, ...actedBy(actor, origin) });
      }
    }
    return events;
  }

  /** A location as saved, as the form gave it: a confidential address decrypted. */
  function locationInputOf(row: NonNullable<Awaited<ReturnType<typeof findLocationRow>>>): LocationInput {
    return {
      organisationId: row.organisation_id,
      name: row.name,
      locationType: row.location_type,
      confidential: row.confidential === 1,
      address: row.confidential === 1 ? (row.confidential_address_enc ? decryptAddress(crypto, row.confidential_address_enc) : null) : row.address_1 ? { address1: row.address_1, address2: row.address_2, city: row.city ?? '', postalCode: row.postal_code ?? '' } : null,
      areaCode: row.area_code,
      accessibility: row.accessibility,
    };
  }

  const PUBLICATION = {
    organisation: { table: 'directory_organisations', action: 'DIRECTORY_ORGANISATION_PUBLISHED', withdrawn: 'DIRECTORY_ORGANISATION_WITHDRAWN' },
    location: { table: 'directory_locations', action: 'DIRECTORY_LOCATION_PUBLISHED', withdrawn: 'DIRECTORY_LOCATION_WITHDRAWN' },
  } as const;

  /** Makes the document `check` returns (after its checks) the record's published version, with history and audit. */
  async function publish(kind: 'organisation' | 'location', actor: Actor, record: { id: string; version: number; origin: RequestOrigin }, check: (trx: Transaction<Database>) => Promise<object>) {
    const { id, version, origin } = record;
    await commit(async (trx) => {
      await bumpGeneration(trx); // first: see bumpGeneration
      const document = JSON.stringify(await check(trx));
      const now = nowIso(clock);
      const result = await trx
        .updateTable(PUBLICATION[kind].table)
        .set({ published_document: document, published_at: now, has_unpublished_changes: 0, version: version + 1, updated_at: now })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      assertUpdated(result, kind);
      await appendHistory(trx, { recordType: kind, recordId: id, action: 'published', actorUserId: actor.userId, at: now, version: version + 1, changes: {} });
      await audit.recordWith(trx, { action: PUBLICATION[kind].action, recordType: `directory_${kind}`, recordId: id, ...actedBy(actor, origin) });
    });
  }

  /** Refuses to publish over someone else's change: they may have changed what would go public. */
  function requireVersion(row: { version: number }, version: number, kind: 'organisation' | 'location'): void {
    if (row.version !== version) throw new UserFacingError(409, `This ${kind} was changed by someone else since you opened it. Check the latest version, then publish.`, 'This record has changed');
  }

  /** Columns for a location: a confidential address is only ever stored encrypted, with no coordinates. */
  async function locationColumns(executor: Executor, input: LocationInput, areaCode: string | null) {
    const fields = { organisation_id: input.organisationId, name: input.name, location_type: input.locationType, confidential: input.confidential ? 1 : 0, accessibility: input.accessibility };
    return { ...fields, ...(await addressColumns(executor, input, areaCode)) };
  }

  async function addressColumns(executor: Executor, input: LocationInput, areaCode: string | null) {
    const address: Address | null = input.address;
    if (input.confidential) {
      return {
        address_1: null,
        address_2: null,
        city: null,
        postal_code: null,
        latitude: null,
        longitude: null,
        confidential_address_enc: address ? encryptAddress(crypto, { ...address, postalCode: formatPostcode(address.postalCode) }) : null,
        area_code: areaCode,
      };
    }
    const point = address ? await findPoint(executor, compactPostcode(address.postalCode)) : undefined;
    return {
      address_1: address?.address1 ?? null,
      address_2: address?.address2 ?? null,
      city: address?.city ?? null,
      postal_code: address ? (postcodeShape(address.postalCode).kind === 'full' ? formatPostcode(address.postalCode) : address.postalCode) : null,
      latitude: point ? point.latitude : null,
      longitude: point ? point.longitude : null,
      confidential_address_enc: null,
      area_code: areaCode,
    };
  }

  return {
    listOrganisations: () => listOrganisationRows(db.kysely),
    getOrganisation: (id: string) => findOrganisationRow(db.kysely, id),

    async createOrganisation(actor: Actor, input: OrganisationInput, origin: RequestOrigin): Promise<string> {
      return commit(async (trx) => {
        await checkOrganisationText(trx, input);
        const id = newId();
        const now = nowIso(clock);
        const partner = await partnerName(trx, input.partnerOrganisationId);
        await trx
          .insertInto('directory_organisations')
          .values({ id, name: input.name, description: input.description, email: input.email, website: input.website, partner_organisation_id: input.partnerOrganisationId, ...publicationColumns(organisationDocumentOf(input), null, now), version: 1, created_at: now, updated_at: now })
          .execute();
        await appendHistory(trx, { recordType: 'organisation', recordId: id, action: 'created as a draft', actorUserId: actor.userId, at: now, version: 1, changes: diff({}, describeOrganisation(input, partner)) });
        await audit.recordWith(trx, { action: 'DIRECTORY_ORGANISATION_CREATED', recordType: 'directory_organisation', recordId: id, ...actedBy(actor, origin) });
        return id;
      });
    },

    async updateOrganisation(actor: Actor, id: string, version: number, input: OrganisationInput, origin: RequestOrigin): Promise<void> {
      await commit(async (trx) => {
        const before = await findOrganisationRow(trx, id);
        if (!before) throw new UserFacingError(404, 'There is no such organisation.', 'Not found');
        await checkOrganisationText(trx, input);
        await partnerName(trx, input.partnerOrganisationId);
        const now = nowIso(clock);
        const result = await trx
          .updateTable('directory_organisations')
          .set({ name: input.name, description: input.description, email: input.email, website: input.website, partner_organisation_id: input.partnerOrganisationId, ...publicationColumns(organisationDocumentOf(input), before.published_document, now), version: version + 1, updated_at: now })
          .where('id', '=', id)
          .where('version', '=', version)
          .executeTakeFirst();
        assertUpdated(result, 'organisation');
        const beforeInput: OrganisationInput = { name: before.name, description: before.description, email: before.email, website: before.website, partnerOrganisationId: before.partner_organisation_id };
        const changes = diff(describeOrganisation(beforeInput, await partnerName(trx, before.partner_organisation_id)), describeOrganisation(input, await partnerName(trx, input.partnerOrganisationId)));
        await appendHistory(trx, { recordType: 'organisation', recordId: id, action: 'changed', actorUserId: actor.userId, at: now, version: version + 1, changes });
        await audit.recordWith(trx, { action: 'DIRECTORY_ORGANISATION_UPDATED', recordType: 'directory_organisation', recordId: id, ...actedBy(actor, origin) });
      });
    },

    listLocations: (organisationId?: string) => listLocationRows(db.kysely, organisationId),
    /** A location's public columns and publication state, never its confidential address. */
    findLocation: async (id: string) => {
      const row = await findLocationRow(db.kysely, id);
      if (!row) return undefined;
      const { confidential_address_enc: _omitted, ...location } = row;
      return location;
    },

    /** A location for editors. A confidential address is decrypted only when asked for, and that is audited. */
    async getLocation(actor: Actor, id: string, options: { revealAddress: boolean; origin: RequestOrigin }) {
      const row = await findLocationRow(db.kysely, id);
      if (!row) return undefined;
      const { confidential_address_enc: stored, ...location } = row;
      let confidentialAddress: Address | null = null;
      if (row.confidential === 1 && stored && options.revealAddress) {
        confidentialAddress = decryptAddress(crypto, stored);
        await audit.record({ action: 'DIRECTORY_CONFIDENTIAL_ADDRESS_VIEWED', recordType: 'directory_location', recordId: id, ...actedBy(actor, options.origin) });
      }
      return { ...location, hasConfidentialAddress: Boolean(stored), confidentialAddress, services: await servicesUsingLocation(db.kysely, id) };
    },

    /** For a confidential location's page: a test for text that names its address; undefined when it has none. */
    async confidentialAddressTest(id: string): Promise<NamesAddress | undefined> {
      const address = await confidentialAddress(db.kysely, id);
      return address ? namesAddressIn(address) : undefined;
    },

    publishedTextNaming,

    /**
     * For a confidential location just added: published text already naming its address comes off the public site
     * (a location made confidential by a change does this as it is saved). Returns how many records came off.
     */
    async withholdTextNamingLocation(actor: Actor, id: string, origin: RequestOrigin): Promise<number> {
      return commit(async (trx) => {
        await bumpGeneration(trx); // first: see bumpGeneration
        const address = await confidentialAddress(trx, id);
        const events = address ? await withholdTextNaming(trx, address, actor, origin, nowIso(clock)) : [];
        await audit.recordAllWith(trx, events);
        return events.length;
      });
    },

    async createLocation(actor: Actor, input: LocationInput, origin: RequestOrigin): Promise<string> {
      return commit(async (trx) => {
        await checkLocation(trx, input);
        const id = newId();
        const now = nowIso(clock);
        const area = await areaFor(trx, input);
        const columns = await locationColumns(trx, input, area.code);
        await trx
          .insertInto('directory_locations')
          .values({ id, ...columns, ...publicationColumns(locationDocumentOf(columns), null, now), version: 1, created_at: now, updated_at: now })
          .execute();
        await appendHistory(trx, { recordType: 'location', recordId: id, action: 'created as a draft', actorUserId: actor.userId, at: now, version: 1, changes: diff({}, describeLocation(input, area.name)) });
        await audit.recordWith(trx, { action: 'DIRECTORY_LOCATION_CREATED', recordType: 'directory_location', recordId: id, ...actedBy(actor, origin) });
        return id;
      });
    },

    /**
     * A confidential location whose address is left blank keeps the address it had. Returns how many published
     * records came off the public site for naming an address made confidential, or changed, by this save; undefined
     * when no address became confidential.
     */
    async updateLocation(actor: Actor, id: string, version: number, input: LocationInput, origin: RequestOrigin): Promise<number | undefined> {
      return commit(async (trx) => {
        await bumpGeneration(trx); // first: see bumpGeneration (a location made confidential leaves the site as it is saved)
        const before = await findLocationRow(trx, id);
        if (!before) throw new UserFacingError(404, 'There is no such location.', 'Not found');
        const now = nowIso(clock);
        const keptAddress = input.confidential && !input.address && before.confidential_address_enc ? decryptAddress(crypto, before.confidential_address_enc) : null;
        const effective: LocationInput = keptAddress ? { ...input, address: keptAddress } : input;
        await checkLocation(trx, effective, id);
        const area = await areaFor(trx, effective);
        const columns = await locationColumns(trx, effective, area.code);
        const result = await trx
          .updateTable('directory_locations')
          .set({ ...columns, ...publicationColumns(locationDocumentOf(columns), before.published_document, now), version: version + 1, updated_at: now })
          .where('id', '=', id)
          .where('version', '=', version)
          .executeTakeFirst();
        assertUpdated(result, 'location');
        const beforeArea = before.area_code ? ((await trx.selectFrom('areas').select('name').where('code', '=', before.area_code).executeTakeFirst())?.name ?? '') : '';
        const beforeInput = locationInputOf(before);
        const changes = diff(describeLocation(beforeInput, beforeArea), describeLocation(effective, area.name));
        // Both sides read "(confidential ...)" when an address stays confidential: record that it changed, not what to.
        if (beforeInput.confidential && effective.confidential && JSON.stringify(beforeInput.address) !== JSON.stringify(effective.address)) {
          changes['address'] = { from: CONFIDENTIAL_CHANGE, to: 'changed' };
        }
        await appendHistory(trx, { recordType: 'location', recordId: id, action: 'changed', actorUserId: actor.userId, at: now, version: version + 1, changes });
        // Made confidential: its address must not live on in the history either (it may never have been meant to be public).
        if (effective.confidential && !beforeInput.confidential) await redactHistoryField(trx, 'location', id, 'address', CONFIDENTIAL_CHANGE);
        const newlyConfidential = effective.confidential && (!beforeInput.confidential || JSON.stringify(beforeInput.address) !== JSON.stringify(effective.address));
        const withheld = newlyConfidential && effective.address ? await withholdTextNaming(trx, effective.address, actor, origin, now) : undefined;
        await audit.recordAllWith(trx, [{ action: 'DIRECTORY_LOCATION_UPDATED', recordType: 'directory_location', recordId: id, ...actedBy(actor, origin) }, ...(withheld ?? [])]);
        return withheld?.length;
      });
    },

    /** Puts the organisation's saved details on the public site (with its published services). */
    async publishOrganisation(actor: Actor, id: string, version: number, origin: RequestOrigin): Promise<void> {
      await publish('organisation', actor, { id, version, origin }, async (trx) => {
        const row = await findOrganisationRow(trx, id);
        if (!row) throw new UserFacingError(404, 'There is no such organisation.', 'Not found');
        requireVersion(row, version, 'organisation');
        await checkOrganisationText(trx, { name: row.name, description: row.description, email: row.email, website: row.website, partnerOrganisationId: row.partner_organisation_id });
        return organisationDocumentOf(row);
      });
    },

    /** Puts the location's saved details on the public site. A confidential location has nothing to publish. */
    async publishLocation(actor: Actor, id: string, version: number, origin: RequestOrigin): Promise<void> {
      await publish('location', actor, { id, version, origin }, async (trx) => {
        const row = await findLocationRow(trx, id);
        if (!row) throw new UserFacingError(404, 'There is no such location.', 'Not found');
        requireVersion(row, version, 'location');
        if (row.confidential === 1) throw new UserFacingError(409, 'This location is confidential: the public never sees its details, so there is nothing to publish.', 'Nothing to publish');
        const staying = isVisitable(row) ? await safeAccommodationServicesAt(trx, id) : [];
        if (staying.length) throw new UserFacingError(409, `${staying.map((name) => `“${name}”`).join(', ')} ${staying.length === 1 ? 'offers' : 'offer'} safe accommodation here, and the public must never learn where people stay. Mark this location confidential, or take it off ${staying.length === 1 ? 'that service' : 'those services'} if it is only an office.`, 'A safe accommodation address cannot be public');
        await checkLocation(trx, locationInputOf(row), id);
        return locationDocumentOf(row);
      });
    },

    history: (recordType: 'organisation' | 'location' | 'service', id: string) => listHistory(db.kysely, recordType, id),
    valuesChangedSince: (recordType: 'organisation' | 'location' | 'service', id: string, version: number) => valuesChangedSince(db.kysely, recordType, id, version),
  };
}

/**
 * Whether a saved record differs from what the public sees. A confidential location has nothing to publish: its
 * published version says only that it is confidential, at once (an address published before is not kept), and stays
 * so if it is later made public, until that is published. When that public copy changes, so does its published_at
 * (Open Referral's last_modified of its services reads it).
 */
function publicationColumns(document: PublishedOrganisation | PublishedLocation, published: string | null, now: string) {
  const text = JSON.stringify(document);
  if ('confidential' in document && document.confidential) return { has_unpublished_changes: 0, published_document: text, ...(published === text ? {} : { published_at: now }) };
  return { has_unpublished_changes: published === text ? 0 : 1 };
}

function formatPostcode(text: string): string {
  const shape = postcodeShape(text);
  return shape.kind === 'full' ? shape.formatted : text.trim().toUpperCase();
}

export type RecordsService = ReturnType<typeof createRecordsService>;
