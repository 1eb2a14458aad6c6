import { createHash } from 'node:crypto';
import type { Actor } from '../../platform/access/policy.js';
import { actedBy, type AuditService } from '../../platform/audit/service.js';
import type { RequestOrigin } from '../../platform/auth/service.js';
import type { Db } from '../../platform/db/database.js';
import { newId, nowIso } from '../../platform/db/ids.js';
import { UserFacingError } from '../../platform/http/errors.js';
import type { NamesAddress, PublishedTextNaming } from '../directory/confidential-guard.js';
import { refuseConfidentialAddresses, type FieldsNamingConfidentialAddress } from './confidential-text.js';
import { captionsAsPublished, readSeedVideos, slicesOf, type FileBytes, type SeedVideo } from './video-files.js';
import * as repo from './video-repository.js';

export interface VideoServiceDeps {
  readonly db: Db;
  readonly audit: AuditService;
  readonly clock: () => Date;
  readonly fieldsNamingConfidentialAddress: FieldsNamingConfidentialAddress;
}

/** A player asks for a part of the file at a time; each query reads one slice of this size. */
const SLICE_BYTES = 256 * 1024;
/** Slices written together: 2 MB, a few milliseconds of SQLite's one connection. */
const SLICES_PER_TRANSACTION = 8;
/** A video still being stored after this long was cut short. */
const ABANDONED_AFTER_MS = 10 * 60_000;

export interface VideoUpload {
  readonly description: string;
  readonly fileName: string;
  readonly file: FileBytes;
  readonly captions: string;
}

export type { VideoRow, VideoUse } from './video-repository.js';

