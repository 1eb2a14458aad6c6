import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/access/policy.js';
import { UserFacingError } from '../../../platform/http/errors.js';
import { takeKeptForm } from '../../../platform/http/kept-form.js';
import { unfinishedPage } from '../drafts/service.js';
import { keptValues, originOfRequest, typedValues } from '../../../platform/http/forms.js';
import type { FormErrors } from '../../../platform/views/form-errors.js';
import type { Services } from '../../../services.js';
import { CHECKLIST, questionOf } from '../checklist.js';
import * as options from '../options.js';
import { londonDay } from '../../../platform/time/london.js';
import { ReferralValidationError } from '../service.js';
import { assembleReferral, missingPages } from './assemble.js';
import { cautionsFor, postcodeListedIn } from '../cautions.js';
import type { ReferralInput } from '../schemas.js';
import { asBody, rowIndexes } from './parse.js';
import { formPages, nextSlug, PAGE_SLUGS, previousSlug, type FormPage, type PageContext } from './pages.js';
import { checkAnswerSections } from './summary.js';

const CREATE = { config: { access: 'referrals.create' as const } };
/** A page of the form: sent after the session ended, what was typed is kept and shown again after signing in. */
const SAVE_PAGE = { config: { ...CREATE.config, keepsFormAcrossSignIn: true } };

type DraftParams = { id: string; page: string };

