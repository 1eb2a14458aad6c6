import type { Actor } from '../../platform/access/policy.js';
import { actedBy, type AuditService } from '../../platform/audit/service.js';
import type { RequestOrigin } from '../../platform/auth/service.js';
import type { FieldCrypto } from '../../platform/crypto/field-crypto.js';
import type { Db, Executor } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import type { Transaction } from 'kysely';
import { newId, nowIso } from '../../platform/db/ids.js';
import { assertUpdated } from '../../platform/db/versioning.js';
import { UserFacingError } from '../../platform/http/errors.js';
import { fieldsNamingConfidentialAddress } from './confidential-guard.js';
import { CONFIDENTIAL_TEXT, DirectoryProblem, type Problem } from './problem.js';
import { isVisitable, languageName, SAFE_ACCOMMODATION, type ServiceInput, type ServiceRecord } from './model.js';
import { publishedDocumentOf, serviceTextFields } from './published-document.js';
import type { PublishedLocation } from './published-records.js';
import { diff } from './records-service.js';
import { remindEditors, type ReviewReminderDeps } from './review-reminder.js';
import { appendHistory } from './repository/history.js';
import { bumpGeneration, deletePublished, savePublished } from './repository/published.js';
import { findOrganisationRow } from './repository/records.js';
import { findServiceRow, insertService, listReviewsDue, listServiceRows, loadService, replaceChildren, serviceColumns, type ServiceListFilter } from './repository/services.js';

export interface ServiceEditorDeps extends ReviewReminderDeps {
  readonly db: Db;
  readonly crypto: FieldCrypto;
  readonly audit: AuditService;
  readonly clock: () => Date;
  /** Called after a change the public could see is committed, so this instance looks for it at once. */
  readonly changed?: () => void;
}

/** The public page says when its details were checked, so a check must be of the details the public sees. */
export const REVIEW_AFTER_PUBLISHING = 'This service has changes that are not published. Publish them (or change them back) before marking it as reviewed: the date tells the public that what they see was checked.';

/** A draft or a withdrawn service shows the public nothing to have checked. */
export const REVIEW_ONLY_PUBLISHED = 'Only a service on the public site is marked as reviewed: the date tells the public that what they see was checked. Publish it first.';

/** Services not confirmed as up to date for this long are listed for review. */
export const REVIEW_AFTER_MONTHS = 6;

export function reviewCutoff(now: Date): string {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - REVIEW_AFTER_MONTHS);
  return cutoff.toISOString();
}

