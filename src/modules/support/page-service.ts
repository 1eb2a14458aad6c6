import type { Actor } from '../../platform/access/policy.js';
import type { AuditAction } from '../../platform/audit/catalogue.js';
import { actedBy, type AuditEntry, type AuditService } from '../../platform/audit/service.js';
import type { RequestOrigin } from '../../platform/auth/service.js';
import type { Db, Executor } from '../../platform/db/database.js';
import { newId, nowIso } from '../../platform/db/ids.js';
import { StaleVersionError } from '../../platform/db/versioning.js';
import { UserFacingError } from '../../platform/http/errors.js';
import { DEFAULT_LANGUAGE, languageOf, type LanguageCode } from '../../platform/i18n/translator.js';
import { readSeedPages, type SeedPage } from './content-files.js';
import { renderMarkdown, type RenderedPage } from './markdown.js';
import * as repo from './repository.js';
import { findCaptions, findVideoBySlug } from './video-repository.js';
import { captionsAsPublished } from './video-files.js';
import type { NewPageInput, PageTextInput } from './schemas.js';
import { refuseConfidentialAddresses, type FieldsNamingConfidentialAddress } from './confidential-text.js';
import type { NamesAddress, PublishedTextNaming } from '../directory/confidential-guard.js';

export interface PageServiceDeps {
  readonly db: Db;
  readonly audit: AuditService;
  readonly clock: () => Date;
  readonly userName: (userId: string) => Promise<string | undefined>;
  readonly fieldsNamingConfidentialAddress: FieldsNamingConfidentialAddress;
}

/** A page as the public sees it, in the reader's language or, where that is missing, the nearest one. */
export interface PublicPage {
  readonly slug: string;
  readonly section: string;
  readonly title: string;
  readonly summary: string;
  readonly layout: string;
  readonly video: string | null;
  readonly rendered: RenderedPage;
  /** The language the text is actually in (differs from the reader's when we fell back). */
  readonly textLang: LanguageCode;
  readonly publishedAt: string | null;
}

export interface Listing {
  readonly slug: string;
  readonly section: string;
  readonly title: string;
  readonly summary: string;
  readonly textLang: LanguageCode;
}

const RENDER_CACHE_LIMIT = 500;

/** Shown in the page's history when the platform took it off the site. */
export const NAMED_CONFIDENTIAL_ADDRESS = 'its text named an address made confidential';
const GONE_VIDEO = 'The video chosen for this page has been deleted. Edit the page to choose another video, or no video.';
const CAPTIONS_NAME_ADDRESS =
  'The captions of the video chosen for this page name the address, street or postcode of a confidential location, so the page cannot be published with it. Upload the video again with captions that do not, and choose it on the page.';

/** The video chosen on the edit form is not one that can be chosen (deleted since the form was shown). */
export class VideoNotAvailable extends UserFacingError {
  constructor() {
    super(409, 'That video is not in the list any more. Choose another video, or no video', 'That video is not available');
  }
}

/** Pages the public layout links to from every page (see layouts/public.njk), and the home page itself. */
const FRAME_PAGES: ReadonlySet<string> = new Set(['home', 'staying-safe-online', 'accessibility', 'privacy']);

/** Why a page cannot be taken off the site, or null when it can. */
export function withdrawalRefusal(page: Pick<repo.PageRow, 'slug' | 'lang'>): string | null {
  if (page.lang !== DEFAULT_LANGUAGE || !FRAME_PAGES.has(page.slug)) return null;
  return page.slug === 'home'
    ? 'The home page cannot be taken off the site. Edit it instead.'
    : 'Every page of the public site links to this page, and the other languages fall back to it, so it cannot be taken off the site. Edit it instead.';
}

interface PageText {
  readonly title: string;
  readonly summary: string;
  readonly body: string;
}

/** A page's text as the fields the confidential address check reads, named as the edit form names them. */
function textFields(text: PageText): Array<readonly [string, string]> {
  return [['title', text.title], ['summary', text.summary], ['body', text.body]];
}

