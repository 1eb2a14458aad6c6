import type { Selectable } from 'kysely';
import { actedBy, type AuditService } from '../../platform/audit/service.js';
import type { Actor } from '../../platform/access/policy.js';
import type { OrganisationTable } from '../../platform/access/tables.js';
import type { RequestOrigin } from '../../platform/auth/service.js';
import type { Db, Executor } from '../../platform/db/database.js';
import { newId, nowIso } from '../../platform/db/ids.js';
import { keptRead } from '../../platform/db/kept-read.js';
import { refusingTaken } from '../../platform/db/unique-violation.js';
import { assertUpdated } from '../../platform/db/versioning.js';
import { UserFacingError } from '../../platform/http/errors.js';
import { readAreas, readOrganisations, readPostcodeDistricts } from './reference-data.js';
import type { AreaTable, PostcodeDistrictTable } from './tables.js';

export type Organisation = Selectable<OrganisationTable>;
export type Area = Selectable<AreaTable> & { townList: string[] };
export type PostcodeDistrict = Selectable<PostcodeDistrictTable> & { areaList: string[] };

/** Lists are stored as `a;b;c` so that both databases hold them the same way. */
function splitList(stored: string): string[] {
  return stored.split(';').map((item) => item.trim()).filter(Boolean);
}

function toPostcodeDistrict(row: Selectable<PostcodeDistrictTable>): PostcodeDistrict {
  return { ...row, areaList: splitList(row.area_codes) };
}

export interface OrganisationInput {
  readonly slug: string;
  readonly name: string;
  readonly kind: string;
  readonly areaCode: string | null;
  readonly active: boolean;
}

export interface ReferenceDeps {
  readonly db: Db;
  readonly audit: AuditService;
  readonly clock: () => Date;
}

/** A partner organisation as routing names it: its slug never changes once made. */
export interface OrganisationName {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
}

/** Edits on another instance are seen within this long. */
const KEPT_MS = 1000;

/** Areas, postcode districts and partner organisations: the partnership's reference data. */
/** A second organisation with the same short name or name: refused, naming the answer to change. */
export class OrganisationClash extends UserFacingError {
  constructor(
    readonly field: 'slug' | 'name',
    message: string,
  ) {
    super(409, message);
  }
}

/** A partner as first written: no single sign-on yet, version 1. */
function newOrganisationRow(id: string, input: OrganisationInput, now: string) {
  return {
    id,
    slug: input.slug,
    name: input.name,
    kind: input.kind,
    area_code: input.areaCode,
    active: input.active ? 1 : 0,
    sso_issuer: null,
    sso_client_id: null,
    sso_client_secret_enc: null,
    version: 1,
    created_at: now,
    updated_at: now,
  };
}

const SLUG_TAKEN = 'Another organisation already has this short name. Choose a different one.';

/** Two partners that look the same in every list people choose from would be chosen wrongly. */
async function assertDistinct(executor: Executor, input: { readonly slug?: string; readonly name: string }, exceptId?: string): Promise<void> {
  if (input.slug && (await executor.selectFrom('organisations').select('id').where('slug', '=', input.slug).executeTakeFirst())) {
    throw new OrganisationClash('slug', SLUG_TAKEN);
  }
  let sameName = executor.selectFrom('organisations').select('id').where((eb) => eb(eb.fn('lower', ['name']), '=', input.name.trim().toLowerCase()));
  if (exceptId) sameName = sameName.where('id', '!=', exceptId);
  if (await sameName.executeTakeFirst()) throw new OrganisationClash('name', 'Another organisation already has this name. Give this one a name people can tell apart.');
}