/** Services in the directory: drafts, publication, reviews and their history. */
export function createServiceEditor({ db, crypto, audit, clock, changed, outbox, baseUrl }: ServiceEditorDeps) {
  /** One transaction; once it has committed, this instance's public directory is told to look again. */
  async function commit<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    const result = await db.kysely.transaction().execute(work);
    changed?.();
    return result;
  }

  /** A readable snapshot of a service for its history: names rather than identifiers. */
  async function describe(executor: Executor, input: ServiceInput): Promise<Record<string, string>> {
    const [organisation, areas, terms, locations] = await Promise.all([
      findOrganisationRow(executor, input.organisationId),
      input.areaCodes.length ? executor.selectFrom('areas').select(['code', 'name']).where('code', 'in', [...input.areaCodes]).execute() : [],
      input.termCodes.length ? executor.selectFrom('directory_taxonomy_terms').select(['code', 'name']).where('code', 'in', [...input.termCodes]).execute() : [],
      input.locationIds.length ? executor.selectFrom('directory_locations').select(['id', 'name']).where('id', 'in', [...input.locationIds]).execute() : [],
    ]);
    return {
      organisation: organisation?.name ?? '',
      name: input.name,
      description: input.description,
      offers: input.offers,
      eligibility: input.eligibility,
      ages: [input.minimumAge ?? '', input.maximumAge ?? ''].join(' to '),
      referral: [input.referralSelf ? 'self' : '', input.referralProfessional ? 'professional' : ''].filter(Boolean).join(' and '),
      referralDetails: input.referralDetails,
      languages: input.languages.map(languageName).join(', '),
      accessibility: input.accessibility,
      hours: input.hours.map((hour) => `${hour.day} ${hour.opensAt}-${hour.closesAt}`).join(', '),
      openingNotes: input.openingNotes,
      url: input.url ?? '',
      email: input.email ?? '',
      status: input.status,
      callBacks: input.acceptsCallbacks ? 'accepted' : 'not accepted',
      phones: input.phones.map((phone) => `${phone.number} (${phone.description})`).join('; '),
      contacts: input.contacts.map((contact) => [contact.name, contact.title, contact.email, contact.phone].filter(Boolean).join(', ')).join('; '),
      areas: areas.map((area) => area.name).sort().join(', '),
      needsAndGroups: terms.map((term) => term.name).sort().join(', '),
      locations: locations.map((location) => location.name).sort().join(', '),
    };
  }

  /** Rules that need the database: things referred to exist, call-backs have somewhere to go, and no text names a refuge. */
  async function check(executor: Executor, input: ServiceInput): Promise<void> {
    const problems: Array<{ field: string; text: string }> = [];
    const organisation = await findOrganisationRow(executor, input.organisationId);
    if (!organisation) problems.push({ field: 'organisationId', text: 'Choose the organisation that runs the service' });
    if (input.acceptsCallbacks && organisation && !organisation.partner_organisation_id) {
      problems.push({ field: 'acceptsCallbacks', text: 'Call-back requests need somewhere to go: link the organisation to a partner organisation first' });
    }
    if (input.locationIds.length) {
      const found = await executor.selectFrom('directory_locations').select('id').where('id', 'in', [...input.locationIds]).execute();
      if (found.length !== new Set(input.locationIds).size) problems.push({ field: 'locationIds', text: 'Choose locations from the list' });
    }
    if (input.areaCodes.length) {
      const found = await executor.selectFrom('areas').select('code').where('code', 'in', [...input.areaCodes]).execute();
      if (found.length !== new Set(input.areaCodes).size) problems.push({ field: 'areaCodes', text: 'Choose areas from the list' });
    }
    if (input.termCodes.length) {
      const found = await executor.selectFrom('directory_taxonomy_terms').select('code').where('code', 'in', [...input.termCodes]).execute();
      if (found.length !== new Set(input.termCodes).size) problems.push({ field: 'termCodes', text: 'Choose needs and groups from the list' });
    }
    // Refused as it is saved, as organisations and locations are: a draft is kept in the service's history, which
    // every editor reads, so a refuge's address typed into one would stay there after it was taken out.
    for (const field of await fieldsNamingConfidentialAddress(executor, crypto, serviceTextFields(input))) problems.push({ field, text: CONFIDENTIAL_TEXT });
    if (problems.length) throw new DirectoryProblem(problems);
  }

  /** What must be true before the public sees a service. */
  async function checkPublishable(executor: Executor, service: ServiceRecord): Promise<void> {
    const problems: Problem[] = [];
    if (service.areaCodes.length === 0) problems.push({ field: 'areaCodes', text: 'Add at least one area the service covers' });
    if (service.termCodes.length === 0) problems.push({ field: 'termCodes', text: 'Add at least one need or group the service helps with' });
    if (service.phones.length === 0 && !service.email && !service.url) problems.push({ field: 'phones-0-number', text: 'Add a phone number, email address or website so people can get in touch' });
    if (!service.referralSelf && !service.referralProfessional) problems.push({ field: 'referral', text: 'Say whether people can refer themselves, be referred by a professional, or both' });
    problems.push(...(await unpublishedRecords(executor, service)));
    const document = publishedDocumentOf(service, nowIso(clock));
    for (const field of await fieldsNamingConfidentialAddress(executor, crypto, serviceTextFields(document))) {
      problems.push({ field, text: `${CONFIDENTIAL_TEXT} before publishing` });
    }
    if (problems.length) throw new DirectoryProblem(problems);
  }

  /** The organisation and the public locations a service names are published first: the public sees only published details. */
  async function unpublishedRecords(executor: Executor, service: ServiceRecord): Promise<Problem[]> {
    const organisation = await findOrganisationRow(executor, service.organisationId);
    const problems: Problem[] = [];
    if (organisation && organisation.published_document === null) {
      problems.push({ field: 'organisationId', text: `Publish the organisation “${organisation.name}” first: the public sees only published details`, href: `/app/directory/organisations/${organisation.id}` });
    }
    const locations = service.locationIds.length
      ? await executor.selectFrom('directory_locations').select(['id', 'name', 'confidential', 'location_type', 'published_document']).where('id', 'in', [...service.locationIds]).orderBy('name').execute()
      : [];
    for (const location of locations) {
      // As saved, and as the public sees it now (a change not yet published may have made it look like an office).
      if (service.termCodes.includes(SAFE_ACCOMMODATION) && (isVisitable(location) || publishedAsVisitable(location.published_document))) {
        problems.push({ field: 'locationIds', text: `“${location.name}” has a public address, and the public must never learn where people stay: mark it confidential, or take it off this safe accommodation service if it is only an office`, href: `/app/directory/locations/${location.id}` });
        continue;
      }
      if (location.confidential === 0 && location.published_document === null) {
        problems.push({ field: 'locationIds', text: `Publish the location “${location.name}” first: the public sees only published details`, href: `/app/directory/locations/${location.id}` });
      }
    }
    return problems;
  }

  async function requireService(executor: Executor, id: string): Promise<ServiceRecord> {
    const service = await loadService(executor, id);
    if (!service) throw new UserFacingError(404, 'There is no such service in the directory.', 'Not found');
    return service;
  }

  return {
    list: (filter: ServiceListFilter, limit: number, offset: number) => listServiceRows(db.kysely, filter, limit, offset),
    get: (id: string) => loadService(db.kysely, id),

    async create(actor: Actor, input: ServiceInput, origin: RequestOrigin): Promise<string> {
      return commit(async (trx) => {
        await check(trx, input);
        const id = newId();
        const now = nowIso(clock);
        await insertService(trx, id, input, now);
        await appendHistory(trx, { recordType: 'service', recordId: id, action: 'created as a draft', actorUserId: actor.userId, at: now, version: 1, changes: diff({}, await describe(trx, input)) });
        await audit.recordWith(trx, { action: 'DIRECTORY_SERVICE_CREATED', recordType: 'directory_service', recordId: id, ...actedBy(actor, origin) });
        return id;
      });
    },

    /** Changes the working copy. A published service keeps showing its published version until republished. */
    async update(actor: Actor, id: string, version: number, input: ServiceInput, origin: RequestOrigin): Promise<void> {
      await commit(async (trx) => {
        const before = await requireService(trx, id);
        await check(trx, input);
        const now = nowIso(clock);
        const result = await trx
          .updateTable('directory_services')
          .set({ ...serviceColumns(input), has_unpublished_changes: 1, version: version + 1, updated_at: now })
          .where('id', '=', id)
          .where('version', '=', version)
          .executeTakeFirst();
        assertUpdated(result, 'service');
        await replaceChildren(trx, id, input);
        const changes = diff(await describe(trx, before), await describe(trx, input));
        await appendHistory(trx, { recordType: 'service', recordId: id, action: 'changed', actorUserId: actor.userId, at: now, version: version + 1, changes });
        await audit.recordWith(trx, { action: 'DIRECTORY_SERVICE_UPDATED', recordType: 'directory_service', recordId: id, ...actedBy(actor, origin) });
      });
    },

    async publish(actor: Actor, id: string, version: number, origin: RequestOrigin): Promise<void> {
      await commit(async (trx) => {
        await bumpGeneration(trx); // first: see bumpGeneration
        const service = await requireService(trx, id);
        if (service.version !== version) throw new UserFacingError(409, 'This service was changed by someone else since you opened it. Check the latest version, then publish.', 'This record has changed');
        await checkPublishable(trx, service);
        const now = nowIso(clock);
        await savePublished(trx, id, JSON.stringify(publishedDocumentOf(service, now)), now);
        const result = await trx
          .updateTable('directory_services')
          .set({ publication: 'published', has_unpublished_changes: 0, published_at: now, version: version + 1, updated_at: now })
          .where('id', '=', id)
          .where('version', '=', version)
          .executeTakeFirst();
        assertUpdated(result, 'service');
        await appendHistory(trx, { recordType: 'service', recordId: id, action: 'published', actorUserId: actor.userId, at: now, version: version + 1, changes: {} });
        await audit.recordWith(trx, { action: 'DIRECTORY_SERVICE_PUBLISHED', recordType: 'directory_service', recordId: id, ...actedBy(actor, origin) });
      });
    },

    /** `reason` is the editor's, in words (the option chosen, and any detail typed): it goes in the service's history. */
    async withdraw(actor: Actor, id: string, version: number, reason: { readonly code: string; readonly words: string; readonly detail: string | null }, origin: RequestOrigin): Promise<void> {
      await commit(async (trx) => {
        await bumpGeneration(trx); // first: see bumpGeneration
        // The history every editor reads never holds a refuge's address, whoever typed it where.
        if (reason.detail && (await fieldsNamingConfidentialAddress(trx, crypto, [['detail', reason.detail]])).length) throw new DirectoryProblem([{ field: 'detail', text: CONFIDENTIAL_TEXT }]);
        const service = await requireService(trx, id);
        if (service.publication !== 'published') throw new UserFacingError(409, 'This service is not on the public site.');
        const now = nowIso(clock);
        const result = await trx
          .updateTable('directory_services')
          .set({ publication: 'withdrawn', has_unpublished_changes: 1, version: version + 1, updated_at: now })
          .where('id', '=', id)
          .where('version', '=', version)
          .executeTakeFirst();
        assertUpdated(result, 'service');
        await deletePublished(trx, id);
        await appendHistory(trx, { recordType: 'service', recordId: id, action: `withdrawn from the public site: ${reason.words}${reason.detail ? ` (“${reason.detail}”)` : ''}`, actorUserId: actor.userId, at: now, version: version + 1, changes: {} });
        await audit.recordWith(trx, { action: 'DIRECTORY_SERVICE_WITHDRAWN', recordType: 'directory_service', recordId: id, details: { reason: reason.code }, ...actedBy(actor, origin) });
      });
    },

    /** "Checked with the service and still right": resets the six-month clock shown to the public. */
    async markReviewed(actor: Actor, id: string, version: number, origin: RequestOrigin): Promise<void> {
      await commit(async (trx) => {
        await bumpGeneration(trx); // first: see bumpGeneration
        const before = await findServiceRow(trx, id);
        if (!before) throw new UserFacingError(404, 'There is no such service in the directory.', 'Not found');
        if (before.publication !== 'published') throw new UserFacingError(409, REVIEW_ONLY_PUBLISHED, 'Not on the public site');
        if (before.has_unpublished_changes === 1) throw new UserFacingError(409, REVIEW_AFTER_PUBLISHING, 'Publish the changes first');
        const now = nowIso(clock);
        const result = await trx
          .updateTable('directory_services')
          .set({ last_reviewed_at: now, review_flagged_at: null, version: version + 1, updated_at: now })
          .where('id', '=', id)
          .where('version', '=', version)
          .executeTakeFirst();
        assertUpdated(result, 'service');
        await appendHistory(trx, { recordType: 'service', recordId: id, action: 'reviewed: confirmed up to date', actorUserId: actor.userId, at: now, version: version + 1, changes: { lastReviewed: { from: before.last_reviewed_at ?? '', to: now } } });
        await audit.recordWith(trx, { action: 'DIRECTORY_SERVICE_REVIEWED', recordType: 'directory_service', recordId: id, ...actedBy(actor, origin) });
      });
    },

    reviewsDue: () => listReviewsDue(db.kysely, reviewCutoff(clock())),

    /** The scheduled job: flags services newly past their review date, and emails the directory editors once for each day's batch. */
    async flagReviewsDue(): Promise<number> {
      return commit(async (trx) => {
        const now = nowIso(clock);
        const due = (await listReviewsDue(trx, reviewCutoff(clock()))).filter((row) => !row.review_flagged_at);
        if (due.length === 0) return 0;
        await trx.updateTable('directory_services').set({ review_flagged_at: now }).where('id', 'in', due.map((row) => row.id)).execute();
        for (const row of due) {
          await appendHistory(trx, { recordType: 'service', recordId: row.id, action: 'flagged for review (not reviewed for 6 months)', actorUserId: null, at: now, version: row.version, changes: {} });
        }
        const reminded = await remindEditors(trx, { crypto, outbox, baseUrl });
        await audit.recordWith(trx, { action: 'DIRECTORY_REVIEWS_FLAGGED', details: { count: due.length, reminded } });
        return due.length;
      });
    },
  };
}

export type ServiceEditor = ReturnType<typeof createServiceEditor>;

function publishedAsVisitable(document: string | null): boolean {
  const published = document ? (JSON.parse(document) as PublishedLocation) : undefined;
  return published !== undefined && !published.confidential && published.locationType === 'physical';
}
