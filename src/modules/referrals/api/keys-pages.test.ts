import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../../test/support/platform.js';
import { signIn } from '../../../../test/support/visitor.js';
import { apiBody } from '../test-support/bodies.js';

describe('API key administration', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  const post = (key: string) =>
    platform.app.inject({ method: 'POST', url: '/api/v1/referrals', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, payload: JSON.stringify(apiBody({ yes: 1 })) });

  it('lets an organisation administrator create a key for their own organisation, shown once, then revoke it', async () => {
    const admin = await signIn(platform, 'orgadmin@demo.invalid');
    await admin.get('/app/api-keys/new');
    const missing = await admin.post('/app/api-keys/new', { label: '' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Enter a name for the key');

    const created = await admin.post('/app/api-keys/new', { label: 'Police case system (test)' });
    expect(created.statusCode).toBe(200);
    expect(created.headers['cache-control']).toBe('no-store');
    const key = /value="(dapk_[^"]+)"/.exec(created.body)?.[1] ?? '';
    expect(key).not.toBe('');
    expect((await post(key)).statusCode).toBe(201);

    const list = await admin.get('/app/api-keys');
    expect(list.body).toContain('Police case system (test)');
    expect(list.body).not.toContain(key);
    const revokeHref = /href="(\/app\/api-keys\/[^"]+\/revoke)"/.exec(list.body)?.[1] ?? '';
    await admin.get(revokeHref);
    const revoked = await admin.post(revokeHref, {});
    expect(revoked.headers.location).toBe('/app/api-keys?revoked=1');
    expect((await post(key)).statusCode).toBe(401);
  });

  it('keeps an organisation administrator to their own organisation’s keys', async () => {
    const probation = await platform.services.reference.getOrganisationBySlug('probation-kss');
    const theirs = await platform.services.apiKeys.issue(probation?.id ?? '', 'Probation system', { userId: null, organisationId: null });
    const admin = await signIn(platform, 'orgadmin@demo.invalid');
    expect((await admin.get('/app/api-keys')).body).not.toContain('Probation system');
    expect((await admin.get(`/app/api-keys/${theirs.id}/revoke`)).statusCode).toBe(404);
    await admin.get('/app/api-keys');
    expect((await admin.post(`/app/api-keys/${theirs.id}/revoke`, {})).statusCode).toBe(404);
    expect((await post(theirs.key)).statusCode).toBe(201);
    const refused = await platform.services.db.kysely.selectFrom('audit_events').select(['outcome', 'actor_user_id']).where('action', '=', 'API_KEY_REVOKE_REFUSED').where('record_id', '=', theirs.id).execute();
    const orgAdmin = await platform.services.users.findByEmail('orgadmin@demo.invalid');
    expect(refused).toEqual([
      { outcome: 'denied', actor_user_id: orgAdmin?.id },
      { outcome: 'denied', actor_user_id: orgAdmin?.id },
    ]);
  });

  it('lets a system administrator choose the organisation, and refuses people without the permission', async () => {
    const system = await signIn(platform, 'admin@demo.invalid');
    const form = await system.get('/app/api-keys/new');
    expect(form.body).toContain('Choose an organisation');
    const unchosen = await system.post('/app/api-keys/new', { label: 'No organisation', organisationId: '' });
    expect(unchosen.statusCode).toBe(400);
    expect(unchosen.body).toContain('Choose the organisation the key is for');
    const practitioner = await signIn(platform, 'practitioner@demo.invalid');
    expect((await practitioner.get('/app/api-keys')).statusCode).toBe(403);
  });
});
