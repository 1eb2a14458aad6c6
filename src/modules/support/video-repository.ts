import type { ExpressionBuilder, Insertable, Selectable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import type { Database } from '../../platform/db/schema.js';
import type { SupportVideoTable } from './tables.js';

export type VideoRow = Omit<Selectable<SupportVideoTable>, 'captions' | 'deleted_at' | 'deleted_by'>;

const VIDEO_COLUMNS = ['id', 'slug', 'description', 'file_name', 'size', 'sha256', 'slice_size', 'source', 'created_at', 'created_by'] as const;

/**
 * Adds a video's row, not yet playable (deleted_at set, deleted_by empty: "being stored"), for its slices to follow;
 * false (and nothing stored) when its slug is taken, as by another instance seeding, or by a video deleted since.
 */
export async function insertPendingVideo(executor: Executor, video: Insertable<SupportVideoTable>): Promise<boolean> {
  const result = await executor
    .insertInto('support_videos')
    .values({ ...video, deleted_at: video.created_at, deleted_by: null })
    .onConflict((oc) => oc.column('slug').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function insertSlices(executor: Executor, videoId: string, first: number, slices: readonly Buffer[]): Promise<void> {
  await executor
    .insertInto('support_video_slices')
    .values(slices.map((bytes, index) => ({ video_id: videoId, number: first + index, bytes })))
    .execute();
}

/** The video is whole: from now it can be chosen and played. */
export async function markStored(executor: Executor, id: string, sha256: string): Promise<void> {
  await executor.updateTable('support_videos').set({ sha256, deleted_at: null }).where('id', '=', id).where('deleted_by', 'is', null).execute();
}

/** A video whose storing failed or was abandoned: its row and slices go, so its slug can be used again. */
export async function removePending(executor: Executor, id: string): Promise<void> {
  await executor.deleteFrom('support_video_slices').where('video_id', '=', id).execute();
  await executor.deleteFrom('support_videos').where('id', '=', id).where('deleted_by', 'is', null).where('deleted_at', 'is not', null).execute();
}

/** What became of a slug: never used, a video being stored, one stored, or one an editor deleted. */
export async function slugState(executor: Executor, slug: string): Promise<'unused' | 'pending' | 'stored' | 'deleted'> {
  const row = await executor.selectFrom('support_videos').select(['deleted_at', 'deleted_by']).where('slug', '=', slug).executeTakeFirst();
  if (!row) return 'unused';
  if (row.deleted_at === null) return 'stored';
  return row.deleted_by === null ? 'pending' : 'deleted';
}

/** Videos whose storing began before `before` and has not finished. */
export async function listPendingSince(executor: Executor, before: string): Promise<string[]> {
  const rows = await executor.selectFrom('support_videos').select('id').where('deleted_by', 'is', null).where('deleted_at', 'is not', null).where('deleted_at', '<', before).execute();
  return rows.map((row) => row.id);
}

export async function listVideos(executor: Executor): Promise<VideoRow[]> {
  return executor.selectFrom('support_videos').select(VIDEO_COLUMNS).where('deleted_at', 'is', null).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

/**
 * `lock` (PostgreSQL) holds the row until the transaction ends: deleting a video and choosing it for a page then
 * happen one after the other, so neither sees the video as it was before the other. SQLite runs them one at a time.
 */
export async function findVideo(executor: Executor, id: string, lock = false): Promise<VideoRow | undefined> {
  const query = executor.selectFrom('support_videos').select(VIDEO_COLUMNS).where('id', '=', id).where('deleted_at', 'is', null);
  return (lock ? query.forUpdate() : query).executeTakeFirst();
}

export async function findVideoBySlug(executor: Executor, slug: string, lock = false): Promise<VideoRow | undefined> {
  const query = executor.selectFrom('support_videos').select(VIDEO_COLUMNS).where('slug', '=', slug).where('deleted_at', 'is', null);
  return (lock ? query.forUpdate() : query).executeTakeFirst();
}

/** The video with this slug while a published page shows it: the only videos the public may fetch. */
export async function findLiveVideoBySlug(executor: Executor, slug: string): Promise<VideoRow | undefined> {
  return executor.selectFrom('support_videos').select(VIDEO_COLUMNS).where('slug', '=', slug).where('deleted_at', 'is', null).where(shownOnLivePage).executeTakeFirst();
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
    .where(shownOnLivePage)
    .execute();
}

/** A published page (its live version) shows the video. */
function shownOnLivePage(eb: ExpressionBuilder<Database, 'support_videos'>) {
  return eb.exists(
    eb
      .selectFrom('support_pages')
      .innerJoin('support_page_revisions', 'support_page_revisions.id', 'support_pages.live_revision_id')
      .select('support_pages.id')
      .whereRef('support_page_revisions.video', '=', 'support_videos.slug'),
  );
}
