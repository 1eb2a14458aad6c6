import type { Insertable, Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { SupportVideoTable } from './tables.js';

export type VideoRow = Omit<Selectable<SupportVideoTable>, 'captions' | 'deleted_at' | 'deleted_by'>;

const VIDEO_COLUMNS = ['id', 'slug', 'description', 'file_name', 'size', 'sha256', 'slice_size', 'source', 'created_at', 'created_by'] as const;

/**
 * Stores a video and its slices; false (and nothing stored) when its slug is taken, as by another instance seeding,
 * or by a video deleted since: a seeded video an editor deleted is not loaded again.
 */
export async function insertVideo(executor: Executor, video: Insertable<SupportVideoTable>, bytes: Buffer): Promise<boolean> {
  const result = await executor
    .insertInto('support_videos')
    .values(video)
    .onConflict((oc) => oc.column('slug').doNothing())
    .executeTakeFirst();
  if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) return false;
  for (let number = 0; number * video.slice_size < bytes.length; number += 1) {
    const start = number * video.slice_size;
    await executor.insertInto('support_video_slices').values({ video_id: video.id, number, bytes: bytes.subarray(start, start + video.slice_size) }).execute();
  }
  return true;
}

export async function listVideos(executor: Executor): Promise<VideoRow[]> {
  return executor.selectFrom('support_videos').select(VIDEO_COLUMNS).where('deleted_at', 'is', null).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

export async function findVideo(executor: Executor, id: string): Promise<VideoRow | undefined> {
  return executor.selectFrom('support_videos').select(VIDEO_COLUMNS).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
}

export async function findVideoBySlug(executor: Executor, slug: string): Promise<VideoRow | undefined> {
  return executor.selectFrom('support_videos').select(VIDEO_COLUMNS).where('slug', '=', slug).where('deleted_at', 'is', null).executeTakeFirst();
}

/** Whether a video ever had this slug, deleted or not. */
export async function slugEverUsed(executor: Executor, slug: string): Promise<boolean> {
  return (await executor.selectFrom('support_videos').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined;
}

export async function findCaptions(executor: Executor, videoId: string): Promise<string | undefined> {
  return (await executor.selectFrom('support_videos').select('captions').where('id', '=', videoId).executeTakeFirst())?.captions;
}

export async function readSlice(executor: Executor, videoId: string, number: number): Promise<Buffer | undefined> {
  const row = await executor.selectFrom('support_video_slices').select('bytes').where('video_id', '=', videoId).where('number', '=', number).executeTakeFirst();
  return row ? Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) : undefined;
}

export async function deleteVideo(executor: Executor, id: string, at: string, by: string): Promise<void> {
  await executor.deleteFrom('support_video_slices').where('video_id', '=', id).execute();
  await executor.updateTable('support_videos').set({ deleted_at: at, deleted_by: by, captions: '' }).where('id', '=', id).execute();
}

/** A page version that shows a video: the live one or the draft, of a page in one language. */
export interface VideoUse {
  readonly video: string;
  readonly pageId: string;
  readonly slug: string;
  readonly lang: string;
  readonly title: string;
  readonly state: 'live' | 'draft';
}

/** Where videos are shown or about to be: every page whose live version or draft has one. */
export async function listVideoUses(executor: Executor, slug?: string): Promise<VideoUse[]> {
  const uses: VideoUse[] = [];
  for (const state of ['live', 'draft'] as const) {
    let query = executor
      .selectFrom('support_pages')
      .innerJoin('support_page_revisions', 'support_page_revisions.id', state === 'live' ? 'support_pages.live_revision_id' : 'support_pages.draft_revision_id')
      .select(['support_page_revisions.video', 'support_pages.id', 'support_pages.slug', 'support_pages.lang', 'support_page_revisions.title'])
      .where('support_page_revisions.video', 'is not', null);
    if (slug !== undefined) query = query.where('support_page_revisions.video', '=', slug);
    for (const row of await query.execute()) uses.push({ video: row.video ?? '', pageId: row.id, slug: row.slug, lang: row.lang, title: row.title, state });
  }
  return uses;
}

/** Captions of the videos on the public site now, to look for what must not be public. */
export async function listLiveCaptions(executor: Executor): Promise<Array<{ slug: string; description: string; captions: string }>> {
  return executor
    .selectFrom('support_videos')
    .select(['slug', 'description', 'captions'])
    .where('deleted_at', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('support_pages')
          .innerJoin('support_page_revisions', 'support_page_revisions.id', 'support_pages.live_revision_id')
          .select('support_pages.id')
          .whereRef('support_page_revisions.video', '=', 'support_videos.slug'),
      ),
    )
    .execute();
}
