import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requestLanguage } from '../../../platform/http/render.js';
import { langAttribute, languageOf, longDate } from '../../../platform/i18n/translator.js';
import type { Services } from '../../../services.js';
import { SLUG_PATTERN } from '../schemas.js';
import { registerMediaRoute } from './media.js';
import { registerSitemap } from './sitemap.js';

/** Where Exit this page goes: a busy, neutral site that says nothing about why someone was there. */
export const QUICK_EXIT_URL = 'https://www.bbc.co.uk/weather';

/** Files under /assets and /media are not pages, but an address there that finds nothing is answered with one. */
const NOT_PUBLIC_PAGES = /^\/(app|api)(\/|$|\?)/;

export function registerPublicPages(app: FastifyInstance, services: Services): void {
  const { support } = services;

  // Every public page, including errors and pages other modules render, gets the help-now numbers.
  app.addHook('onRequest', async (request) => {
    if (NOT_PUBLIC_PAGES.test(request.url)) return;
    const helpNow = await support.helplines.helpNow(requestLanguage(request)).catch((error: unknown) => {
      // The layout then shows the emergency number from its own text: 999 is never missing.
      request.log.error({ err: error }, 'help-now numbers could not be read');
      return [];
    });
    request.pageLocals = { ...request.pageLocals, helpNow, quickExitUrl: QUICK_EXIT_URL };
  });

  app.get('/', { config: { access: 'public' } }, async (request, reply) => {
    const lang = requestLanguage(request);
    const [home, listings] = await Promise.all([support.pages.publicPage('home', lang), support.pages.listings(lang)]);
    const withLang = listings.map((listing) => ({ ...listing, langAttr: langAttribute(listing.textLang, lang) }));
    return reply.render('support/home.njk', {
      page: home,
      pageLang: home ? langAttribute(home.textLang, lang) : undefined,
      topics: withLang.filter((listing) => listing.section === 'help'),
      professionals: withLang.filter((listing) => listing.section === 'professionals'),
      robots: 'index, follow',
    });
  });

  registerSitemap(app, services);

  app.get('/robots.txt', { config: { access: 'public' } }, (_request, reply) =>
    reply
      .type('text/plain; charset=utf-8')
      .header('Cache-Control', 'public, max-age=3600')
      .send(`User-agent: *\nDisallow: /app/\nSitemap: ${services.config.baseUrl}/sitemap.xml\n`),
  );

  registerMediaRoute(app, support.videos, '/media', 'public');

  app.get('/:slug', { config: { access: 'public' } }, async (request, reply) => {
    const slug = (request.params as { slug?: string }).slug ?? '';
    if (!SLUG_PATTERN.test(slug)) return notFound(reply);
    return renderContentPage(request, reply, services, slug);
  });
}

async function renderContentPage(request: FastifyRequest, reply: FastifyReply, services: Services, slug: string) {
  const lang = requestLanguage(request);
  const page = await services.support.pages.publicPage(slug, lang);
  if (!page || page.section === 'home') return notFound(reply);
  return reply.render('support/page.njk', {
    page,
    title: page.title,
    robots: 'index, follow',
    video: page.video && (await services.support.videos.playable(page.video, 'public')) ? page.video : null,
    fallback: page.textLang !== lang,
    pageLang: langAttribute(page.textLang, lang),
    readerLanguageName: languageOf(lang).name,
    updated: page.publishedAt ? longDate(page.publishedAt, lang) : undefined,
  });
}

/** The site's one not-found page (with the help-now numbers), for any address that is not a page. */
function notFound(reply: FastifyReply): FastifyReply {
  reply.callNotFound();
  return reply;
}