/** The referral form: one topic per page, saved as a server-side draft on every page, then check and send. */
export function registerReferralForm(app: FastifyInstance, services: Services): void {
  // "Today" as on a clock in England: during summer time the UTC date is still yesterday until 1am.
  const today = () => londonDay(services.clock());
  let built: { readonly districtsKey: string; readonly context: PageContext; readonly pages: FormPage[] } | undefined;

  /** The form's pages, their rules built once for the districts the rules cover: building them cost more than using them. */
  async function form(): Promise<{ readonly context: PageContext; readonly pages: FormPage[] }> {
    const districts = await services.referrals.districts();
    const districtsKey = districts.map((district) => `${district.code}:${district.name}`).join('|');
    if (built?.districtsKey !== districtsKey) {
      const context = { today, districts };
      built = { districtsKey, context, pages: formPages(context) };
    }
    return built;
  }

  async function pageContext(): Promise<PageContext> {
    return (await form()).context;
  }

  function actorOf(request: FastifyRequest): Actor {
    if (!request.actor) throw new Error('referral form reached without a signed-in actor');
    return request.actor;
  }

  const base = (id: string) => `/app/referrals/drafts/${id}`;
  const changing = (request: FastifyRequest) => (request.query as Record<string, unknown>)['change'] === '1';

  async function renderPage(
    reply: FastifyReply,
    request: FastifyRequest,
    id: string,
    page: FormPage,
    values: Record<string, unknown>,
    errors?: FormErrors,
    { restored, answers }: { restored?: 'session-ended' | 'unfinished'; answers?: DraftAnswers } = {},
  ) {
    const context = await pageContext();
    const extraRows = (request.query as Record<string, unknown>)['add'];
    const view = {
      draftId: id,
      page,
      values,
      action: `${base(id)}/${page.slug}${changing(request) ? '?change=1' : ''}`,
      backLink: changing(request) ? `${base(id)}/check` : previousSlug(page.slug) ? `${base(id)}/${String(previousSlug(page.slug))}` : '/app/referrals',
      options,
      districts: context.districts,
      questions: page.slug.startsWith('dash-') ? (CHECKLIST.pages.find((candidate) => `dash-${candidate.slug}` === page.slug)?.questions ?? []).map((key) => questionOf(key)) : [],
      dashPageNumber: CHECKLIST.pages.findIndex((candidate) => `dash-${candidate.slug}` === page.slug) + 1,
      dashPageCount: CHECKLIST.pages.length,
      rowCounts: rowCounts(values, typeof extraRows === 'string' ? extraRows : null),
      organisationName: request.viewer?.organisationName,
      referrerName: request.viewer?.name,
      radioItems,
      checkItems,
      districtItems,
      restored,
      earlier: answers ? earlierContact(answers) : {},
      earlierSources: page.slug.startsWith('dash-') && answers ? sourcesGiven(answers, page.slug) : [],
    };
    return errors ? reply.renderForm(page.template, errors, view) : reply.render(page.template, view);
  }

  app.get('/app/referrals/new', CREATE, (_request, reply) => reply.render('referrals/form/start.njk', { backLink: '/app/referrals' }));

  app.post('/app/referrals/new', CREATE, async (request, reply) => {
    const id = await services.referralDrafts.start(actorOf(request), originOfRequest(request));
    return reply.redirect(`${base(id)}/person`, 303);
  });

  app.get('/app/referrals/drafts/:id', CREATE, async (request, reply) => {
    const { id } = request.params as DraftParams;
    const draft = await services.referralDrafts.view(actorOf(request), id, 'resume', originOfRequest(request));
    return reply.redirect(`${base(id)}/${missingPages(draft.answers)[0] ?? 'check'}`, 303);
  });

  app.get('/app/referrals/drafts/:id/recent-referral', CREATE, async (request, reply) => {
    const { id } = request.params as DraftParams;
    const actor = actorOf(request);
    const draft = await services.referralDrafts.view(actor, id, 'recent-referral', originOfRequest(request));
    const person = draft.answers['person'] ?? {};
    const onward = changing(request) ? `${base(id)}/check` : `${base(id)}/${nextSlug('person')}`;
    const recent = await services.referrals.recentReferralFor(actor, identifying(person), originOfRequest(request));
    if (!recent) return reply.redirect(onward, 303);
    return reply.render('referrals/form/recent-referral.njk', { recent, onward, backLink: `${base(id)}/person` });
  });

  app.get('/app/referrals/drafts/:id/check', CREATE, async (request, reply) => {
    const { id } = request.params as DraftParams;
    return renderCheck(request, reply, id);
  });

  async function renderCheck(request: FastifyRequest, reply: FastifyReply, id: string, errors?: FormErrors) {
    const actor = actorOf(request);
    const draft = await services.referralDrafts.view(actor, id, 'check', originOfRequest(request));
    const { context, pages } = await form();
    const missing = missingPages(draft.answers);
    const person = draft.answers['person'];
    const input = missing.length === 0 ? await inputOf(actor, draft.answers) : undefined;
    const preview = input ? await previewOf(actor, id, input, request) : undefined;
    // The preview has read earlier referrals of this person already (and audited it): asked again only without one.
    const recent = preview ? preview.recentReferral : person && missing.length === 0 ? await services.referrals.recentReferralFor(actor, identifying(person), originOfRequest(request)) : null;
    const view = {
      preview,
      cautions: input && preview ? cautionsFor(input, preview, await services.referrals.referralRules(), await postcodeListedIn(input, (outward) => services.reference.getPostcodeDistrict(outward))) : [],
      names: Object.fromEntries(context.districts.map((district) => [district.code, district.name])),
      riskLabels: options.RISK_LEVEL_LABELS,
      draftId: id,
      sections: checkAnswerSections(draft.answers, { base: base(id), districts: context.districts, organisationName: request.viewer?.organisationName ?? '', referrerName: request.viewer?.name ?? '' }),
      missing: missing.map((slug) => ({ slug, title: pages.find((page) => page.slug === slug)?.title ?? slug, href: `${base(id)}/${slug}` })),
      recent,
      backLink: `${base(id)}/${PAGE_SLUGS.at(-1) ?? 'person'}`,
    };
    return errors ? reply.renderForm('referrals/form/check.njk', errors, view) : reply.render('referrals/form/check.njk', view);
  }

  /** The referral a draft makes, with the practitioner's own details as referrer; none while answers are missing. */
  async function inputOf(actor: Actor, answers: Parameters<typeof assembleReferral>[0]) {
    const account = await services.users.get(actor.userId);
    return account ? assembleReferral(answers, { name: account.name, email: account.email }) : undefined;
  }

  /** Where the draft would go if sent now, and why; none while the rules cannot route it (sending then says why). */
  async function previewOf(actor: Actor, id: string, input: ReferralInput, request: FastifyRequest) {
    try {
      return await services.referrals.preview({ kind: 'user', userId: actor.userId, organisationId: actor.organisationId }, input, id, originOfRequest(request));
    } catch (error) {
      // The answers stay reviewable whatever routing makes of them: sending says what is wrong, or fails on its own.
      if (!(error instanceof ReferralValidationError)) request.log.error({ err: error }, 'referral routing preview failed');
      return undefined;
    }
  }

  app.post('/app/referrals/drafts/:id/check', CREATE, async (request, reply) => {
    const { id } = request.params as DraftParams;
    const actor = actorOf(request);
    const origin = originOfRequest(request);
    const toSent = (referralId: string) => reply.redirect(`/app/referrals/${referralId}/sent`, 303);
    // A draft already sent (pressed twice at once, or again after a slow answer) shows the referral it made.
    const sentOr = async (error: unknown) => {
      const sent = await services.referrals.sentFromDraft(actor, id);
      if (sent === undefined) throw error;
      return toSent(sent);
    };
    let opened;
    try {
      opened = await Promise.all([services.users.get(actor.userId), services.referralDrafts.openToSend(actor, id, origin)]);
    } catch (error) {
      return sentOr(error);
    }
    const [account, { draft, viewed }] = opened;
    if (!account) throw new UserFacingError(404, 'Account not found.');
    const input = assembleReferral(draft.answers, { name: account.name, email: account.email });
    if (!input) {
      await services.audit.record(viewed);
      const pages = (await form()).pages;
      const missing = missingPages(draft.answers);
      return renderCheck(request, reply, id, {
        summary: missing.map((slug) => ({ text: `Answer the questions on “${pages.find((page) => page.slug === slug)?.title ?? slug}”`, href: `${base(id)}/${slug}` })),
        byField: {},
      });
    }
    let outcome;
    try {
      // The read of the draft is audited in the submission's own step, so that a send is one step of the chain.
      outcome = await services.referrals.submit({ kind: 'user', userId: actor.userId, organisationId: actor.organisationId }, input, origin, { draftId: id, audit: [viewed] });
    } catch (error) {
      await services.audit.record(viewed);
      if (!(error instanceof ReferralValidationError)) return sentOr(error);
      return renderCheck(request, reply, id, { summary: error.issues.map((issue) => ({ text: issue.message, href: `${base(id)}/person?change=1` })), byField: {} });
    }
    return toSent(outcome.id);
  });

  app.get('/app/referrals/drafts/:id/delete', CREATE, async (request, reply) => {
    const { id } = request.params as DraftParams;
    await services.referralDrafts.view(actorOf(request), id, 'delete', originOfRequest(request));
    return reply.render('referrals/form/delete.njk', { draftId: id, backLink: '/app/referrals' });
  });

  app.post('/app/referrals/drafts/:id/delete', CREATE, async (request, reply) => {
    const { id } = request.params as DraftParams;
    await services.referralDrafts.remove(actorOf(request), id, originOfRequest(request));
    return reply.redirect('/app/referrals?deleted=1', 303);
  });

  app.get('/app/referrals/drafts/:id/:page', CREATE, async (request, reply) => {
    const { id, page: slug } = request.params as DraftParams;
    // Taken before anything can refuse the page, so a form kept for a page that cannot be shown is not offered again.
    const kept = await takeKeptForm(request, reply, services);
    const page = (await form()).pages.find((candidate) => candidate.slug === slug);
    if (!page) {
      reply.callNotFound();
      return reply;
    }
    const draft = await services.referralDrafts.view(actorOf(request), id, slug, originOfRequest(request));
    const { answers } = draft;
    if (kept) return renderPage(reply, request, id, page, kept, undefined, { restored: 'session-ended', answers });
    const unfinished = unfinishedPage(answers, slug);
    if (unfinished) return renderPage(reply, request, id, page, unfinished, undefined, { restored: 'unfinished', answers });
    const saved = answers[slug];
    return renderPage(reply, request, id, page, saved ? page.values(saved) : {}, undefined, { answers });
  });

  app.post('/app/referrals/drafts/:id/:page', SAVE_PAGE, async (request, reply) => {
    const { id, page: slug } = request.params as DraftParams;
    const page = (await form()).pages.find((candidate) => candidate.slug === slug);
    if (!page) {
      reply.callNotFound();
      return reply;
    }
    const actor = actorOf(request);
    const body = asBody(request.body);
    const values = typedValues(request);
    // "Use this number here": a detail given on an earlier page, put in this one without typing it again (WCAG 3.3.7).
    const reuse = typeof body['useEarlier'] === 'string' ? body['useEarlier'] : null;
    if (reuse !== null) {
      const { answers } = await services.referralDrafts.view(actor, id, slug, originOfRequest(request));
      const { useEarlier: _chosen, ...typed } = values;
      const earlier = earlierContact(answers)[reuse as keyof EarlierContact];
      return renderPage(reply, request, id, page, earlier ? { ...typed, [reuse]: earlier } : typed, undefined, { answers });
    }
    const result = page.parse(body, await pageContext());
    if (!result.ok) {
      if (body['later'] === '1') {
        const { later: _later, ...typed } = values;
        await services.referralDrafts.keepUnfinished(actor, id, slug, keptValues(typed), originOfRequest(request));
        return reply.redirect('/app/referrals?saved=1', 303);
      }
      const { answers } = await services.referralDrafts.view(actor, id, slug, originOfRequest(request));
      return renderPage(reply, request, id, page, values, result.errors, { answers });
    }
    await services.referralDrafts.savePage(actor, id, slug, result.data, originOfRequest(request));
    if (body['later'] === '1') return reply.redirect('/app/referrals?saved=1', 303);
    const add = typeof body['add'] === 'string' ? body['add'] : null;
    if (add === 'children' || add === 'adults' || add === 'incidents') {
      // To the new row's first box (the row rowCounts adds): the browser scrolls to it and focuses it, as GOV.UK's
      // add-another pattern asks.
      const row = Math.max(...rowIndexes(values, add, true), -1) + 1;
      const first = add === 'incidents' ? `incidents-${String(row)}-date-day` : `${add}-${String(row)}-name`;
      return reply.redirect(`${base(id)}/${slug}?add=${add}${changing(request) ? '&change=1' : ''}#${first}`, 303);
    }
    if (slug === 'person') return reply.redirect(`${base(id)}/recent-referral${changing(request) ? '?change=1' : ''}`, 303);
    return reply.redirect(changing(request) ? `${base(id)}/check` : `${base(id)}/${nextSlug(slug)}`, 303);
  });
}

