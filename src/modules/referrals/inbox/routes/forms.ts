import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Actor } from '../../../../platform/access/policy.js';
import type { RequestOrigin } from '../../../../platform/auth/service.js';
import { StaleVersionError } from '../../../../platform/db/versioning.js';
import { originOfRequest, parseForm, typedValues } from '../../../../platform/http/forms.js';
import { singleError, type FormErrors } from '../../../../platform/views/form-errors.js';
import type { Services } from '../../../../services.js';
import { InboxActionError } from '../actions.js';
import { londonParts } from '../../../../platform/time/london.js';
import { CLOSURE_OUTCOMES, CONTACT_METHODS, DECLINE_REASONS, OUTCOMES } from '../options.js';
import { contactForm, declineForm, outcomeForm } from '../schemas.js';
import type { ReferralInbox } from '../service.js';
import { formLevelError } from '../../../../platform/views/stale-edit.js';
import { actorOf, INBOX, pointDateErrorsAtDay, RECEIVE, routeIdOf, STALE_ROUTE_MESSAGE } from './common.js';

type RouteForAction = Awaited<ReturnType<ReferralInbox['routeForAction']>>;

/** One action page: its form schema, what it shows first, and the service call that saves it. */
interface ActionPage<S extends z.ZodType> {
  readonly slug: 'decline' | 'contact' | 'outcome';
  readonly firstField: string;
  readonly allowed: (route: RouteForAction) => boolean;
  readonly initialValues: (now: Date) => Record<string, unknown>;
  readonly schema: (route: RouteForAction, now: Date) => S;
  readonly fixErrors?: (errors: FormErrors) => FormErrors;
  /** Saves and gives the address to go to next. */
  readonly save: (inbox: ReferralInbox, actor: Actor, routeId: string, data: z.infer<S>, origin: RequestOrigin) => Promise<string>;
}

const OPTIONS = { declineReasons: DECLINE_REASONS, contactMethods: CONTACT_METHODS, outcomes: OUTCOMES, closureOutcomes: CLOSURE_OUTCOMES };

const decline: ActionPage<typeof declineForm> = {
  slug: 'decline',
  firstField: 'reason',
  allowed: (route) => route.can.decline,
  initialValues: () => ({}),
  schema: () => declineForm,
  save: async (inbox, actor, routeId, data, origin) => {
    const result = await inbox.decline(actor, routeId, data, origin);
    return `${INBOX}?notice=${result.passedTo ? 'declined' : 'declined-kept'}`;
  },
};

const contact: ActionPage<ReturnType<typeof contactForm>> = {
  slug: 'contact',
  firstField: 'contactDate-day',
  allowed: (route) => route.can.logContact,
  initialValues: (now) => {
    const local = londonParts(now);
    return { 'contactDate-day': String(local.day), 'contactDate-month': String(local.month), 'contactDate-year': String(local.year) };
  },
  // A few minutes' grace for a device clock slightly ahead of the server's.
  // Times are typed to the minute: the minute the referral arrived counts as after it.
  schema: (route, now) => contactForm({ earliest: new Date(Math.floor(new Date(route.submittedAt).getTime() / 60_000) * 60_000), latest: new Date(now.getTime() + 5 * 60_000) }),
  fixErrors: (errors) => pointDateErrorsAtDay(errors, 'contactDate'),
  save: async (inbox, actor, routeId, data, origin) => {
    await inbox.logContact(actor, routeId, data, origin);
    return `${INBOX}/${routeId}?notice=contact`;
  },
};

const outcome: ActionPage<typeof outcomeForm> = {
  slug: 'outcome',
  firstField: 'outcome',
  allowed: (route) => route.can.recordOutcome,
  initialValues: () => ({}),
  schema: () => outcomeForm,
  save: async (inbox, actor, routeId, data, origin) => {
    await inbox.recordOutcome(actor, routeId, data, origin);
    return `${INBOX}/${routeId}?notice=outcome`;
  },
};

/** Decline, log a contact attempt, record the outcome: GOV.UK form pages with the same error handling. */
export function registerActionForms(app: FastifyInstance, services: Services): void {
  register(app, services, decline);
  register(app, services, contact);
  register(app, services, outcome);
}

function register<S extends z.ZodType>(app: FastifyInstance, services: Services, page: ActionPage<S>): void {
  const inbox = services.referralInbox;
  const template = `referrals-inbox/${page.slug}.njk`;

  /** The page shows the referral's key facts beside the form, so it is a read of case data and audited as one. */
  async function show(request: FastifyRequest, reply: FastifyReply, values: Record<string, unknown>, errors?: FormErrors) {
    const received = await inbox.view(actorOf(request), routeIdOf(request), originOfRequest(request));
    if (!page.allowed({ ...received.route, submittedAt: received.referral.submittedAt, can: received.can })) {
      // The state moved on (someone else acted): the referral page explains where it stands.
      return reply.render('referrals-inbox/referral.njk', { ...received, errors: errors ? formLevelError(errors.summary[0]?.text ?? STALE_ROUTE_MESSAGE, 'actions') : undefined, backLink: INBOX });
    }
    return reply.render(template, { ...received, ...OPTIONS, values: { ...values, version: values['version'] ?? received.route.version }, errors, backLink: `${INBOX}/${received.route.id}` });
  }

  app.get(`${INBOX}/:routeId/${page.slug}`, RECEIVE, async (request, reply) => {
    const route = await inbox.routeForAction(actorOf(request), routeIdOf(request), originOfRequest(request));
    if (!page.allowed(route)) return reply.redirect(`${INBOX}/${route.id}`, 303);
    return show(request, reply, page.initialValues(services.clock()));
  });

  app.post(`${INBOX}/:routeId/${page.slug}`, RECEIVE, async (request, reply) => {
    const actor = actorOf(request);
    const origin = originOfRequest(request);
    const route = await inbox.routeForAction(actor, routeIdOf(request), origin);
    const form = parseForm(page.schema(route, services.clock()), request);
    if (!form.ok) return show(request, reply.code(400), form.values, page.fixErrors ? page.fixErrors(form.errors) : form.errors);
    try {
      return await reply.redirect(await page.save(inbox, actor, route.id, form.data, origin), 303);
    } catch (error: unknown) {
      const typed = typedValues(request);
      if (error instanceof StaleVersionError || (error instanceof InboxActionError && error.field === 'version')) {
        // Shown against the latest saved state, with what was typed kept so nothing has to be typed again.
        const latest = await inbox.routeForAction(actor, route.id, origin);
        return show(request, reply.code(409), { ...typed, version: latest.version }, formLevelError(error instanceof StaleVersionError ? STALE_ROUTE_MESSAGE : error.message, page.firstField));
      }
      if (error instanceof InboxActionError) return show(request, reply.code(400), typed, singleError(error.field, error.message));
      throw error;
    }
  });
}
