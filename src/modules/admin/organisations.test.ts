import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { signIn, type Visitor } from '../../../test/support/visitor.js';

describe('administering organisations and reference data', () => {
  let platform: TestPlatform;
  let admin: Visitor;
  beforeAll(async () => {
    platform = await createTestPlatform();
    admin = await signIn(platform, 'admin@demo.invalid');
  });
  afterAll(() => platform.close());

  const audited = (action: string, recordId: string) =>
    platform.services.db.kysely.selectFrom('audit_events').select('action').where('action', '=', action).where('record_id', '=', recordId).execute();

  it('adds an organisation and says so', async () => {
    await admin.get('/app/admin/organisations/new');
    const added = await admin.post('/app/admin/organisations/new', { name: 'Synthetic Refuge Partnership', slug: 'synthetic-refuge', kind: 'voluntary-sector', areaCode: 'dover', active: 'yes' });
    expect(added.statusCode).toBe(303);
    const list = await admin.get(String(added.headers.location));
    expect(list.body).toContain('Organisation added: Synthetic Refuge Partnership');
    const saved = await platform.services.reference.getOrganisationBySlug('synthetic-refuge');
    expect(saved).toMatchObject({ name: 'Synthetic Refuge Partnership', kind: 'voluntary-sector', area_code: 'dover', active: 1 });
    expect(await audited('ORGANISATION_CREATED', saved?.id ?? '')).toHaveLength(1);
  });

  it('explains each mistake in a new organisation and keeps the answers', async () => {
    await admin.get('/app/admin/organisations/new');
    const wrong = await admin.post('/app/admin/organisations/new', { name: '', slug: 'Not A Slug', kind: 'spaceship', areaCode: 'atlantis', active: 'yes' });
    expect(wrong.statusCode).toBe(400);
    for (const message of ['Enter the name of the organisation', 'Short name must use only lower-case letters', 'Select the kind of organisation', 'Select an area from the list']) {
      expect(wrong.body).toContain(message);
    }
    expect(wrong.body).toContain('value="Not A Slug"');
    const taken = await admin.post('/app/admin/organisations/new', { name: 'Another Kent Police', slug: 'kent-police', kind: 'police', areaCode: '', active: 'yes' });
    expect(taken.statusCode).toBe(400);
    expect(taken.body).toContain('Another organisation already has this short name');
    const sameName = await admin.post('/app/admin/organisations/new', { name: 'kent police', slug: 'kent-police-2', kind: 'police', areaCode: '', active: 'yes' });
    expect(sameName.statusCode).toBe(400);
    expect(sameName.body).toContain('Another organisation already has this name');
    expect(await platform.services.reference.getOrganisationBySlug('kent-police-2')).toBeUndefined();

    const probation = await platform.services.reference.getOrganisationBySlug('probation-kss');
    const renamed = await admin.post(`/app/admin/organisations/${probation?.id ?? ''}/edit`, { name: 'Kent Police', kind: 'probation', areaCode: '', active: 'yes', version: String(probation?.version) });
    expect(renamed.statusCode).toBe(400);
    expect(renamed.body).toContain('Another organisation already has this name');
  });

  it('edits an organisation, and refuses an edit made from an out-of-date page', async () => {
    const organisation = await platform.services.reference.getOrganisationBySlug('medway-council');
    const path = `/app/admin/organisations/${organisation?.id ?? ''}/edit`;
    const form = await admin.get(path);
    expect(form.body).toContain('name="version" value="1"');
    const saved = await admin.post(path, { name: 'Medway Council (renamed, synthetic)', kind: 'unitary-council', areaCode: 'medway', active: 'yes', version: '1' });
    expect(saved.statusCode).toBe(303);
    const stale = await admin.post(path, { name: 'Medway Council (stale edit)', kind: 'unitary-council', areaCode: 'medway', active: 'no', version: '1' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this organisation while you were editing it, so your changes were not saved');
    expect(stale.body).toContain('value="Medway Council (renamed, synthetic)"');
    expect(await platform.services.reference.getOrganisation(organisation?.id ?? '')).toMatchObject({ name: 'Medway Council (renamed, synthetic)', active: 1, version: 2 });
  });

  it('changes an area’s population and towns, audited, with clear errors', async () => {
    await admin.get('/app/admin/areas/dover/edit');
    const wrong = await admin.post('/app/admin/areas/dover/edit', { population: 'lots', towns: '  ', version: '1' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Enter the population as a whole number');
    expect(wrong.body).toContain('Enter at least one town');
    const saved = await admin.post('/app/admin/areas/dover/edit', { population: '116,500', towns: 'Dover\nDeal\n\nSandwich', version: '1' });
    expect(saved.statusCode).toBe(303);
    expect(await platform.services.reference.getArea('dover')).toMatchObject({ population_2021: 116500, townList: ['Dover', 'Deal', 'Sandwich'], version: 2 });
    expect(await audited('REFERENCE_DATA_UPDATED', 'dover')).toHaveLength(1);
    const stale = await admin.post('/app/admin/areas/dover/edit', { population: '1', towns: 'Nowhere', version: '1' });
    expect(stale.statusCode).toBe(409);
    expect((await platform.services.reference.getArea('dover'))?.population_2021).toBe(116500);
  });

  it('maps a postcode district to areas, refusing a change based on an old mapping', async () => {
    const form = await admin.get('/app/admin/postcode-districts/CT3/edit');
    expect(form.body).toContain('name="previous" value="canterbury;dover"');
    const saved = await admin.post('/app/admin/postcode-districts/CT3/edit', { areas: ['dover', 'thanet'], previous: 'canterbury;dover' });
    expect(saved.statusCode).toBe(303);
    expect((await platform.services.reference.getPostcodeDistrict('CT3'))?.areaList).toEqual(['dover', 'thanet']);
    expect(await audited('REFERENCE_DATA_UPDATED', 'CT3')).toHaveLength(1);
    const stale = await admin.post('/app/admin/postcode-districts/CT3/edit', { areas: 'canterbury', previous: 'canterbury;dover' });
    expect(stale.statusCode).toBe(409);
    const none = await admin.post('/app/admin/postcode-districts/CT3/edit', { previous: 'dover;thanet' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Select at least one area');
    expect((await platform.services.reference.getPostcodeDistrict('CT3'))?.areaList).toEqual(['dover', 'thanet']);
  });

  it('keeps organisation and reference pages from organisation administrators', async () => {
    const orgAdmin = await signIn(platform, 'orgadmin@demo.invalid');
    const home = await orgAdmin.get('/app/admin');
    expect(home.body).toContain('Users in your organisation');
    expect(home.body).not.toContain('Postcode districts');
    for (const path of ['/app/admin/organisations', '/app/admin/areas', '/app/admin/postcode-districts/CT1/edit']) {
      expect((await orgAdmin.get(path)).statusCode).toBe(403);
    }
    const practitioner = await signIn(platform, 'practitioner@demo.invalid');
    expect((await practitioner.get('/app/admin')).statusCode).toBe(403);
  });

  it('answers an unknown record with a plain not-found page', async () => {
    expect((await admin.get('/app/admin/organisations/no-such-id/edit')).statusCode).toBe(404);
    expect((await admin.get('/app/admin/users/no-such-id')).statusCode).toBe(404);
    expect((await admin.get('/app/admin/areas/atlantis/edit')).statusCode).toBe(404);
    expect((await admin.get('/app/admin/postcode-districts/ZZ9/edit')).statusCode).toBe(404);
  });
});
