import type { FastifyInstance } from 'fastify';
import { LANGUAGES, localHref } from '../../../platform/i18n/translator.js';
import type { Services } from '../../../services.js';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const xml = (text: string) => text.replace(/[&<>"']/g, (character) => XML_ESCAPES[character] ?? character);

interface SitemapEntry {
  readonly path: string;
  readonly lastModified?: string;
}

/**
 * The public pages for search engines (sitemaps.org 0.9): home and the finder in each language, each information page
 * in the languages it is written in, and each published service page. Services are listed by their public page: the
 * page shows no confidential address, so neither can this.
 */
export function registerSitemap(app: FastifyInstance, services: Services): void {
  const { config, support, directory } = services;

  async function entries(): Promise<SitemapEntry[]> {
    const languages = await Promise.all(
      LANGUAGES.map(async ({ code }) => {
        const written = (await support.pages.listings(code)).filter((listing) => listing.textLang === code && listing.section !== 'home');
        return ['/', '/services', ...written.map((listing) => `/${listing.slug}`)].map((path) => ({ path: localHref(code, path) }));
      }),
    );
    const published = await directory.published.current();
    return [...languages.flat(), ...published.services.map((service) => ({ path: `/services/${service.id}`, lastModified: service.lastModified }))];
  }

  app.get('/sitemap.xml', { config: { access: 'public' } }, async (_request, reply) => {
    const urls = (await entries()).map(({ path, lastModified }) => `<url><loc>${xml(`${config.baseUrl}${path}`)}</loc>${lastModified ? `<lastmod>${xml(lastModified)}</lastmod>` : ''}</url>`);
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join('\n')}\n</urlset>\n`;
    return reply.type('application/xml; charset=utf-8').header('Cache-Control', 'public, max-age=3600').send(body);
  });
}