type DraftAnswers = Readonly<Record<string, Record<string, unknown> | undefined>>;
interface EarlierContact {
  readonly phone?: string;
  readonly email?: string;
}

/**
 * Who gave answers on the other pages of the risk checklist, offered on each "who gave the answer" box so the same
 * person is chosen, not typed again (WCAG 3.3.7).
 */
function sourcesGiven(answers: DraftAnswers, exceptSlug: string): string[] {
  const sources = Object.entries(answers)
    .filter(([slug]) => slug.startsWith('dash-') && slug !== exceptSlug)
    .flatMap(([, saved]) => Object.values((saved?.['answers'] ?? {}) as Record<string, { source?: unknown }>))
    .map((entry) => entry.source)
    .filter((source): source is string => typeof source === 'string' && source.trim() !== '');
  return [...new Set(sources)];
}

/** The person's own phone and email from the first page, offered (never copied unasked) where safe ones are asked for. */
function earlierContact(answers: DraftAnswers): EarlierContact {
  const person = answers['person'] ?? {};
  const text = (key: string) => (typeof person[key] === 'string' && person[key] !== '' ? { [key]: person[key] } : {});
  return { ...text('phone'), ...text('email') };
}

function identifying(person: Record<string, unknown>) {
  const text = (key: string) => (typeof person[key] === 'string' ? person[key] : null);
  return { firstName: text('firstName') ?? '', lastName: text('lastName'), dateOfBirth: text('dateOfBirth'), phone: text('phone'), postcode: text('postcode'), district: text('district') };
}

/** How many rows each repeating group shows: those with values, plus one empty row to add another. */
function rowCounts(values: Record<string, unknown>, adding: string | null): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const group of ['children', 'adults', 'incidents']) {
    const highest = Math.max(-1, ...rowIndexes(values, group, true));
    counts[group] = Math.max(highest + 1 + (adding === group ? 1 : 0), 1);
  }
  return counts;
}

type Choice = { readonly value: string; readonly text: string };

function radioItems(list: readonly Choice[], selected: unknown) {
  return list.map((option) => ({ value: option.value, text: option.text, checked: option.value === selected }));
}

function checkItems(list: readonly Choice[], selected: unknown) {
  const chosen = Array.isArray(selected) ? selected : typeof selected === 'string' ? [selected] : [];
  return list.map((option) => ({ value: option.value, text: option.text, checked: chosen.includes(option.value) }));
}

function districtItems(districts: ReadonlyArray<{ code: string; name: string }>, selected: unknown) {
  return [{ value: '', text: 'Choose a district' }, ...districts.map((district) => ({ value: district.code, text: district.name, selected: district.code === selected }))];
}
