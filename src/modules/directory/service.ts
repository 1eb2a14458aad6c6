import type { AuditService } from '../../platform/audit/service.js';
import type { FieldCrypto } from '../../platform/crypto/field-crypto.js';
import type { Db } from '../../platform/db/database.js';
import type { Outbox } from '../../platform/notify/outbox.js';
import { nowIso } from '../../platform/db/ids.js';
import { createCallbackService } from './callbacks/service.js';
import { findServices, type FinderOutcome, type FinderQuery } from './finder.js';
import type { Place } from './place-lookup.js';
import { postcodeShape, type Point } from './postcodes.js';
import { buildDirectory, createPublicDirectoryCache, type PublicService } from './public-directory.js';
import { publishedDocumentOf, type TypedField } from './published-document.js';
import { fieldsNamingConfidentialAddress } from './confidential-guard.js';
import { createRecordsService } from './records-service.js';
import { findPoint } from './repository/postcodes.js';
import { keptPerDirectory } from './derived.js';
import { loadPublicRows } from './repository/published.js';
import { loadService } from './repository/services.js';
import { createServiceEditor } from './service-editor.js';

export interface DirectoryDeps {
  readonly db: Db;
  readonly crypto: FieldCrypto;
  readonly audit: AuditService;
  readonly clock: () => Date;
  readonly outbox: Outbox;
  readonly baseUrl: string;
}

/** The service directory: what the public reads, what editors change, and the call-back requests between them. */
export function createDirectory(deps: DirectoryDeps) {
  const { db, clock } = deps;
  const published = createPublicDirectoryCache(db, clock);
  const points = keptPerDirectory<Promise<Point | undefined>>(10_000);

  /**
   * Coordinates of a postcode, else of its district; undefined until ONS data has been imported. Kept with the
   * published directory (an import moves its generation): a search by postcode then reads the database once per
   * postcode, not once per visitor.
   */
  async function pointForPostcode(text: string): Promise<Point | undefined> {
    const shape = postcodeShape(text);
    if (shape.kind === 'none') return undefined;
    const directory = await published.current();
    const key = shape.kind === 'full' ? shape.compact : shape.outward;
    const lookup = points(directory, key, async () => {
      const found = (shape.kind === 'full' ? await findPoint(db.kysely, shape.compact) : undefined) ?? (await findPoint(db.kysely, shape.outward));
      return found ? { latitude: found.latitude, longitude: found.longitude } : undefined;
    });
    try {
      return await lookup;
    } catch (error) {
      points.forget(directory, key);
      throw error;
    }
  }

  const lookupPoint = (place: Place): Promise<Point | undefined> =>
    place.kind === 'postcode' || place.kind === 'outward' ? pointForPostcode(place.label) : Promise.resolve(undefined);

  return {
    /**
     * The fields of text about to be made public that name a confidential location's address (see
     * confidential-guard.ts): for every part of the site the public reads, not only the directory.
     */
    fieldsNamingConfidentialAddress: (fields: readonly TypedField[]) => fieldsNamingConfidentialAddress(db.kysely, deps.crypto, fields),
    records: createRecordsService({ ...deps, changed: () => { published.invalidate(); } }),
    editor: createServiceEditor({ ...deps, changed: () => { published.invalidate(); } }),
    callbacks: createCallbackService(deps),
    published,
    pointForPostcode,

    async find(query: FinderQuery): Promise<FinderOutcome> {
      return findServices(await published.current(), query, lookupPoint);
    },

    /** A draft or changed service as the public would see it if published now, for preview. */
    async preview(id: string): Promise<PublicService | undefined> {
      const service = await loadService(db.kysely, id);
      if (!service) return undefined;
      const now = nowIso(clock);
      const rows = await loadPublicRows(db.kysely, { withPublished: false });
      const document = JSON.stringify(publishedDocumentOf(service, now));
      const directory = buildDirectory(0, { ...rows, published: [{ service_id: id, document, published_at: now, last_reviewed_at: service.lastReviewedAt }] }, 'preview');
      return directory.serviceById.get(id);
    },
  };
}

export type Directory = ReturnType<typeof createDirectory>;
