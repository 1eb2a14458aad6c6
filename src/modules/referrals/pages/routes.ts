import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../../platform/access/policy.js';
import { originOfRequest } from '../../../platform/http/forms.js';
import type { Services } from '../../../services.js';
import { resumePage } from '../form/assemble.js';
import { answersOfInput, checkAnswerSections } from '../form/summary.js';
import { RISK_LEVEL_LABELS } from '../options.js';
import { DRAFT_KEPT_DAYS } from '../drafts/service.js';

const CREATE = { config: { access: 'referrals.create' as const } };

/** The referrer's own referrals: the list with drafts, the confirmation after sending, and each referral. */
export function registerReferralPages(app: FastifyInstance, services: Services): void {
  function actorOf(request: FastifyRequest): Actor {
    if (!request.actor) throw new Error('referral page reached without a signed-in actor');
    return request.actor;
  }

  async function districtNames(): Promise<Map<string, string>> {
    return new Map((await services.referrals.districts()).map((district) => [district.code, district.name]));
  }

  app.get('/app/referrals', CREATE, async (request, reply) => {
    const actor = actorOf(request);
    const [referrals, drafts, names] = await Promise.all([services.referrals.listOwn(actor, originOfRequest(request)), services.referralDrafts.listOwn(actor, originOfRequest(request)), districtNames()]);
    const query = request.query as Record<string, unknown>;
    return reply.render('referrals/list.njk', {
      referrals: referrals.map((referral) => ({ ...referral, districtName: names.get(referral.district) ?? referral.district, riskLabel: RISK_LEVEL_LABELS[referral.riskLevel] })),
      drafts: drafts.map((draft) => {
        const person = draft.answers['person'];
        const name = person ? [person['firstName'], person['lastName']].filter((part) => typeof part === 'string').join(' ') : '';
        return { id: draft.id, name: name || 'Person not named yet', updatedAt: draft.updatedAt, resumeHref: `/app/referrals/drafts/${draft.id}/${resumePage(draft.answers)}` };
      }),
      draftKeptDays: DRAFT_KEPT_DAYS,
      saved: query['saved'] === '1',
      deleted: query['deleted'] === '1',
    });
  });

  app.get('/app/referrals/:id/sent', CREATE, async (request, reply) => {
    const { id } = request.params as { id: string };
    const outcome = await services.referrals.outcomeFor(actorOf(request), id, originOfRequest(request));
    return reply.render('referrals/sent.njk', { outcome, names: Object.fromEntries(await districtNames()), riskLabels: RISK_LEVEL_LABELS });
  });

  app.get('/app/referrals/:id', CREATE, async (request, reply) => {
    const { id } = request.params as { id: string };
    const actor = actorOf(request);
    const outcome = await services.referrals.outcomeFor(actor, id, originOfRequest(request));
    const detail = await services.referrals.detailFor(actor, id, originOfRequest(request));
    const districts = await services.referrals.districts();
    const organisation = await services.reference.getOrganisation(detail.referrerOrganisationId);
    const referrer = detail.referrerUserId ? await services.users.viewer(detail.referrerUserId) : undefined;
    return reply.render('referrals/detail.njk', {
      outcome,
      detail,
      names: Object.fromEntries(districts.map((district) => [district.code, district.name])),
      riskLabels: RISK_LEVEL_LABELS,
      sections: checkAnswerSections(answersOfInput(detail.input), { base: '', districts, organisationName: organisation?.name ?? '', referrerName: referrer?.name ?? detail.input.referrer.name ?? 'Partner system' }),
      backLink: '/app/referrals',
    });
  });
}
