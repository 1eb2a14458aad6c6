import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../../services.js';
import type { FinderOutcome } from '../finder.js';
import type { PublicDirectory } from '../public-directory.js';
import type { SharedBody } from '../../../platform/http/precompressed.js';
import { createResponseCache, sendCachedPage } from './page-cache.js';
import { servicePageContext } from './service-page-context.js';
import { requestLanguage } from '../../../platform/http/render.js';

function text(value: unknown, max: number): string {
  const first = Array.isArray(value) ? (value[0] as unknown) : value;
  if (typeof first !== 'string') return '';
  // Full-width letters and digits ("ＭＥ１４", from some phone keyboards) read as the plain ones; invisible direction
  // marks pasted with a postcode are dropped; the tabs and line breaks the query's cleaning keeps read as spaces.
  // eslint-disable-next-line no-control-regex -- matching them is the point
  return first.slice(0, max * 2).normalize('NFKC').replace(/[\u200e\u200f\u061c]/g, '').replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, max);
}

/** Whatever is in the address, the finder answers with a page: nothing here can fail on bad input. */
export function finderQuery(request: FastifyRequest) {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const page = Number.parseInt(text(query['page'], 6), 10);
  return {
    location: text(query['location'], 100).trim(),
    need: text(query['need'], 60).trim().toLowerCase(),
    group: text(query['group'], 60).trim().toLowerCase(),
    area: text(query['area'], 60).trim() || undefined,
    page: Number.isFinite(page) && page > 0 ? page : 1,
    submitted: 'location' in query || 'need' in query || 'group' in query,
  };
}

/**
 * Whether words not found as a place are said back in the page's sentence. Anyone can send a link to the finder: a
 * sentence of their own ("Your refuge place is confirmed. Call ...") shown in the site's voice could mislead someone
 * at risk. What people type for a place (a town, a postcode) is short and has no sentence in it.
 */
function looksLikeAPlace(text: string): boolean {
  return text.length <= 30 && text.split(/\s+/).length <= 4 && /^[\p{L}\p{M}\d\s'’.,-]+$/u.test(text);
}

/** A search as the finder's address holds it: what a link back to its results carries. */
function searchOf(query: { location: string; need: string; group: string; area?: string | undefined; page: number }): Record<string, string | undefined> {
  return { location: query.location, need: query.need, group: query.group, area: query.area, page: query.page > 1 ? String(query.page) : undefined };
}

/** Which terms were searched, as the sentences' keys say it: help offered, who it is for, or both. */
function termsKind(outcome: FinderOutcome): '' | 'Need' | 'Group' | 'Both' {
  if (outcome.need && outcome.group) return 'Both';
  return outcome.need ? 'Need' : outcome.group ? 'Group' : '';
}

/** The summary sentence key: which of place, need and group were searched, one result or many. */
function summaryKey(outcome: FinderOutcome): string {
  const terms = termsKind(outcome);
  const kind = outcome.place.kind === 'none' ? terms.toLowerCase() : `place${terms}`;
  return `directory.results.summary.${kind}.${outcome.total === 1 ? 'one' : 'many'}`;
}

function placeLabel(outcome: FinderOutcome): string {
  const place = outcome.place;
  return 'label' in place ? place.label : '';
}

export function needOptions(directory: PublicDirectory) {
  return {
    needs: directory.terms.filter((term) => term.taxonomyCode === 'needs'),
    groups: directory.terms.filter((term) => term.taxonomyCode === 'groups'),
  };
}

export function registerFinderRoutes(app: FastifyInstance, services: Services): void {
  const { directory, clock } = services;
  // Identical for everyone who asks the same address; the directory's generation is part of the key.
  const pages = createResponseCache<SharedBody>({ maxEntries: 300, ttlMs: 60_000, clock });

  app.get('/services', { config: { access: 'public' } }, async (request, reply) => {
    const published = await directory.published.current();
    const cached = `${String(published.generation)}|${request.url}`;
    await sendCachedPage(pages, request, reply, cached, async (page) => {
      const query = finderQuery(request);
      const outcome = await directory.find(query);
      page.render('directory/finder.njk', {
        query,
        outcome,
        summaryKey: summaryKey(outcome),
        // The sentences for a need alone have no suffix; ".group" and ".both" are said of who the help is for.
        termsSuffix: { '': '', Need: '', Group: '.group', Both: '.both' }[termsKind(outcome)],
        // What a link from this page keeps of the search: the need and group as understood, nothing unrecognised.
        searched: { need: outcome.need?.code, group: outcome.group?.code },
        resultsSearch: searchOf({ ...query, need: outcome.need?.code ?? '', group: outcome.group?.code ?? '', page: outcome.page }),
        placeLabel: placeLabel(outcome),
        echoedPlace: looksLikeAPlace(query.location) ? query.location : undefined,
        ...needOptions(published),
        areas: published.areas,
        robots: outcome.state === 'start' ? 'index, follow' : undefined,
      });
    });
    return reply;
  });

  app.get('/services/:id', { config: { access: 'public' } }, async (request, reply) => {
    const id = (request.params as { id: string }).id;
    const published = await directory.published.current();
    const service = published.serviceById.get(id.toLowerCase());
    // An old link to a service that closed or moved (or a mistyped one) still leads somewhere useful.
    if (!service) return reply.code(404).render('directory/service-missing.njk');
    // Reached from results (their search is on the link): Back leaves the site, so the page leads back to them itself.
    // That copy is for the reader, not search engines, and is kept by what it shows, not by whatever else the address holds.
    const query = finderQuery(request);
    const backToResults = query.submitted ? searchOf(query) : undefined;
    const context = { ...servicePageContext(service, published, clock()), robots: backToResults ? undefined : 'index, follow', backToResults };
    const key = [published.generation, service.id, requestLanguage(request), JSON.stringify(backToResults ?? null)].join('|');
    await sendCachedPage(pages, request, reply, key, (page) => {
      page.render('directory/service.njk', context);
      return Promise.resolve();
    });
    return reply;
  });
}
