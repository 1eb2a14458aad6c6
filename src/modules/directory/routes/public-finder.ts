import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Services } from '../../../services.js';
import type { FinderOutcome } from '../finder.js';
import type { PlaceReference } from '../place-lookup.js';
import type { PublicDirectory } from '../public-directory.js';
import type { SharedBody } from '../../../platform/http/precompressed.js';
import { createResponseCache, sendCachedPage } from './page-cache.js';
import { servicePageContext } from './service-page-context.js';
import { requestLanguage } from '../../../platform/http/render.js';
import { localHref, type LanguageCode } from '../../../platform/i18n/translator.js';
import { createFinderSearches, type FinderSearch, type FinderSearches } from './finder-search.js';

function text(value: unknown, max: number): string {
  const first = Array.isArray(value) ? (value[0] as unknown) : value;
  if (typeof first !== 'string') return '';
  // Full-width letters and digits ("ＭＥ１４", from some phone keyboards) read as the plain ones; invisible direction
  // marks pasted with a postcode are dropped; the tabs and line breaks the query's cleaning keeps read as spaces.
  // eslint-disable-next-line no-control-regex -- matching them is the point
  return first.slice(0, max * 2).normalize('NFKC').replace(/[\u200e\u200f\u061c]/g, '').replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, max);
}

/** A search as a form or an address gives it, cleaned. */
function searchFrom(fields: Record<string, unknown>): FinderSearch {
  return {
    location: text(fields['location'], 100).trim(),
    need: text(fields['need'], 60).trim().toLowerCase(),
    group: text(fields['group'], 60).trim().toLowerCase(),
    area: text(fields['area'], 60).trim() || undefined,
  };
}

export interface FinderQuery extends FinderSearch {
  readonly page: number;
  readonly submitted: boolean;
  /**
   * The search sealed (see finder-search.ts): as the address carried it, or sealed for the links when the address
   * held a full postcode in words. Links onward carry it, never the words.
   */
  readonly sealed?: string;
  /** When it was sealed: a search made from it ends when it does. */
  readonly sealedAt?: number;
  /** The address carried a sealed search that has ended (or was not this service's): the page shows none of it. */
  readonly ended?: boolean;
}

const NO_SEARCH: FinderQuery = { location: '', need: '', group: '', page: 1, submitted: false };

/** Whatever is in the address, the finder answers with a page: nothing here can fail on bad input. */
export function finderQuery(request: FastifyRequest, searches: FinderSearches): FinderQuery {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const parsedPage = Number.parseInt(text(query['page'], 6), 10);
  const page = Number.isFinite(parsedPage) && parsedPage > 0 ? parsedPage : 1;
  const sealed = text(query['search'], 1000);
  if (sealed) {
    const opened = searches.open(sealed);
    return opened ? { ...opened.search, page, submitted: true, sealed, sealedAt: opened.sealedAt } : { ...NO_SEARCH, ended: true };
  }
  return { ...searchFrom(query), page, submitted: 'location' in query || 'need' in query || 'group' in query };
}

/**
 * A search whose words are not a known place (a full postcode, a street address), sealed: as the form's search is
 * before it leads to its results, and as a partner's link is for the links onward (the page answers at that address,
 * the stable one partners link to, but following its links adds the words to history no more).
 */
function withSealedLinks(query: FinderQuery, searches: FinderSearches, places: PlaceReference): FinderQuery {
  if (query.sealed || !searches.needsSealing(query, places)) return query;
  const { location, need, group, area } = query;
  return { ...query, sealed: searches.seal({ location, need, group, area }) };
}

/**
 * A page's language links: the same search (sealed if it has a sealed form) or none, never whatever else its address
 * held (the words of a full postcode, an ended search, a second value).
 */
function languageLinks(path: string, query: FinderQuery) {
  const search = query.submitted ? searchParams(query) : {};
  return { languageHref: (code: LanguageCode) => localHref(code, path, search) };
}

/** What a link to this search (at a page) carries: its sealed form if it has one, otherwise its words. */
function searchParams(query: FinderQuery, page = query.page): Record<string, string | undefined> {
  const pageParam = page > 1 ? String(page) : undefined;
  if (query.sealed) return { search: query.sealed, page: pageParam };
  return { location: query.location, need: query.need, group: query.group, area: query.area, page: pageParam };
}

/**
 * Whether words not found as a place are said back in the page's sentence. Anyone can send a link to the finder: a
 * sentence of their own ("Your refuge place is confirmed. Call ...") shown in the site's voice could mislead someone
 * at risk. What people type for a place (a town, a postcode) is short, with no full stop but in "St." and no run of
 * digits as long as a phone number's.
 */
