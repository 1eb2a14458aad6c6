import type { FastifyInstance } from 'fastify';
import { parseForm, originOfRequest, typedValues } from '../../../platform/http/forms.js';
import { keptOr } from '../../../platform/http/kept-form.js';
import { StaleVersionError } from '../../../platform/db/versioning.js';
import { langAttribute, languageOf, LANGUAGES, type LanguageCode } from '../../../platform/i18n/translator.js';
import { singleError } from '../../../platform/views/form-errors.js';
import { staleEdit } from '../../../platform/views/stale-edit.js';
import type { Services } from '../../../services.js';
import { VideoNotAvailable, withdrawalRefusal } from '../page-service.js';
import { newPageForm, pageTextForm, publishForm, restoreForm, SECTIONS } from '../schemas.js';
import { confidentialErrors, editorOf, idParam, noticeFrom } from './common.js';
import { ConfidentialAddressInText } from '../confidential-text.js';

const access = { access: 'content.manage' } as const;

const NOTICES = {
  published: 'The page is published. The change is on the public site now.',
  discarded: 'The draft was discarded. The published page has not changed.',
  restored: 'That version is now the draft. Check it and publish it to put it on the site.',
  withdrawn: 'The page is off the public site now. It is kept as a draft: publish it to put it back.',
};

const PAGE_TEXT_LABELS = { title: 'Title', summary: 'Summary', body: 'Page text' } as const;

