import { pagination } from '../../../platform/views/pagination.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ROLES, type Actor } from '../../../platform/access/policy.js';
import type { User } from '../../../platform/access/users.js';
import { originOfRequest, parseForm } from '../../../platform/http/forms.js';
import { createSearchSeal } from '../../../platform/http/sealed-search.js';
import { singleError, type FormErrors } from '../../../platform/views/form-errors.js';
import type { Services } from '../../../services.js';
import { inviteForm, userListQuery, userSearchForm, userSearchWordsOf } from '../schemas.js';
import { AdminRuleError, displayStatus } from '../service.js';
import { actorOf, queryOf } from './common.js';

export const USERS = '/app/admin/users';
const PAGE_SIZE = 50;

/** `ROLES` reads "Name: what it allows"; the checkbox shows the name with the rest as its hint. */
export function roleChoices(allowed: readonly (keyof typeof ROLES)[]) {
  return allowed.map((role) => {
    const [name = role, ...rest] = ROLES[role].split(':');
    const explanation = rest.join(':').trim();
    return { value: role, text: name, ...(explanation ? { hint: { text: explanation.charAt(0).toUpperCase() + explanation.slice(1) } } : {}) };
  });
}

/** Names are encrypted, so a name search runs over the decrypted list of one organisation (or all, for a system administrator). */
function matches(user: User, search: string): boolean {
  const needle = search.toLowerCase();
  return user.name.toLowerCase().includes(needle) || user.email.includes(needle);
}

export function registerUserListRoutes(app: FastifyInstance, services: Services): void {
  const { admin, users, reference } = services;
  const manage = { config: { access: 'users.manage' as const } };
  const seesEveryOrganisation = (actor: Actor) => actor.roles.includes('system_admin');

  const seal = createSearchSeal(services.crypto);
  /** The list's address: the organisation chosen, and the name or email searched for, sealed (see sealed-search.ts). */
  const listAddress = (organisationId: string | undefined, search: string, page = 1) =>
    `${USERS}?${new URLSearchParams({ ...(organisationId ? { organisation: organisationId } : {}), ...(search ? { q: seal.seal(search) } : {}), ...(page > 1 ? { page: String(page) } : {}) }).toString()}`.replace(/\?$/, '');

  const TAMPERED = 'This search address has been changed or has expired. Type the name or email address again and search';

  async function showList(reply: FastifyReply, actor: Actor, asked: { organisation?: string | undefined; search: string; page: number; errors?: FormErrors }) {
    const { search } = asked;
    const organisations = await reference.listOrganisations();
    const organisationId = seesEveryOrganisation(actor) ? organisations.find((organisation) => organisation.id === asked.organisation)?.id : actor.organisationId;
    const names = new Map(organisations.map((organisation) => [organisation.id, organisation.name]));
    const all = (await users.listForOrganisation(organisationId)).filter((user) => !search || matches(user, search));
    const pageCount = Math.max(1, Math.ceil(all.length / PAGE_SIZE));
    const page = Math.min(asked.page, pageCount);
    const pageLink = (number: number) => listAddress(seesEveryOrganisation(actor) ? organisationId : undefined, search, number);
    return reply.code(asked.errors ? 400 : 200).render('admin/users.njk', {
      errors: asked.errors,
      everyOrganisation: seesEveryOrganisation(actor),
      ownOrganisation: names.get(actor.organisationId),
      organisationId: organisationId ?? '',
      search,
      organisationChoices: [{ value: '', text: 'All organisations' }, ...organisations.map((organisation) => ({ value: organisation.id, text: organisation.name, selected: organisation.id === organisationId }))],
      total: all.length,
      users: all.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map((user) => ({
        ...user,
        organisationName: names.get(user.organisationId) ?? '',
        statusText: displayStatus(user),
        roleNames: user.roles.map((role) => ROLES[role].split(':')[0]),
      })),
      pagination: pagination(page, pageCount, pageLink),
    });
  }

  // The search form posts, so a colleague's name or email typed into it never appears in an address.
  app.post(USERS, manage, async (request, reply) => {
    const form = parseForm(userSearchForm, request);
    if (!form.ok) return showList(reply, actorOf(request), { search: '', page: 1, errors: form.errors });
    return reply.redirect(listAddress(form.data.organisation || undefined, form.data.q ?? ''), 303);
  });

  app.get(USERS, manage, async (request, reply) => {
    const query = userListQuery.parse(queryOf(request));
    const opened = query.q === undefined ? '' : seal.open(query.q);
    const words = opened === undefined ? undefined : userSearchWordsOf(opened);
    const asked = { organisation: query.organisation, page: query.page };
    if (!words?.success) {
      const message = words?.error.issues[0]?.message ?? TAMPERED;
      return showList(reply, actorOf(request), { ...asked, search: '', errors: singleError('q', message) });
    }
    return showList(reply, actorOf(request), { ...asked, search: words.data });
  });

  async function renderInvite(reply: FastifyReply, actor: Actor, values: Record<string, unknown>, errors?: FormErrors) {
    const organisations = await admin.invitableOrganisations(actor);
    const selected = [values['roles'] ?? []].flat();
    return reply.render('admin/invite.njk', {
      values,
      errors,
      everyOrganisation: seesEveryOrganisation(actor),
      ownOrganisation: organisations.find((organisation) => organisation.id === actor.organisationId)?.name,
      organisationChoices: [
        { value: '', text: 'Select an organisation' },
        ...organisations.map((organisation) => ({ value: organisation.id, text: organisation.name, selected: organisation.id === values['organisationId'] })),
      ],
      roleChoices: roleChoices(admin.assignableRoles(actor)).map((choice) => ({ ...choice, checked: selected.includes(choice.value) })),
    });
  }

  app.get(`${USERS}/invite`, manage, (request, reply) => {
    const actor = actorOf(request);
    return renderInvite(reply, actor, { organisationId: seesEveryOrganisation(actor) ? '' : actor.organisationId });
  });

  app.post(`${USERS}/invite`, manage, async (request, reply) => {
    const actor = actorOf(request);
    // An organisation administrator invites into their own organisation only, whatever the form says.
    const body = { ...(request.body as Record<string, unknown>), ...(seesEveryOrganisation(actor) ? {} : { organisationId: actor.organisationId }) };
    request.body = body;
    const form = parseForm(inviteForm(admin.assignableRoles(actor)), request);
    if (!form.ok) return renderInvite(reply.code(400), actor, form.values, form.errors);
    try {
      const id = await admin.invite(actor, form.data, originOfRequest(request));
      return await reply.redirect(`${USERS}/${id}?notice=invited`, 303);
    } catch (error: unknown) {
      if (error instanceof AdminRuleError) return renderInvite(reply.code(400), actor, form.data, singleError(error.field, error.message));
      throw error;
    }
  });
}