/** Public information pages: published text for readers, drafts, previews, publication and history for editors. */
export function createPageService({ db, audit, clock, userName, fieldsNamingConfidentialAddress }: PageServiceDeps) {
  const refuseAddresses = (text: PageText) => refuseConfidentialAddresses(fieldsNamingConfidentialAddress, textFields(text));

  /** Checked at upload, and again at publication: a location may have been marked confidential since. */
  async function refuseCaptionsNamingAddress(slug: string): Promise<void> {
    const video = await findVideoBySlug(db.kysely, slug);
    const captions = video ? await findCaptions(db.kysely, video.id) : undefined;
    if (captions && (await fieldsNamingConfidentialAddress([['captions', captionsAsPublished(captions)]])).length > 0) {
      throw new UserFacingError(409, CAPTIONS_NAME_ADDRESS, 'The video’s captions name a confidential address');
    }
  }

  // Revisions never change once written, so their rendered HTML can be kept for as long as there is room.
  const rendered = new Map<string, RenderedPage>();
  function render(revision: repo.RevisionRow, lang: LanguageCode): RenderedPage {
    const key = `${revision.id}:${lang}`;
    const hit = rendered.get(key);
    if (hit) return hit;
    const result = renderMarkdown(revision.body, lang);
    if (rendered.size >= RENDER_CACHE_LIMIT) rendered.delete(rendered.keys().next().value ?? '');
    rendered.set(key, result);
    return result;
  }

  function chain(lang: LanguageCode): LanguageCode[] {
    const codes: LanguageCode[] = [];
    for (let code: LanguageCode | null = lang; code; code = languageOf(code).fallback) codes.push(code);
    return codes;
  }

  async function requirePage(executor: Executor, id: string): Promise<repo.PageRow> {
    const page = await repo.findPage(executor, id);
    if (!page) throw new UserFacingError(404, 'There is no page with that address. It may have been removed.', 'Page not found');
    return page;
  }

  async function addRevision(
    executor: Executor,
    page: repo.PageRow,
    text: { title: string; summary: string; body: string; layout: string; video: string | null; changeNote: string },
    source: 'seed' | 'editor' | 'restore',
    actor: Actor | null,
  ): Promise<string> {
    const id = newId();
    await repo.insertRevision(executor, {
      id,
      page_id: page.id,
      number: await repo.nextRevisionNumber(executor, page.id),
      title: text.title,
      summary: text.summary,
      body: text.body,
      layout: text.layout,
      video: text.video,
      change_note: text.changeNote,
      source,
      created_at: nowIso(clock),
      created_by: actor?.userId ?? null,
      published_at: null,
      published_by: null,
    });
    return id;
  }

  /** An editor's change to a page, in the audit trail: the page's address and language, and the revision it made. */
  async function recordPageEvent(trx: Executor, action: AuditAction, actor: Actor, origin: RequestOrigin, id: string, details: AuditEntry['details']) {
    await audit.recordWith(trx, { action, ...actedBy(actor, origin), recordType: 'support_page', recordId: id, details });
  }

  /** Takes the live version off the site, keeping it (or the draft there is) to publish again; `reason` when the platform did it. */
  async function takeOff(actor: Actor, id: string, version: number, origin: RequestOrigin, reason: string | null): Promise<void> {
    await db.kysely.transaction().execute(async (trx) => {
      const page = await requirePage(trx, id);
      const live = page.live_revision_id ? await repo.findRevision(trx, page.live_revision_id) : undefined;
      if (!live) throw new UserFacingError(409, 'This page is not on the site, so there is nothing to take off.', 'Not published');
      const refusal = withdrawalRefusal(page);
      if (refusal) throw new UserFacingError(409, refusal, 'This page must stay on the site');
      const now = nowIso(clock);
      await repo.markWithdrawn(trx, live.id, now, actor.userId, reason);
      const draft = page.draft_revision_id ?? (await addRevision(trx, page, { ...live, changeNote: `Version ${String(live.number)}, kept as a draft when the page was taken off the site` }, 'editor', actor));
      await repo.updatePage(trx, id, version, { live_revision_id: null, draft_revision_id: draft, updated_at: now });
      await recordPageEvent(trx, 'CONTENT_WITHDRAWN', actor, origin, id, { slug: page.slug, lang: page.lang, revision: live.id, ...(reason ? { reason } : {}) });
    });
  }

  async function seedOne(seed: SeedPage): Promise<boolean> {
    return db.kysely.transaction().execute(async (trx) => {
      const now = nowIso(clock);
      const pageId = newId();
      const inserted = await repo.insertPage(trx, {
        id: pageId,
        slug: seed.slug,
        lang: seed.lang,
        section: seed.section,
        position: seed.position,
        live_revision_id: null,
        draft_revision_id: null,
        version: 1,
        created_at: now,
        updated_at: now,
      });
      if (!inserted) return false;
      const page = await requirePage(trx, pageId);
      const revisionId = await addRevision(trx, page, { ...seed, video: seed.video ?? null, changeNote: 'First version, from seed/content' }, 'seed', null);
      await repo.markPublished(trx, revisionId, now, null);
      await repo.updatePage(trx, pageId, page.version, { live_revision_id: revisionId, updated_at: now });
      return true;
    });
  }

  return {
    /**
     * Adds any page in seed/content that the database does not have yet. Pages already there are left alone:
     * once loaded, the text belongs to the editors. Safe to run on every start and on several instances at once.
     */
    async seedMissing(seeds: readonly SeedPage[] = readSeedPages()): Promise<number> {
      const existing = new Set((await repo.listPagesForEditors(db.kysely)).map((page) => `${page.slug}:${page.lang}`));
      let added = 0;
      for (const seed of seeds) if (!existing.has(`${seed.slug}:${seed.lang}`) && (await seedOne(seed))) added += 1;
      return added;
    },

    /** The published page for a reader, falling back along the language chain (easy read and Polish to English). */
    async publicPage(slug: string, lang: LanguageCode): Promise<PublicPage | undefined> {
      for (const textLang of chain(lang)) {
        const found = await repo.findLivePage(db.kysely, slug, textLang);
        if (!found) continue;
        const { page, revision } = found;
        return {
          slug: page.slug,
          section: page.section,
          title: revision.title,
          summary: revision.summary,
          layout: revision.layout,
          video: revision.video,
          rendered: render(revision, lang),
          textLang,
          publishedAt: revision.published_at,
        };
      }
      return undefined;
    },

    /** Published pages for navigation, each in the reader's language where it exists. */
    async listings(lang: LanguageCode): Promise<Listing[]> {
      const langs = chain(lang);
      const rows = await repo.listLivePages(db.kysely, langs);
      const best = new Map<string, repo.LiveListing>();
      for (const row of rows) {
        const current = best.get(row.slug);
        if (!current || langs.indexOf(row.lang as LanguageCode) < langs.indexOf(current.lang as LanguageCode)) best.set(row.slug, row);
      }
      return [...best.values()]
        .sort((a, b) => a.position - b.position || a.slug.localeCompare(b.slug))
        .map((row) => ({ slug: row.slug, section: row.section, title: row.title, summary: row.summary, textLang: row.lang as LanguageCode }));
    },

    async exists(slug: string, lang: string): Promise<boolean> {
      return (await repo.findPageBySlug(db.kysely, slug, lang)) !== undefined;
    },

    async listForEditors() {
      return repo.listPagesForEditors(db.kysely);
    },

    /** What the edit form starts from: the draft if there is one, otherwise the live text. */
    async forEditing(id: string) {
      const page = await requirePage(db.kysely, id);
      const revisionId = page.draft_revision_id ?? page.live_revision_id;
      const revision = revisionId ? await repo.findRevision(db.kysely, revisionId) : undefined;
      const live = page.live_revision_id ? await repo.findRevision(db.kysely, page.live_revision_id) : undefined;
      return { page, revision, live };
    },

    async preview(id: string): Promise<{ page: repo.PageRow; revision: repo.RevisionRow; rendered: RenderedPage; isDraft: boolean }> {
      const page = await requirePage(db.kysely, id);
      const revisionId = page.draft_revision_id ?? page.live_revision_id;
      const revision = revisionId ? await repo.findRevision(db.kysely, revisionId) : undefined;
      if (!revision) throw new UserFacingError(404, 'This page has no text yet.', 'Nothing to preview');
      return { page, revision, rendered: render(revision, page.lang as LanguageCode), isDraft: page.draft_revision_id !== null };
    },

    /** Renders text that has not been saved, for the preview beside the edit form. */
    renderText(body: string, lang: LanguageCode): RenderedPage {
      return renderMarkdown(body, lang);
    },

    async saveDraft(actor: Actor, id: string, input: PageTextInput, origin: RequestOrigin): Promise<void> {
      await refuseAddresses(input);
      await db.kysely.transaction().execute(async (trx) => {
        const page = await requirePage(trx, id);
        const base = await repo.findRevision(trx, page.draft_revision_id ?? page.live_revision_id ?? '');
        const video = input.video === undefined ? (base?.video ?? null) : input.video === 'none' ? null : input.video;
        if (input.video !== undefined && video !== null && !(await findVideoBySlug(trx, video, db.dialect === 'postgres'))) throw new VideoNotAvailable();
        const revisionId = await addRevision(trx, page, { ...input, layout: base?.layout ?? 'standard', video }, 'editor', actor);
        await repo.updatePage(trx, id, input.version, { draft_revision_id: revisionId, updated_at: nowIso(clock) });
        await recordPageEvent(trx, 'CONTENT_DRAFT_SAVED', actor, origin, id, { slug: page.slug, lang: page.lang, revision: revisionId });
      });
    },

    async publish(actor: Actor, id: string, version: number, origin: RequestOrigin): Promise<void> {
      // Checked again, before the write (the check reads the directory): a location may have been marked confidential
      // since the draft was saved. A draft saved meanwhile moves the page's version, so the publication is refused.
      const unpublished = (await requirePage(db.kysely, id)).draft_revision_id;
      const draft = unpublished ? await repo.findRevision(db.kysely, unpublished) : undefined;
      if (draft) await refuseAddresses(draft);
      if (draft?.video) await refuseCaptionsNamingAddress(draft.video);
      await db.kysely.transaction().execute(async (trx) => {
        const page = await requirePage(trx, id);
        if (!page.draft_revision_id) throw new UserFacingError(409, 'There are no unpublished changes to this page.', 'Nothing to publish');
        const video = (await repo.findRevision(trx, page.draft_revision_id))?.video;
        if (video && !(await findVideoBySlug(trx, video, db.dialect === 'postgres'))) throw new UserFacingError(409, GONE_VIDEO, 'That video has been deleted');
        const now = nowIso(clock);
        await repo.markPublished(trx, page.draft_revision_id, now, actor.userId);
        await repo.updatePage(trx, id, version, { live_revision_id: page.draft_revision_id, draft_revision_id: null, updated_at: now });
        await recordPageEvent(trx, 'CONTENT_PUBLISHED', actor, origin, id, { slug: page.slug, lang: page.lang, revision: page.draft_revision_id });
      });
    },

    /** Drops the draft pointer; the draft stays in the history as a version that was never published. */
    async discardDraft(actor: Actor, id: string, version: number, origin: RequestOrigin): Promise<void> {
      await db.kysely.transaction().execute(async (trx) => {
        const page = await requirePage(trx, id);
        if (!page.draft_revision_id) throw new UserFacingError(409, 'There is no draft to discard.', 'Nothing to discard');
        if (!page.live_revision_id) throw new UserFacingError(409, 'This page has never been published, so its draft is all there is. Edit it instead.', 'Cannot discard');
        await repo.updatePage(trx, id, version, { draft_revision_id: null, updated_at: nowIso(clock) });
        await recordPageEvent(trx, 'CONTENT_DRAFT_DISCARDED', actor, origin, id, { slug: page.slug, lang: page.lang, revision: page.draft_revision_id });
      });
    },

    /**
     * Takes the live version off the site. The page and its history stay; what was live becomes the draft (unless
     * there is one already), so publishing again puts it back. The English text of a page every public page links
     * to (the footer and help-now box) cannot go: every other language falls back to it.
     */
    async withdraw(actor: Actor, id: string, version: number, origin: RequestOrigin): Promise<void> {
      await takeOff(actor, id, version, origin, null);
    },

    /** Published pages whose text names an address (see the directory's warning on a location made confidential). */
    async liveTextNaming(namesAddress: NamesAddress): Promise<PublishedTextNaming[]> {
      const pages = await repo.listLiveTexts(db.kysely);
      return pages
        .filter((page) => namesAddress(textFields(page)))
        .map((page) => ({ kind: `information page, ${languageOf(page.lang as LanguageCode).englishName}`, name: page.title, href: `/app/content/pages/${page.id}` }));
    },

    /**
     * Takes off the site the published pages whose text names an address just made confidential (each kept as a
     * draft to change and publish again), as the directory does with its records; a page every page links to cannot
     * go, and stays on the location's warning. Returns how many came off.
     */
    async withdrawLiveNaming(namesAddress: NamesAddress, actor: Actor, origin: RequestOrigin): Promise<number> {
      const naming = (await repo.listLiveTexts(db.kysely)).filter((page) => withdrawalRefusal(page) === null && namesAddress(textFields(page)));
      let withdrawn = 0;
      for (const { id } of naming) {
        try {
          await takeOff(actor, id, (await requirePage(db.kysely, id)).version, origin, NAMED_CONFIDENTIAL_ADDRESS);
          withdrawn += 1;
        } catch (error) {
          // Changed or taken off at this moment by someone else: it stays on the location's warning until it is fixed.
          if (!(error instanceof StaleVersionError || error instanceof UserFacingError)) throw error;
        }
      }
      return withdrawn;
    },

    async history(id: string) {
      const page = await requirePage(db.kysely, id);
      const revisions = await repo.listRevisions(db.kysely, id);
      const names = new Map<string, string>();
      for (const userId of new Set(revisions.flatMap((revision) => [revision.created_by, revision.published_by, revision.withdrawn_by]))) {
        if (userId) names.set(userId, (await userName(userId)) ?? 'A former user');
      }
      return { page, revisions, names };
    },

    /** The words of one of the page's versions, as an edit form opened them; undefined if it is not one of this page's. */
    async textOf(id: string, revisionId: string): Promise<{ title: string; summary: string; body: string } | undefined> {
      const revision = await repo.findRevision(db.kysely, revisionId);
      return revision?.page_id === id ? { title: revision.title, summary: revision.summary, body: revision.body } : undefined;
    },

    async revision(id: string, revisionId: string) {
      const page = await requirePage(db.kysely, id);
      const revision = await repo.findRevision(db.kysely, revisionId);
      if (revision?.page_id !== id) throw new UserFacingError(404, 'That version of the page does not exist.', 'Version not found');
      return { page, revision, rendered: render(revision, page.lang as LanguageCode) };
    },

    /** Copies an earlier version into a new draft; nothing changes on the site until it is published. */
    async restore(actor: Actor, id: string, revisionId: string, version: number, origin: RequestOrigin): Promise<void> {
      await db.kysely.transaction().execute(async (trx) => {
        const page = await requirePage(trx, id);
        const old = await repo.findRevision(trx, revisionId);
        if (old?.page_id !== id) throw new UserFacingError(404, 'That version of the page does not exist.', 'Version not found');
        // A video deleted since is not brought back into the draft: the page would show none.
        const videoGone = old.video !== null && !(await findVideoBySlug(trx, old.video));
        const copy = { ...old, video: videoGone ? null : old.video, changeNote: `Restored version ${String(old.number)}${videoGone ? ', without its video, deleted since' : ''}` };
        const newRevision = await addRevision(trx, page, copy, 'restore', actor);
        await repo.updatePage(trx, id, version, { draft_revision_id: newRevision, updated_at: nowIso(clock) });
        await recordPageEvent(trx, 'CONTENT_REVISION_RESTORED', actor, origin, id, { slug: page.slug, lang: page.lang, restored: old.number, revision: newRevision });
      });
    },

    /**
     * A new page, or a new language of an existing one. A translation starts as a draft copy of the English
     * text so the editor translates in place; a new page starts with a short placeholder draft to replace.
     */
    async create(actor: Actor, input: NewPageInput, origin: RequestOrigin): Promise<string> {
      return db.kysely.transaction().execute(async (trx) => {
        const lang = input.lang as LanguageCode;
        const taken = () => new UserFacingError(409, `There is already a page at /${input.slug} in ${languageOf(lang).englishName}.`, 'Page already exists');
        if (await repo.findPageBySlug(trx, input.slug, lang)) throw taken();
        const english = lang === DEFAULT_LANGUAGE ? undefined : await repo.findLivePage(trx, input.slug, DEFAULT_LANGUAGE);
        const now = nowIso(clock);
        const id = newId();
        // Another editor may have made the same page since the check: refused as if it had been there before.
        const inserted = await repo.insertPage(trx, {
          id,
          slug: input.slug,
          lang,
          section: english?.page.section ?? input.section,
          position: english?.page.position ?? 100,
          live_revision_id: null,
          draft_revision_id: null,
          version: 1,
          created_at: now,
          updated_at: now,
        });
        if (!inserted) throw taken();
        const page = await requirePage(trx, id);
        const start = english
          ? { ...english.revision, changeNote: `Started from the English text (version ${String(english.revision.number)})` }
          : { title: 'New page', summary: 'One sentence saying what this page is for.', body: 'Write the page here.', layout: 'standard', video: null, changeNote: 'Created the page' };
        const revisionId = await addRevision(trx, page, start, 'editor', actor);
        await repo.updatePage(trx, id, page.version, { draft_revision_id: revisionId });
        await recordPageEvent(trx, 'CONTENT_PAGE_CREATED', actor, origin, id, { slug: input.slug, lang });
        return id;
      });
    },
  };
}

export type PageService = ReturnType<typeof createPageService>;