export function createReferenceService({ db, audit, clock }: ReferenceDeps) {
  const keptAreas = keptRead(async () => (await db.kysely.selectFrom('areas').selectAll().orderBy('name').execute()).map((row): Area => ({ ...row, townList: splitList(row.towns) })), KEPT_MS);
  const keptOrganisationNames = keptRead(async () => new Map((await db.kysely.selectFrom('organisations').select(['id', 'slug', 'name']).execute()).map((row) => [row.slug, row])), KEPT_MS);

  return {
    /** Idempotent: inserts what is missing and leaves edited rows alone, so it is safe on every start. */
    async seedReference(): Promise<{ areas: number; postcodeDistricts: number; organisations: number }> {
      const now = nowIso(clock);
      const areas = readAreas();
      const districts = readPostcodeDistricts();
      const organisations = readOrganisations();
      await db.kysely.transaction().execute(async (trx) => {
        for (const area of areas) {
          await trx
            .insertInto('areas')
            .values({ ...area, version: 1, updated_at: now })
            .onConflict((oc) => oc.column('code').doNothing())
            .execute();
        }
        for (const district of districts) {
          await trx
            .insertInto('postcode_districts')
            .values({ outward: district.outward.toUpperCase(), area_codes: district.areas })
            .onConflict((oc) => oc.column('outward').doNothing())
            .execute();
        }
        for (const organisation of organisations) {
          await trx
            .insertInto('organisations')
            .values(newOrganisationRow(newId(), { slug: organisation.slug, name: organisation.name, kind: organisation.kind, areaCode: organisation.area || null, active: true }, now))
            .onConflict((oc) => oc.column('slug').doNothing())
            .execute();
        }
      });
      keptAreas.forget();
      return { areas: areas.length, postcodeDistricts: districts.length, organisations: organisations.length };
    },

    /** Shared by every caller (most pages and every referral ask): not to be changed. */
    listAreas(): Promise<readonly Area[]> {
      return keptAreas.get();
    },

    async listPostcodeDistricts(): Promise<PostcodeDistrict[]> {
      const rows = await db.kysely.selectFrom('postcode_districts').selectAll().orderBy('outward').execute();
      return rows.map(toPostcodeDistrict);
    },

    async getArea(code: string): Promise<Area | undefined> {
      const row = await db.kysely.selectFrom('areas').selectAll().where('code', '=', code).executeTakeFirst();
      return row ? { ...row, townList: splitList(row.towns) } : undefined;
    },

    async getPostcodeDistrict(outward: string): Promise<PostcodeDistrict | undefined> {
      const row = await db.kysely.selectFrom('postcode_districts').selectAll().where('outward', '=', outward.toUpperCase()).executeTakeFirst();
      return row ? toPostcodeDistrict(row) : undefined;
    },

    /**
     * Changes the areas a postcode district maps to. The table has no version column, so the mapping as it was
     * when the form was shown plays that part: a change made meanwhile by someone else is refused, not overwritten.
     */
    async updatePostcodeDistrict(actor: Actor, outward: string, previous: string, areaCodes: readonly string[], origin: RequestOrigin): Promise<void> {
      await db.kysely.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('postcode_districts')
          .set({ area_codes: [...new Set(areaCodes)].join(';') })
          .where('outward', '=', outward)
          .where('area_codes', '=', previous)
          .executeTakeFirst();
        assertUpdated(result, 'postcode district');
        await audit.recordWith(trx, {
          action: 'REFERENCE_DATA_UPDATED',
          ...actedBy(actor),
          recordType: 'postcode_district',
          recordId: outward,
          details: { areas: areaCodes.join(' ') },
          ...origin,
        });
      });
    },

    async updateArea(actor: Actor, code: string, version: number, change: { population2021: number; towns: string[] }, origin: RequestOrigin): Promise<void> {
      await db.kysely.transaction().execute(async (trx) => {
        const result = await trx
          .updateTable('areas')
          .set({ population_2021: change.population2021, towns: change.towns.join(';'), version: version + 1, updated_at: nowIso(clock) })
          .where('code', '=', code)
          .where('version', '=', version)
          .executeTakeFirst();
        assertUpdated(result, 'area');
        await audit.recordWith(trx, { action: 'REFERENCE_DATA_UPDATED', ...actedBy(actor, origin), recordType: 'area', recordId: code });
      });
      keptAreas.forget();
    },

    async listOrganisations(): Promise<Organisation[]> {
      return db.kysely.selectFrom('organisations').selectAll().orderBy('name').execute();
    },

    async getOrganisation(id: string): Promise<Organisation | undefined> {
      return db.kysely.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
    },

    /**
     * The organisations with these slugs (those that exist). One made since the last read, here or on another
     * instance, is looked for again at once rather than reported missing.
     */
    async organisationsBySlug(slugs: readonly string[]): Promise<OrganisationName[]> {
      let bySlug = await keptOrganisationNames.get();
      if (slugs.some((slug) => !bySlug.has(slug))) {
        keptOrganisationNames.forget();
        bySlug = await keptOrganisationNames.get();
      }
      return slugs.flatMap((slug) => bySlug.get(slug) ?? []);
    },

    async getOrganisationBySlug(slug: string): Promise<Organisation | undefined> {
      return db.kysely.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
    },

    async createOrganisation(actor: Actor, input: OrganisationInput, origin: RequestOrigin): Promise<string> {
      return db.kysely.transaction().execute(async (trx) => {
        await assertDistinct(trx, input);
        const id = newId();
        const now = nowIso(clock);
        await refusingTaken(
          trx
            .insertInto('organisations')
            .values(newOrganisationRow(id, input, now))
            .execute(),
          'organisations',
          'slug',
          () => new OrganisationClash('slug', SLUG_TAKEN),
        );
        await audit.recordWith(trx, { action: 'ORGANISATION_CREATED', ...actedBy(actor, origin), recordType: 'organisation', recordId: id });
        return id;
      });
    },

    async updateOrganisation(actor: Actor, id: string, version: number, input: OrganisationInput, origin: RequestOrigin): Promise<void> {
      await db.kysely.transaction().execute(async (trx) => {
        // Only a new name is checked: two partners that already share one can still be edited (or switched off).
        const current = await trx.selectFrom('organisations').select('name').where('id', '=', id).executeTakeFirst();
        if (current?.name.trim().toLowerCase() !== input.name.trim().toLowerCase()) await assertDistinct(trx, { name: input.name }, id);
        const result = await trx
          .updateTable('organisations')
          .set({ name: input.name, kind: input.kind, area_code: input.areaCode, active: input.active ? 1 : 0, version: version + 1, updated_at: nowIso(clock) })
          .where('id', '=', id)
          .where('version', '=', version)
          .executeTakeFirst();
        assertUpdated(result, 'organisation');
        await audit.recordWith(trx, { action: 'ORGANISATION_UPDATED', ...actedBy(actor, origin), recordType: 'organisation', recordId: id });
      });
      keptOrganisationNames.forget();
    },
  };
}

export type ReferenceService = ReturnType<typeof createReferenceService>;
