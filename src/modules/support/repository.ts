import type { Insertable, Selectable, Updateable } from 'kysely';
import type { Executor } from '../../platform/db/database.js';
import { assertUpdated } from '../../platform/db/versioning.js';
import type { SupportHelplineTable, SupportPageRevisionTable, SupportPageTable } from './tables.js';

export type PageRow = Selectable<SupportPageTable>;
export type RevisionRow = Selectable<SupportPageRevisionTable>;
export type HelplineRow = Selectable<SupportHelplineTable>;

/** A page with the text of one of its revisions. */
export interface PageWithText {
  readonly page: PageRow;
  readonly revision: RevisionRow;
}

const REVISION_COLUMNS = [
  'support_page_revisions.id',
  'support_page_revisions.page_id',
  'support_page_revisions.number',
  'support_page_revisions.title',
  'support_page_revisions.summary',
  'support_page_revisions.body',
  'support_page_revisions.layout',
  'support_page_revisions.video',
  'support_page_revisions.change_note',
  'support_page_revisions.source',
  'support_page_revisions.created_at',
  'support_page_revisions.created_by',
  'support_page_revisions.published_at',
  'support_page_revisions.published_by',
  'support_page_revisions.withdrawn_at',
  'support_page_revisions.withdrawn_by',
  'support_page_revisions.withdrawn_reason',
] as const;

export async function findPage(executor: Executor, id: string): Promise<PageRow | undefined> {
  return executor.selectFrom('support_pages').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findPageBySlug(executor: Executor, slug: string, lang: string): Promise<PageRow | undefined> {
  return executor.selectFrom('support_pages').selectAll().where('slug', '=', slug).where('lang', '=', lang).executeTakeFirst();
}

export async function findRevision(executor: Executor, id: string): Promise<RevisionRow | undefined> {
  return executor.selectFrom('support_page_revisions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The published text of a page in one language, if there is any. */
export async function findLivePage(executor: Executor, slug: string, lang: string): Promise<PageWithText | undefined> {
  const page = await findPageBySlug(executor, slug, lang);
  if (!page?.live_revision_id) return undefined;
  const revision = await findRevision(executor, page.live_revision_id);
  return revision ? { page, revision } : undefined;
}

export interface LiveListing {
  readonly slug: string;
  readonly lang: string;
  readonly section: string;
  readonly position: number;
  readonly title: string;
  readonly summary: string;
}

/** Every published page in the given languages, for navigation lists. */
export async function listLivePages(executor: Executor, langs: readonly string[]): Promise<LiveListing[]> {
  return executor
    .selectFrom('support_pages')
    .innerJoin('support_page_revisions', 'support_page_revisions.id', 'support_pages.live_revision_id')
    .select(['support_pages.slug', 'support_pages.lang', 'support_pages.section', 'support_pages.position', 'support_page_revisions.title', 'support_page_revisions.summary'])
    .where('support_pages.lang', 'in', langs)
    .orderBy('support_pages.position')
    .orderBy('support_pages.slug')
    .execute();
}

/** Every page's published text, in every language: to look for what must not be public. */
export async function listLiveTexts(executor: Executor): Promise<Array<{ id: string; slug: string; lang: string; title: string; summary: string; body: string }>> {
  return executor
    .selectFrom('support_pages')
    .innerJoin('support_page_revisions', 'support_page_revisions.id', 'support_pages.live_revision_id')
    .select(['support_pages.id', 'support_pages.slug', 'support_pages.lang', 'support_page_revisions.title', 'support_page_revisions.summary', 'support_page_revisions.body'])
    .orderBy('support_pages.position')
    .orderBy('support_pages.slug')
    .execute();
}

export interface EditorListing {
  readonly id: string;
  readonly slug: string;
  readonly lang: string;
  readonly section: string;
  readonly position: number;
  readonly updated_at: string;
  readonly live_title: string | null;
  readonly draft_title: string | null;
}

export async function listPagesForEditors(executor: Executor): Promise<EditorListing[]> {
  return executor
    .selectFrom('support_pages')
    .leftJoin('support_page_revisions as live', 'live.id', 'support_pages.live_revision_id')
    .leftJoin('support_page_revisions as draft', 'draft.id', 'support_pages.draft_revision_id')
    .select([
      'support_pages.id',
      'support_pages.slug',
      'support_pages.lang',
      'support_pages.section',
      'support_pages.position',
      'support_pages.updated_at',
      'live.title as live_title',
      'draft.title as draft_title',
    ])
    .orderBy('support_pages.position')
    .orderBy('support_pages.slug')
    .orderBy('support_pages.lang')
    .execute();
}

export async function listRevisions(executor: Executor, pageId: string): Promise<RevisionRow[]> {
  return executor
    .selectFrom('support_page_revisions')
    .select(REVISION_COLUMNS)
    .where('page_id', '=', pageId)
    .orderBy('number', 'desc')
    .execute();
}

export async function nextRevisionNumber(executor: Executor, pageId: string): Promise<number> {
  const row = await executor
    .selectFrom('support_page_revisions')
    .select((eb) => eb.fn.max('number').as('highest'))
    .where('page_id', '=', pageId)
    .executeTakeFirst();
  return (row?.highest ?? 0) + 1;
}

export async function insertPage(executor: Executor, page: Insertable<SupportPageTable>): Promise<boolean> {
  const result = await executor
    .insertInto('support_pages')
    .values(page)
    .onConflict((oc) => oc.columns(['slug', 'lang']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function insertRevision(executor: Executor, revision: Insertable<SupportPageRevisionTable>): Promise<void> {
  await executor.insertInto('support_page_revisions').values(revision).execute();
}

/** Moves a page's live or draft pointer; refused when someone else changed the page since it was loaded. */
export async function updatePage(executor: Executor, id: string, version: number, change: Updateable<SupportPageTable>): Promise<void> {
  const result = await executor
    .updateTable('support_pages')
    .set({ ...change, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  assertUpdated(result, 'page');
}

export async function markPublished(executor: Executor, revisionId: string, at: string, by: string | null): Promise<void> {
  await executor.updateTable('support_page_revisions').set({ published_at: at, published_by: by }).where('id', '=', revisionId).execute();
}

export async function markWithdrawn(executor: Executor, revisionId: string, at: string, by: string, reason: string | null): Promise<void> {
  await executor.updateTable('support_page_revisions').set({ withdrawn_at: at, withdrawn_by: by, withdrawn_reason: reason }).where('id', '=', revisionId).execute();
}

export async function listHelplines(executor: Executor): Promise<HelplineRow[]> {
  return executor.selectFrom('support_helplines').selectAll().orderBy('position').execute();
}

export async function findHelpline(executor: Executor, id: string): Promise<HelplineRow | undefined> {
  return executor.selectFrom('support_helplines').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertHelpline(executor: Executor, helpline: Insertable<SupportHelplineTable>): Promise<void> {
  await executor
    .insertInto('support_helplines')
    .values(helpline)
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
}

export async function updateHelpline(executor: Executor, id: string, version: number, change: Updateable<SupportHelplineTable>): Promise<void> {
  const result = await executor
    .updateTable('support_helplines')
    .set({ ...change, version: version + 1 })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  assertUpdated(result, 'phone number');
}
