import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { signIn, Visitor } from '../../../test/support/visitor.js';
import { currentTotpCode } from '../../platform/auth/totp.js';
import { DEMO_PASSWORD } from '../../platform/seed/demo-users.js';

describe('administering users', () => {
  let platform: TestPlatform;
  let admin: Visitor;
  beforeAll(async () => {
    platform = await createTestPlatform();
    admin = await signIn(platform, 'admin@demo.invalid');
  });
  afterAll(() => platform.close());

  const organisationId = async (slug: string) => {
    const organisation = await platform.services.reference.getOrganisationBySlug(slug);
    if (!organisation) throw new Error(`no organisation ${slug}`);
    return organisation.id;
  };
  const userId = async (email: string) => {
    const user = await platform.services.users.findByEmail(email);
    if (!user) throw new Error(`no user ${email}`);
    return user.id;
  };
  const auditEvents = (action: string, recordId: string) =>
    platform.services.db.kysely.selectFrom('audit_events').selectAll().where('action', '=', action).where('record_id', '=', recordId).execute();
  const outboxBodies = async () => {
    const rows = await platform.services.db.kysely.selectFrom('outbox_messages').select(['body_text', 'recipient_enc', 'send_before']).orderBy('created_at').execute();
    return rows.map((row) => ({ to: platform.services.crypto.decrypt(row.recipient_enc), body: platform.services.crypto.decrypt(row.body_text), sendBefore: row.send_before }));
  };

  it('invites someone, emails only a link, and the link lets them create a password', async () => {
    await admin.get('/app/admin/users/invite');
    const sent = await admin.post('/app/admin/users/invite', {
      name: 'Synthetic Invitee One',
      email: 'invitee.one@demo.invalid',
      organisationId: await organisationId('medway-council'),
      roles: ['practitioner', 'directory_editor'],
    });
    expect(sent.statusCode).toBe(303);
    const id = await userId('invitee.one@demo.invalid');
    expect(sent.headers.location).toBe(`/app/admin/users/${id}?notice=invited`);
    const page = await admin.get(String(sent.headers.location));
    expect(page.body).toContain('Invitation sent');
    expect(page.body).toContain('Synthetic Invitee One');

    const message = (await outboxBodies()).find((email) => email.to === 'invitee.one@demo.invalid');
    expect(message).toBeDefined();
    const links = message?.body.match(/https?:\/\/\S+/g) ?? [];
    expect(links).toHaveLength(1);
    expect(links[0]).toMatch(/\/app\/invitation\/[A-Za-z0-9_-]{20,}$/);
    expect(message?.body).not.toContain('Synthetic Invitee One');
    expect(message?.body).not.toMatch(/practitioner|directory|Medway/i);
    const token = await platform.services.db.kysely.selectFrom('user_tokens').select('expires_at').where('user_id', '=', id).executeTakeFirstOrThrow();
    expect(message?.sendBefore).toBe(token.expires_at); // not sent once the link has expired

    const invitee = new Visitor(platform.app);
    const opened = await invitee.get(new URL(links[0] ?? '').pathname);
    expect(opened.headers.location).toBe('/app/invitation/choose');
    await invitee.get('/app/invitation/choose');
    const chosen = await invitee.post('/app/invitation/choose', { password: 'a long synthetic passphrase', confirmPassword: 'a long synthetic passphrase' });
    expect(chosen.statusCode).toBe(303);
    expect(chosen.headers.location).toBe('/app/sign-in/set-up-authenticator');
    const user = await platform.services.users.get(id);
    expect(user).toMatchObject({ status: 'active', hasPassword: true, roles: ['practitioner', 'directory_editor'] });

    // With no authenticator yet, the code pages lead to setting one up.
    for (const page of ['/app/sign-in/code', '/app/sign-in/recovery-code']) expect((await invitee.get(page)).headers.location, page).toBe('/app/sign-in/set-up-authenticator');
    // Setting up the authenticator: a mistyped code keeps the secret the app was given, so nothing is scanned twice.
    const setUp = await invitee.get('/app/sign-in/set-up-authenticator');
    const secretOn = (body: string) => /data-testid="totp-secret">([^<]+)</.exec(body)?.[1]?.replace(/\s/g, '') ?? '';
    const secret = secretOn(setUp.body);
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    const validNow = [-30_000, 0, 30_000].map((offset) => currentTotpCode(secret, new Date(Date.now() + offset)));
    const wrongCode = ['000000', '111111', '222222', '333333'].find((code) => !validNow.includes(code)) ?? '';
    const wrong = await invitee.post('/app/sign-in/set-up-authenticator', { code: wrongCode, sealed: /name="sealed" value="([^"]+)"/.exec(setUp.body)?.[1] ?? '' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Enter the code your app shows now for this account');
    expect(secretOn(wrong.body)).toBe(secret);
    const right = await invitee.post('/app/sign-in/set-up-authenticator', { code: currentTotpCode(secret), sealed: /name="sealed" value="([^"]+)"/.exec(wrong.body)?.[1] ?? '' });
    expect(right.statusCode).toBe(200);
    expect(right.body).toContain('recovery codes');
    // The old email again, some day later: they have a password now, so they sign in (or reset it).
    const again = await new Visitor(platform.app).get(new URL(links[0] ?? '').pathname);
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('If you have set your password, sign in. If you have forgotten it, ask for a password reset.');
    expect(again.body).toContain('href="/app/sign-in"');
  });

  it('shows what is wrong with an invitation and keeps what was typed', async () => {
    await admin.get('/app/admin/users/invite');
    const response = await admin.post('/app/admin/users/invite', { name: 'Synthetic Typo Person', email: 'not-an-email', organisationId: '' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('govuk-error-summary');
    expect(response.body).toContain('Enter an email address in the correct format');
    expect(response.body).toContain('Select their organisation');
    expect(response.body).toContain('Select at least one role');
    expect(response.body).toContain('value="Synthetic Typo Person"');
    // Sent with no organisation at all (a tool, or a form altered in the browser): the same words, not a generic question.
    const without = await admin.post('/app/admin/users/invite', { name: 'Synthetic Typo Person', email: 'typo@demo.invalid', roles: 'practitioner' });
    expect(without.statusCode).toBe(400);
    expect(without.body).toContain('<a href="#organisationId">Select their organisation</a>');
  });

  it('refuses a second account with the same email address', async () => {
    await admin.get('/app/admin/users/invite');
    const response = await admin.post('/app/admin/users/invite', {
      name: 'Synthetic Duplicate',
      email: 'Practitioner@demo.invalid',
      organisationId: await organisationId('kent-police'),
      roles: 'practitioner',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('There is already an account with this email address');
  });

  it('records who looked at an account', async () => {
    const id = await userId('marac@demo.invalid');
    const page = await admin.get(`/app/admin/users/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('marac@demo.invalid');
    const viewed = await auditEvents('USER_VIEWED', id);
    expect(viewed).toHaveLength(1);
    expect(viewed[0]?.actor_user_id).toBe(await userId('admin@demo.invalid'));
  });

  it('keeps an organisation administrator to their own organisation and records the refusal', async () => {
    const orgAdmin = await signIn(platform, 'orgadmin@demo.invalid');
    const list = await orgAdmin.get('/app/admin/users');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('practitioner@demo.invalid');
    expect(list.body).not.toContain('marac@demo.invalid');

    const outsider = await userId('marac@demo.invalid');
    const view = await orgAdmin.get(`/app/admin/users/${outsider}`);
    expect(view.statusCode).toBe(404);
    const main = (body: string) => /<main[\s\S]*<\/main>/.exec(body)?.[0].replace(/[0-9A-Z]{4}-[0-9A-Z]{4}/g, 'REF');
    // An account in another organisation looks exactly like one that does not exist.
    expect(main(view.body)).toBe(main((await orgAdmin.get('/app/admin/users/01890000-0000-7000-8000-000000000000')).body));
    const disable = await orgAdmin.post(`/app/admin/users/${outsider}/disable`, { version: '1' });
    expect(disable.statusCode).toBe(404);
    expect((await platform.services.users.get(outsider))?.status).toBe('active');
    const denied = await auditEvents('ACCESS_DENIED', outsider);
    expect(denied).toHaveLength(2);
    expect(denied.every((event) => event.outcome === 'denied' && event.actor_user_id !== null)).toBe(true);
    expect(await auditEvents('USER_VIEWED', outsider)).toHaveLength(1); // only the system administrator's earlier look
  });

  it('does not let an organisation administrator make a system administrator', async () => {
    const orgAdmin = await signIn(platform, 'orgadmin@demo.invalid');
    const id = await userId('practitioner@demo.invalid');
    const form = await orgAdmin.get(`/app/admin/users/${id}/roles`);
    expect(form.body).not.toContain('value="system_admin"');
    const response = await orgAdmin.post(`/app/admin/users/${id}/roles`, { roles: ['practitioner', 'system_admin'], version: '1' });
    expect(response.statusCode).toBe(400);
    expect((await platform.services.users.get(id))?.roles).toEqual(['practitioner']);
  });

  it('gives an organisation administrator only roles that stay inside their organisation, and never their own', async () => {
    const orgAdmin = await signIn(platform, 'orgadmin@demo.invalid');
    const colleague = await userId('practitioner@demo.invalid');
    const form = await orgAdmin.get(`/app/admin/users/${colleague}/roles`);
    for (const role of ['system_admin', 'auditor', 'directory_editor', 'partnership_officer']) expect(form.body).not.toContain(`value="${role}"`);
    for (const role of ['directory_editor', 'partnership_officer']) {
      const refused = await orgAdmin.post(`/app/admin/users/${colleague}/roles`, { roles: ['practitioner', role], version: String((await platform.services.users.get(colleague))?.version) });
      expect(refused.statusCode).toBe(400);
    }
    expect((await platform.services.users.get(colleague))?.roles).toEqual(['practitioner']);
    const self = await userId('orgadmin@demo.invalid');
    const before = await platform.services.users.get(self);
    await orgAdmin.get(`/app/admin/users/${self}/roles`);
    const raised = await orgAdmin.post(`/app/admin/users/${self}/roles`, { roles: ['organisation_admin', 'service_manager'], version: String(before?.version) });
    expect(raised.statusCode).toBe(400);
    expect(raised.body).toContain('You cannot change your own roles');
    expect((await platform.services.users.get(self))?.roles).toEqual(before?.roles);
    expect((await orgAdmin.get('/app/inbox')).statusCode).toBe(403);
  });

  it('stops administrators changing their own roles or disabling themselves', async () => {
    const self = await userId('admin@demo.invalid');
    const before = await platform.services.users.get(self);
    // The pages say so before anything is chosen, and offer no form to fill in for nothing.
    for (const [page, reason] of [['roles', 'You cannot change your own roles'], ['disable', 'You cannot disable your own account']]) {
      const shown = await admin.get(`/app/admin/users/${self}/${page}`);
      expect(shown.body).toContain(reason);
      expect(shown.body).not.toContain(`action="/app/admin/users/${self}/${page}"`);
    }
    // A colleague's pages still have the form.
    const colleague = await userId('service@demo.invalid');
    expect((await admin.get(`/app/admin/users/${colleague}/disable`)).body).toContain(`action="/app/admin/users/${colleague}/disable"`);
    const roles = await admin.post(`/app/admin/users/${self}/roles`, { roles: 'auditor', version: String(before?.version) });
    expect(roles.statusCode).toBe(400);
    expect(roles.body).toContain('You cannot change your own roles');
    const disable = await admin.post(`/app/admin/users/${self}/disable`, { version: String(before?.version) });
    expect(disable.statusCode).toBe(400);
    expect(disable.body).toContain('You cannot disable your own account');
    expect(await platform.services.users.get(self)).toMatchObject({ status: 'active', roles: ['system_admin'] });
  });

  it('refuses a change to roles made from an out-of-date page, saving nothing', async () => {
    const id = await userId('service@demo.invalid');
    const version = String((await platform.services.users.get(id))?.version);
    await admin.get(`/app/admin/users/${id}/roles`);
    const first = await admin.post(`/app/admin/users/${id}/roles`, { roles: ['service_manager', 'practitioner'], version });
    expect(first.statusCode).toBe(303);
    const stale = await admin.post(`/app/admin/users/${id}/roles`, { roles: ['service_manager', 'reports_viewer_typo'], version });
    expect(stale.statusCode).toBe(400); // an unknown role is a validation error before anything else
    const staleValid = await admin.post(`/app/admin/users/${id}/roles`, { roles: 'service_manager', version });
    expect(staleValid.statusCode).toBe(409);
    expect(staleValid.body).toContain('Someone else changed this account while you were editing it');
    expect((await platform.services.users.get(id))?.roles).toEqual(['service_manager', 'practitioner']);
  });

  it('disabling someone ends their sessions at once, and re-enabling lets them back', async () => {
    const practitioner = await signIn(platform, 'editor@demo.invalid');
    expect((await practitioner.get('/app')).statusCode).toBe(200);
    const id = await userId('editor@demo.invalid');
    const confirm = await admin.get(`/app/admin/users/${id}/disable`);
    expect(confirm.body).toContain('signed out at once');
    const version = String((await platform.services.users.get(id))?.version);
    // A version no row can reach (the most PostgreSQL's integer holds) is out of date, not a database error.
    const forged = await admin.post(`/app/admin/users/${id}/disable`, { version: '2147483647' });
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toContain('The form is out of date: reload the page and try again');
    expect((await practitioner.get('/app')).statusCode).toBe(200);
    const disabled = await admin.post(`/app/admin/users/${id}/disable`, { version });
    expect(disabled.headers.location).toBe(`/app/admin/users/${id}?notice=disabled`);
    expect((await admin.get(String(disabled.headers.location))).body).toContain('Account disabled');
    expect((await practitioner.get('/app')).statusCode).toBe(303);
    expect(await auditEvents('USER_DISABLED', id)).toHaveLength(1);

    const enabled = await admin.post(`/app/admin/users/${id}/enable`, { version: String(Number(version) + 1) });
    expect(enabled.headers.location).toBe(`/app/admin/users/${id}?notice=enabled`);
    expect((await platform.services.users.get(id))?.status).toBe('active');
    expect((await signIn(platform, 'editor@demo.invalid').then((visitor) => visitor.get('/app'))).statusCode).toBe(200);
  });

  it('resets a lost authenticator app: the app and recovery codes stop working, sessions end, the person is emailed and sets up a new app after their password', async () => {
    const officer = await signIn(platform, 'officer@demo.invalid');
    const id = await userId('officer@demo.invalid');
    const recoveryCodes = () => platform.services.db.kysely.selectFrom('recovery_codes').select('id').where('user_id', '=', id).execute();
    expect(await recoveryCodes()).not.toHaveLength(0);
    expect((await admin.get(`/app/admin/users/${id}`)).body).toContain(`href="/app/admin/users/${id}/reset-authenticator"`);
    expect((await admin.get(`/app/admin/users/${id}/reset-authenticator`)).body).toContain('not by email alone');

    const version = String((await platform.services.users.get(id))?.version);
    const reset = await admin.post(`/app/admin/users/${id}/reset-authenticator`, { version });
    expect(reset.headers.location).toBe(`/app/admin/users/${id}?notice=authenticator-reset`);
    expect((await admin.get(String(reset.headers.location))).body).toContain('Authenticator app reset');
    expect(await platform.services.users.get(id)).toMatchObject({ hasSecondFactor: false, status: 'active' });
    expect(await recoveryCodes()).toHaveLength(0);
    expect((await officer.get('/app')).statusCode).toBe(303);
    expect(await auditEvents('USER_AUTHENTICATOR_RESET', id)).toHaveLength(1);
    const email = (await outboxBodies()).find((message) => message.to === 'officer@demo.invalid' && message.body.includes('reset the authenticator app'));
    expect(email?.body.match(/https?:\/\/\S+/g)).toEqual([expect.stringMatching(/\/app\/sign-in$/)]);

    const returning = new Visitor(platform.app);
    await returning.get('/app/sign-in');
    const password = await returning.post('/app/sign-in', { email: 'officer@demo.invalid', password: DEMO_PASSWORD });
    expect(password.headers.location).toBe('/app/sign-in/set-up-authenticator');

    const nothingLeft = await admin.post(`/app/admin/users/${id}/reset-authenticator`, { version: String(Number(version) + 1) });
    expect(nothingLeft.statusCode).toBe(400);
    expect(nothingLeft.body).toContain('has not set up an authenticator app, so there is nothing to reset');
    expect(await auditEvents('USER_AUTHENTICATOR_RESET', id)).toHaveLength(1);
  });

  it('does not let administrators reset their own authenticator app', async () => {
    const own = await userId('admin@demo.invalid');
    expect((await admin.get(`/app/admin/users/${own}`)).body).not.toContain('/reset-authenticator');
    expect((await admin.get(`/app/admin/users/${own}/reset-authenticator`)).body).toContain('You cannot reset your own authenticator app');
    const refused = await admin.post(`/app/admin/users/${own}/reset-authenticator`, { version: String((await platform.services.users.get(own))?.version) });
    expect(refused.statusCode).toBe(400);
    expect(await platform.services.users.get(own)).toMatchObject({ hasSecondFactor: true });
  });

  it('sends a new invitation that replaces the old link', async () => {
    await admin.get('/app/admin/users/invite');
    await admin.post('/app/admin/users/invite', {
      name: 'Synthetic Invitee Two',
      email: 'invitee.two@demo.invalid',
      organisationId: await organisationId('kent-police'),
      roles: 'practitioner',
    });
    const id = await userId('invitee.two@demo.invalid');
    const linksFor = async () => (await outboxBodies()).filter((email) => email.to === 'invitee.two@demo.invalid').map((email) => new URL(/https?:\/\/\S+/.exec(email.body)?.[0] ?? '').pathname);
    const [firstLink] = await linksFor();
    await admin.get(`/app/admin/users/${id}`);
    const resent = await admin.post(`/app/admin/users/${id}/resend-invitation`, {});
    expect(resent.headers.location).toBe(`/app/admin/users/${id}?notice=resent`);
    const links = await linksFor();
    expect(links).toHaveLength(2);
    expect((await new Visitor(platform.app).get(firstLink ?? '')).statusCode).toBe(410);
    expect((await new Visitor(platform.app).get(links[1] ?? '')).statusCode).toBe(303);
  });

  it('lets a system administrator filter users by organisation', async () => {
    const police = await admin.get(`/app/admin/users?organisation=${await organisationId('kent-police')}`);
    expect(police.body).toContain('practitioner@demo.invalid');
    expect(police.body).not.toContain('auditor@demo.invalid');
    const everyone = await admin.get('/app/admin/users');
    expect(everyone.body).toContain('auditor@demo.invalid');
    const sent = await admin.post('/app/admin/users', { organisation: '', q: 'Demo Auditor' });
    expect(sent.statusCode).toBe(303);
    expect(decodeURIComponent(String(sent.headers.location))).not.toMatch(/auditor/i); // a colleague's name is never in an address
    const searched = await admin.get(String(sent.headers.location));
    expect(searched.body).toContain('auditor@demo.invalid');
    expect(searched.body).not.toContain('practitioner@demo.invalid');
    expect(searched.body).toContain('value="Demo Auditor"');

    // Long words still search (sealed, they are longer than the words), and too many words are refused, not dropped.
    const longSearch = `Demo Auditor ${'x'.repeat(150)}`;
    const long = await admin.get(String((await admin.post('/app/admin/users', { q: longSearch })).headers.location));
    expect(long.body).toContain(`value="${longSearch}"`);
    expect(long.body).toContain('0 users');
    const tooLong = await admin.post('/app/admin/users', { q: 'x'.repeat(201) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('Search words must be 200 characters or fewer');
    const sealed = new URL(String(sent.headers.location), 'http://x').searchParams.get('q') ?? '';
    const altered = await admin.get(`/app/admin/users?q=${encodeURIComponent(sealed.replace(/:([\w-])([\w-]*)$/, (_all, first: string, rest: string) => `:${first === 'A' ? 'B' : 'A'}${rest}`))}`);
    expect(altered.statusCode).toBe(400);
    expect(altered.body).toContain('This search address has been changed or has expired');
  });

  it('keeps an invitation link unspent for an account that was disabled, and sends an invitee with an old link to their administrator', async () => {
    await admin.get('/app/admin/users/invite');
    await admin.post('/app/admin/users/invite', { name: 'Synthetic Invitee Three', email: 'invitee.three@demo.invalid', organisationId: await organisationId('medway-council'), roles: 'practitioner' });
    const id = await userId('invitee.three@demo.invalid');
    const link = new URL(/https?:\/\/\S+/.exec((await outboxBodies()).find((email) => email.to === 'invitee.three@demo.invalid')?.body ?? '')?.[0] ?? '').pathname;
    const page = await admin.get(`/app/admin/users/${id}/disable`);
    await admin.post(`/app/admin/users/${id}/disable`, { version: /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '' });

    const refused = await new Visitor(platform.app).get(link);
    expect(refused.statusCode).toBe(410);
    expect(refused.body).toContain('This account cannot be used');
    const tokens = await platform.services.db.kysely.selectFrom('user_tokens').select('used_at').where('user_id', '=', id).execute();
    expect(tokens.map((token) => token.used_at)).toEqual([null]);

    const enabledPage = await admin.get(`/app/admin/users/${id}`);
    expect(enabledPage.body).toContain('They have not accepted their invitation yet: once the account is enabled, send them a new one.');
    const enabled = await admin.post(`/app/admin/users/${id}/enable`, { version: /name="version" value="(\d+)"/.exec(enabledPage.body)?.[1] ?? '' });
    expect(enabled.headers.location).toBe(`/app/admin/users/${id}?notice=enabled-invited`);
    const expired = await new Visitor(platform.app).get(link);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This link has expired');
    expect(expired.body).toContain('Ask the administrator who invited you to send a new invitation.');
    expect(expired.body).not.toContain('/app/password-reset');

    // Enabled again, the account is still waiting for its invitation to be accepted: a new one works.
    expect((await platform.services.db.kysely.selectFrom('users').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('invited');
    await admin.get(`/app/admin/users/${id}`);
    await admin.post(`/app/admin/users/${id}/resend-invitation`, {});
    const fresh = new URL(/https?:\/\/\S+/.exec((await outboxBodies()).filter((email) => email.to === 'invitee.three@demo.invalid').at(-1)?.body ?? '')?.[0] ?? '').pathname;
    const invitee = new Visitor(platform.app);
    expect((await invitee.get(fresh)).headers.location).toBe('/app/invitation/choose');
    await invitee.get('/app/invitation/choose');
    const chosen = await invitee.post('/app/invitation/choose', { password: 'a long synthetic passphrase', confirmPassword: 'a long synthetic passphrase' });
    expect(chosen.statusCode).toBe(303);
    expect((await platform.services.db.kysely.selectFrom('users').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('active');
  });

  it('lets an organisation administrator send a new invitation only for an account they may change', async () => {
    await admin.get('/app/admin/users/invite');
    await admin.post('/app/admin/users/invite', { name: 'Synthetic Invitee Four', email: 'invitee.four@demo.invalid', organisationId: await organisationId('kent-police'), roles: 'directory_editor' });
    const id = await userId('invitee.four@demo.invalid');
    const orgAdmin = await signIn(platform, 'orgadmin@demo.invalid');
    const page = await orgAdmin.get(`/app/admin/users/${id}`);
    expect(page.body).not.toContain('Send a new invitation');
    const resent = await orgAdmin.post(`/app/admin/users/${id}/resend-invitation`, {});
    expect(resent.statusCode).toBe(400);
    expect(resent.body).toContain('Only a system administrator can change this account');
    const links = (await outboxBodies()).filter((email) => email.to === 'invitee.four@demo.invalid');
    expect(links).toHaveLength(1);
  });

  it('ends the sessions of an organisation’s staff when it is switched off, and refuses their sign-in', async () => {
    const auditor = await signIn(platform, 'auditor@demo.invalid');
    expect((await auditor.get('/app/audit')).statusCode).toBe(200);
    const opcc = await organisationId('opcc-kent');
    const path = `/app/admin/organisations/${opcc}/edit`;
    const form = await admin.get(path);
    const value = (name: string) => new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(form.body)?.[1] ?? '';
    const saved = await admin.post(path, { name: value('name'), kind: 'police-commissioner', areaCode: '', active: 'no', version: value('version') });
    expect(saved.statusCode).toBe(303);

    const after = await auditor.get('/app/audit');
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toContain('/app/sign-in');
    await expect(signIn(platform, 'auditor@demo.invalid')).rejects.toThrow();
    const failures = await platform.services.db.kysely.selectFrom('audit_events').select('details').where('action', '=', 'SIGN_IN_FAILED').execute();
    expect(failures.map((event) => event.details).join(' ')).toContain('organisation-inactive');
  });
});