/** Videos for the public pages: stored once, chosen by a page's draft, public only while a published page shows them. */
export function createVideoService({ db, audit, clock, fieldsNamingConfidentialAddress }: VideoServiceDeps) {
  /**
   * Stores a video a few slices per transaction, so that on SQLite (one connection) pages keep being served while a
   * large file is written; the row becomes playable only once every slice is in. Undefined when the slug is taken.
   */
  async function store(video: SeedVideo | VideoUpload, slug: string | undefined, source: 'seed' | 'editor', actor: Actor | null, origin?: RequestOrigin): Promise<string | undefined> {
    const id = newId();
    const row = { id, slug: slug ?? id, description: video.description, file_name: video.fileName, size: video.file.size, sha256: '', slice_size: SLICE_BYTES, captions: video.captions, source, created_at: nowIso(clock), created_by: actor?.userId ?? null };
    if (!(await repo.insertPendingVideo(db.kysely, row))) return undefined;
    try {
      const hash = createHash('sha256');
      let batch: Buffer[] = [];
      let number = 0;
      for (const slice of slicesOf(video.file, SLICE_BYTES)) {
        hash.update(slice);
        batch.push(slice);
        if (batch.length === SLICES_PER_TRANSACTION) {
          await repo.insertSlices(db.kysely, id, number, batch);
          number += batch.length;
          batch = [];
        }
      }
      if (batch.length > 0) await repo.insertSlices(db.kysely, id, number, batch);
      const sha256 = hash.digest('hex');
      await db.kysely.transaction().execute(async (trx) => {
        await repo.markStored(trx, id, sha256);
        if (actor && origin) {
          await audit.recordWith(trx, {
            action: 'CONTENT_VIDEO_UPLOADED',
            ...actedBy(actor, origin),
            recordType: 'support_video',
            recordId: id,
            details: { bytes: row.size, sha256 },
          });
        }
      });
      return id;
    } catch (error) {
      await repo.removePending(db.kysely, id).catch(() => undefined);
      throw error;
    }
  }

  async function requireVideo(id: string): Promise<repo.VideoRow> {
    const video = await repo.findVideo(db.kysely, id);
    if (!video) throw new UserFacingError(404, 'There is no video at this address. It may have been deleted.', 'Video not found');
    return video;
  }

  return {
    /**
     * Adds any video in seed/content/media the database does not have yet; safe on several instances at once. First,
     * a video whose storing began long ago and never finished (the process stopped) is removed, seeded or uploaded.
     */
    async seedMissing(seeds: readonly SeedVideo[] = readSeedVideos()): Promise<number> {
      const abandonedBefore = new Date(clock().getTime() - ABANDONED_AFTER_MS).toISOString();
      for (const id of await repo.listPendingSince(db.kysely, abandonedBefore)) await repo.removePending(db.kysely, id);
      let added = 0;
      for (const seed of seeds) {
        // Stored, deleted by an editor, or being stored by another instance now: left as it is.
        if ((await repo.slugState(db.kysely, seed.slug)) !== 'unused') continue;
        if (await store(seed, seed.slug, 'seed', null)) added += 1;
      }
      return added;
    },

    /** Every video, newest first, with the pages that show it now or will when their draft is published. */
    async listForEditors(): Promise<Array<repo.VideoRow & { uses: repo.VideoUse[] }>> {
      const [videos, uses] = await Promise.all([repo.listVideos(db.kysely), repo.listVideoUses(db.kysely)]);
      return videos.map((video) => ({ ...video, uses: uses.filter((use) => use.video === video.slug) }));
    },

    async forEditing(id: string): Promise<{ video: repo.VideoRow; uses: repo.VideoUse[] }> {
      const video = await requireVideo(id);
      return { video, uses: await repo.listVideoUses(db.kysely, video.slug) };
    },

    /** The video with this slug, unless it has been deleted. */
    async find(slug: string): Promise<repo.VideoRow | undefined> {
      return repo.findVideoBySlug(db.kysely, slug);
    },

    async upload(actor: Actor, upload: VideoUpload, origin: RequestOrigin): Promise<string> {
      // The captions are public beside the video, so they are held to the pages' rule: as the file is served and as
      // a player shows them.
      await refuseConfidentialAddresses(fieldsNamingConfidentialAddress, [['captions', captionsAsPublished(upload.captions)]]);
      const id = await store(upload, undefined, 'editor', actor, origin);
      if (!id) throw new Error('A new video id was already taken');
      return id;
    },

    /** Only a video no page shows, nor will when its draft is published; earlier versions that showed it then show none. */
    async remove(actor: Actor, id: string, origin: RequestOrigin): Promise<void> {
      await db.kysely.transaction().execute(async (trx) => {
        const video = await repo.findVideo(trx, id, db.dialect === 'postgres');
        if (!video) throw new UserFacingError(404, 'There is no video at this address. It may have been deleted already.', 'Video not found');
        if ((await repo.listVideoUses(trx, video.slug)).length > 0) throw new UserFacingError(409, 'A page shows this video, or will when its draft is published. Choose another video on that page first.', 'This video is in use');
        await repo.deleteVideo(trx, id, nowIso(clock), actor.userId);
        await audit.recordWith(trx, {
          action: 'CONTENT_VIDEO_DELETED',
          ...actedBy(actor, origin),
          recordType: 'support_video',
          recordId: id,
          details: { sha256: video.sha256 },
        });
      });
    },

    /**
     * The video at a public address: only while a published page shows it. `staff` (editors previewing a draft)
     * may see any video.
     */
    async playable(slug: string, audience: 'public' | 'staff'): Promise<repo.VideoRow | undefined> {
      return audience === 'staff' ? repo.findVideoBySlug(db.kysely, slug) : repo.findLiveVideoBySlug(db.kysely, slug);
    },

    async captions(video: repo.VideoRow): Promise<string> {
      return (await repo.findCaptions(db.kysely, video.id)) ?? '';
    },

    /** The bytes from `start` to `end` (inclusive), a slice at a time. */
    async *bytes(video: repo.VideoRow, start: number, end: number): AsyncGenerator<Buffer> {
      for (let number = Math.floor(start / video.slice_size); number * video.slice_size <= end; number += 1) {
        const slice = await repo.readSlice(db.kysely, video.id, number);
        if (!slice) throw new Error(`Video ${video.id} is missing slice ${String(number)}`);
        const sliceStart = number * video.slice_size;
        yield slice.subarray(Math.max(0, start - sliceStart), end - sliceStart + 1);
      }
    },

    /** Published captions that name an address (see the directory's warning on a location made confidential). */
    async liveCaptionsNaming(namesAddress: NamesAddress): Promise<PublishedTextNaming[]> {
      const videos = await repo.listLiveCaptions(db.kysely);
      return videos
        .filter((video) => namesAddress([['captions', captionsAsPublished(video.captions)]]))
        .map((video) => ({ kind: 'video captions', name: video.description, href: '/app/content/videos' }));
    },
  };
}

export type VideoService = ReturnType<typeof createVideoService>;