/** /app/content: list, edit, preview, publish and trace the public information pages. */
export function registerContentEditor(app: FastifyInstance, services: Services): void {
  const { pages, videos } = services.support;

  app.get('/app/content', { config: access }, async (request, reply) => {
    const rows = await pages.listForEditors();
    const slugs = [...new Set(rows.map((row) => row.slug))];
    const sectionOrder = (section: string) => SECTIONS.indexOf(section as (typeof SECTIONS)[number]);
    const table = slugs.map((slug) => {
      const variants = rows.filter((row) => row.slug === slug);
      const english = variants.find((row) => row.lang === 'en');
      return {
        slug,
        title: english?.live_title ?? english?.draft_title ?? variants[0]?.live_title ?? slug,
        section: variants[0]?.section ?? '',
        position: variants[0]?.position ?? 0,
        languages: LANGUAGES.map((language) => ({ code: language.code, name: language.englishName, page: variants.find((row) => row.lang === language.code) })),
      };
    });
    table.sort((a, b) => sectionOrder(a.section) - sectionOrder(b.section) || a.position - b.position);
    return reply.render('support/editor/list.njk', {
      title: 'Public site content',
      table,
      notice: noticeFrom(request, NOTICES),
      helplines: await services.support.helplines.listForEditors(),
    });
  });

  app.get('/app/content/new', { config: access }, (request, reply) => {
    const query = request.query as Record<string, unknown>;
    return reply.render('support/editor/new.njk', newPageContext({ slug: query['slug'], lang: query['lang'], section: 'help' }));
  });

  app.post('/app/content/new', { config: access }, async (request, reply) => {
    const form = parseForm(newPageForm, request);
    if (!form.ok) return reply.renderForm('support/editor/new.njk', form.errors, newPageContext(form.values));
    if (await pages.exists(form.data.slug, form.data.lang)) {
      const message = `There is already a page at /${form.data.slug} in ${languageOf(form.data.lang as LanguageCode).englishName}. Edit that page instead.`;
      return reply.renderForm('support/editor/new.njk', singleError('slug', message), newPageContext(form.data));
    }
    const id = await pages.create(editorOf(request), form.data, originOfRequest(request));
    return reply.redirect(`/app/content/pages/${id}`, 303);
  });

  /** The editing page as it opens: the draft if there is one, else the published text. */
  async function editing(id: string) {
    const { page, revision, live } = await pages.forEditing(id);
    const choices = await videos.listForEditors();
    return {
      title: `Edit: ${revision?.title ?? page.slug}`,
      page,
      live,
      hasDraft: page.draft_revision_id !== null,
      // A version whose video has been deleted since shows "No video" chosen: saving it keeps none, not the lost one.
      values: { title: revision?.title, summary: revision?.summary, body: revision?.body, video: choices.some((choice) => choice.slug === revision?.video) ? revision?.video : 'none', version: page.version, openedRevision: revision?.id },
      videoChoices: choices,
      languageName: languageOf(page.lang as LanguageCode).englishName,
      canWithdraw: withdrawalRefusal(page) === null,
    };
  }

  app.get('/app/content/pages/:id', { config: access }, async (request, reply) => {
    const page = await editing(idParam(request, 'id'));
    return reply.render('support/editor/edit.njk', { ...page, ...(await keptOr(request, reply, services, page.values)) });
  });

  app.post('/app/content/pages/:id', { config: { ...access, keepsFormAcrossSignIn: true } }, async (request, reply) => {
    const id = idParam(request, 'id');
    const form = parseForm(pageTextForm, request);
    if (!form.ok) return reply.renderForm('support/editor/edit.njk', form.errors, { ...(await editing(id)), values: form.values });
    try {
      await pages.saveDraft(editorOf(request), id, form.data, originOfRequest(request));
    } catch (error) {
      if (error instanceof VideoNotAvailable) return reply.renderForm('support/editor/edit.njk', singleError('video', error.message), { ...(await editing(id)), values: form.data });
      if (error instanceof ConfidentialAddressInText) return reply.renderForm('support/editor/edit.njk', confidentialErrors(error), { ...(await editing(id)), values: typedValues(request) });
      if (!(error instanceof StaleVersionError)) throw error;
      // The latest text goes in the form, so saving again cannot undo the other change unseen; what was typed is kept beside it.
      const [latest, opened] = await Promise.all([editing(id), form.data.openedRevision ? pages.textOf(id, form.data.openedRevision) : undefined]);
      return reply.code(409).render('support/editor/edit.njk', { ...latest, ...staleEdit('page', 'title', form.data, latest.values, PAGE_TEXT_LABELS, opened) });
    }
    return reply.redirect(`/app/content/pages/${id}/preview`, 303);
  });

  app.get('/app/content/pages/:id/preview', { config: access }, async (request, reply) => {
    const preview = await pages.preview(idParam(request, 'id'));
    const { revision, rendered } = preview;
    return reply.render('support/editor/preview.njk', {
      title: `Preview: ${revision.title}`,
      ...preview,
      // The article exactly as the public page shows it (see support/page-article.njk), in its own language.
      article: { title: revision.title, summary: revision.summary, layout: revision.layout, rendered },
      textLang: langAttribute(preview.page.lang as LanguageCode, 'en'),
      video: revision.video && (await videos.find(revision.video)) ? revision.video : null,
      mediaBase: '/app/content/media',
      languageName: languageOf(preview.page.lang as LanguageCode).englishName,
    });
  });

  // A button that changes what the public sees, confirmed on the page named (which a form out of date goes back to).
  for (const [action, page, notice, change] of [
    ['publish', 'preview', 'published', 'publish'],
    ['discard', 'preview', 'discarded', 'discardDraft'],
    ['withdraw', 'withdraw', 'withdrawn', 'withdraw'],
  ] as const) {
    app.post(`/app/content/pages/:id/${action}`, { config: access }, async (request, reply) => {
      const id = idParam(request, 'id');
      const form = parseForm(publishForm, request);
      if (!form.ok) return reply.redirect(`/app/content/pages/${id}/${page}`, 303);
      try {
        await pages[change](editorOf(request), id, form.data.version, originOfRequest(request));
      } catch (error) {
        // Text that names an address made confidential since it was saved: the editor is taken to the words to change.
        if (error instanceof ConfidentialAddressInText) return reply.renderForm('support/editor/edit.njk', confidentialErrors(error), await editing(id));
        throw error;
      }
      return reply.redirect(`/app/content?notice=${notice}`, 303);
    });
  }

  app.get('/app/content/pages/:id/withdraw', { config: access }, async (request, reply) => reply.render('support/editor/withdraw.njk', await withdrawal(idParam(request, 'id'))));

  /** The confirmation: what goes, what stays (the other languages of the page), or why it cannot go. */
  async function withdrawal(id: string) {
    const { page, live } = await pages.forEditing(id);
    const others = (await pages.listForEditors()).filter((row) => row.slug === page.slug && row.lang !== page.lang && row.live_title);
    return {
      title: `Take off the site: ${live?.title ?? page.slug}`,
      page,
      live,
      refusal: withdrawalRefusal(page),
      languageName: languageOf(page.lang as LanguageCode).englishName,
      stillLive: others.map((row) => languageOf(row.lang as LanguageCode).englishName),
      fallsBack: page.lang !== 'en',
    };
  }

  app.get('/app/content/pages/:id/history', { config: access }, async (request, reply) => {
    const history = await pages.history(idParam(request, 'id'));
    return reply.render('support/editor/history.njk', {
      title: `History: /${history.page.slug}`,
      ...history,
      names: Object.fromEntries(history.names),
      languageName: languageOf(history.page.lang as LanguageCode).englishName,
      notice: noticeFrom(request, NOTICES),
    });
  });

  app.get('/app/content/pages/:id/history/:revisionId', { config: access }, async (request, reply) => {
    const found = await pages.revision(idParam(request, 'id'), idParam(request, 'revisionId'));
    const video = found.revision.video ? await videos.find(found.revision.video) : undefined;
    return reply.render('support/editor/revision.njk', { title: `Version ${String(found.revision.number)}: ${found.revision.title}`, ...found, video, languageName: languageOf(found.page.lang as LanguageCode).englishName });
  });

  app.post('/app/content/pages/:id/history/:revisionId/restore', { config: access }, async (request, reply) => {
    const id = idParam(request, 'id');
    const revisionId = idParam(request, 'revisionId');
    const form = parseForm(restoreForm, request);
    if (!form.ok) return reply.redirect(`/app/content/pages/${id}/history/${revisionId}`, 303);
    await pages.restore(editorOf(request), id, revisionId, form.data.version, originOfRequest(request));
    return reply.redirect(`/app/content/pages/${id}/preview`, 303);
  });
}

function newPageContext(values: Record<string, unknown>) {
  return {
    title: 'Add a page',
    values,
    languageItems: LANGUAGES.map((language) => ({ value: language.code, text: language.englishName, checked: values['lang'] === language.code })),
    sections: SECTIONS.filter((section) => section !== 'home').map((section) => ({ value: section, text: SECTION_NAMES[section], checked: values['section'] === section })),
  };
}

const SECTION_NAMES: Record<(typeof SECTIONS)[number], string> = {
  home: 'Home page',
  help: 'Information and advice (listed on the home page)',
  professionals: 'For professionals',
  about: 'About this site (linked from the footer)',
};