function looksLikeAPlace(text: string): boolean {
  const withoutSaint = text.replace(/\bSt\./gi, 'St');
  return text.length <= 30 && text.split(/\s+/).length <= 4 && /^[\p{L}\p{M}\d\s'’,-]+$/u.test(withoutSaint) && !/\d{5}/.test(text);
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

/** The link from a search with no results to every kind of help in the same place. */
function allKindsOf(query: FinderQuery, searches: FinderSearches): Record<string, string | undefined> {
  const place = { location: query.location, need: '', group: '', area: query.area };
  return query.sealed ? { search: searches.seal(place, query.sealedAt) } : { location: place.location, area: place.area };
}

export function needOptions(directory: PublicDirectory) {
  return {
    needs: directory.terms.filter((term) => term.taxonomyCode === 'needs'),
    groups: directory.terms.filter((term) => term.taxonomyCode === 'groups'),
  };
}

export function registerFinderRoutes(app: FastifyInstance, services: Services): void {
  const { directory, clock } = services;
  const searches = createFinderSearches(services.crypto, clock);
  // Identical for everyone who asks the same address; the directory's generation is part of the key.
  const pages = createResponseCache<SharedBody>({ maxEntries: 300, ttlMs: 60_000, clock });

  app.get('/services', { config: { access: 'public' } }, async (request, reply) => {
    const published = await directory.published.current();
    // A sealed search is opened before the cache is asked, so a page is never served after its search has ended.
    const opened = 'search' in ((request.query ?? {}) as Record<string, unknown>) ? finderQuery(request, searches) : undefined;
    const cached = [published.generation, opened?.ended ? `ended|${requestLanguage(request)}` : request.url].join('|');
    await sendCachedPage(pages, request, reply, cached, async (page) => {
      const query = withSealedLinks(opened ?? finderQuery(request, searches), searches, published.places);
      const outcome = await directory.find(query);
      const understood = query.sealed ? query : { ...query, need: outcome.need?.code ?? '', group: outcome.group?.code ?? '' };
      page.render('directory/finder.njk', {
        query,
        outcome,
        summaryKey: summaryKey(outcome),
        // The sentences for a need alone have no suffix; ".group" and ".both" are said of who the help is for.
        termsSuffix: { '': '', Need: '', Group: '.group', Both: '.both' }[termsKind(outcome)],
        // What a link from this page keeps of the search: the need and group as understood, nothing unrecognised.
        searched: { need: outcome.need?.code, group: outcome.group?.code },
        resultsSearch: searchParams(understood, outcome.page),
        pageSearch: (number: number | string) => searchParams(understood, Number(number)),
        allKindsSearch: outcome.state === 'no-results' ? allKindsOf(query, searches) : undefined,
        placeLabel: placeLabel(outcome),
        echoedPlace: looksLikeAPlace(query.location) ? query.location : undefined,
        ...needOptions(published),
        areas: published.areas,
        robots: outcome.state === 'start' && !query.ended ? 'index, follow' : undefined,
        ...languageLinks('/services', understood),
      });
    });
    return reply;
  });

  // The finder's forms post: a search naming a full postcode must never be in an address (see finder-search.ts).
  app.post('/services', { config: { access: 'public', changesNothing: true } }, async (request, reply) => {
    const { places } = await directory.published.current();
    const query = withSealedLinks({ ...searchFrom((request.body ?? {}) as Record<string, unknown>), page: 1, submitted: true }, searches, places);
    const target = localHref(requestLanguage(request), '/services', searchParams(query));
    // Nothing asked: the finder says what to give, as it does for an address with an empty search.
    const asked = Boolean(query.location || query.need || query.group);
    return reply.redirect(asked ? target : `${target}${target.includes('?') ? '&' : '?'}location=`, 303);
  });

  app.get('/services/:id', { config: { access: 'public' } }, async (request, reply) => {
    const id = (request.params as { id: string }).id;
    const published = await directory.published.current();
    const service = published.serviceById.get(id.toLowerCase());
    // An old link to a service that closed or moved (or a mistyped one) still leads somewhere useful.
    if (!service) return reply.code(404).render('directory/service-missing.njk');
    // Reached from results (their search is on the link): Back leaves the site, so the page leads back to them itself.
    // That copy is for the reader, not search engines.
    const path = `/services/${service.id}`;
    const query = finderQuery(request, searches);
    // Kept by the results it leads back to (their sealed form or words, and page), not by the whole address.
    const key = [published.generation, service.id, requestLanguage(request), query.submitted ? JSON.stringify(searchParams(query)) : 'none'].join('|');
    await sendCachedPage(pages, request, reply, key, (page) => {
      const linked = withSealedLinks(query, searches, published.places);
      const backToResults = linked.submitted ? searchParams(linked) : undefined;
      page.render('directory/service.njk', {
        ...servicePageContext(service, published, clock()),
        robots: backToResults ? undefined : 'index, follow',
        backToResults,
        ...languageLinks(path, linked),
      });
      return Promise.resolve();
    });
    return reply;
  });
}
