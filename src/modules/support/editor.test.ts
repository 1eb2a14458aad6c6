import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { idleFor31Minutes, signIn, signInOn, type Visitor } from '../../../test/support/visitor.js';
import { withdrawalRefusal } from './page-service.js';
import { createLocation, createOrganisation } from '../directory/test-fixtures.js';

describe('editing the public site content', () => {
  let platform: TestPlatform;
  let editor: Visitor;
  beforeAll(async () => {
    platform = await createTestPlatform();
    editor = await signIn(platform, 'editor@demo.invalid');
  });
  afterAll(() => platform.close());

  const publicPage = async (url: string) => (await platform.app.inject({ url })).body;

  async function pageId(slug: string, lang = 'en'): Promise<string> {
    const row = await platform.services.db.kysely.selectFrom('support_pages').select('id').where('slug', '=', slug).where('lang', '=', lang).executeTakeFirstOrThrow();
    return row.id;
  }

  async function auditActions(recordId: string): Promise<string[]> {
    const rows = await platform.services.db.kysely.selectFrom('audit_events').select('action').where('record_id', '=', recordId).orderBy('seq').execute();
    return rows.map((row) => row.action);
  }

  it('lists every page with its languages and their state', async () => {
    const list = await editor.get('/app/content');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain("Clare's Law: asking the police about a partner's past".replace(/'/g, '&#39;'));
    expect(list.body).toContain('Published');
    expect(list.body).toMatch(/href="\/app\/content\/new\?slug=referral-pathway&amp;lang=pl"/);
    expect(list.body).toContain('6 of 6 numbers have not been checked in the last 6 months');
  });

  it('saves a draft that the public does not see, previews it, publishes it, and keeps every version', async () => {
    const id = await pageId('clares-law');
    const form = await editor.get(`/app/content/pages/${id}`);
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? '';
    const saved = await editor.post(`/app/content/pages/${id}`, {
      title: "Clare's Law: ask about a partner's past",
      summary: 'Ask Kent Police about a partner.',
      body: '## How to ask\n\nCall **101**. <script>alert(1)</script>',
      changeNote: 'Shorter title',
      version,
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/app/content/pages/${id}/preview`);

    expect(await publicPage('/clares-law')).toContain('Clare&#39;s Law: asking the police about a partner&#39;s past');

    const preview = await editor.get(`/app/content/pages/${id}/preview`);
    expect(preview.body).toContain('Preview the draft');
    // One main heading: the page's own title sits below the preview's.
    expect(preview.body.match(/<h1[\s>]/g)).toHaveLength(1);
    expect(preview.body).toContain('<p class="govuk-body">Call <strong>101</strong>. &lt;script&gt;alert(1)&lt;/script&gt;</p>');
    const previewVersion = /name="version" value="(\d+)"/.exec(preview.body)?.[1] ?? '';

    const published = await editor.post(`/app/content/pages/${id}/publish`, { version: previewVersion });
    expect(published.headers.location).toBe('/app/content?notice=published');
    expect((await editor.get('/app/content?notice=published')).body).toContain('The page is published');
    const live = await publicPage('/clares-law');
    expect(live).toContain('<h1 class="govuk-heading-xl">Clare&#39;s Law: ask about a partner&#39;s past</h1>');
    expect(live).toContain('&lt;script&gt;');

    const history = await editor.get(`/app/content/pages/${id}/history`);
    expect(history.body).toContain('Version 2');
    expect(history.body).toContain('Shorter title');
    expect(history.body).toContain('Demo Directory Editor (synthetic)');
    expect(history.body).toContain('Was published');
    expect(await auditActions(id)).toEqual(['CONTENT_DRAFT_SAVED', 'CONTENT_PUBLISHED']);
  });

  it('previews a page exactly as the public page shows its article: contents, step layout and all', async () => {
    const article = (html: string) => /<article[\s\S]*<\/article>/.exec(html)?.[0].replace(/<p class="app-meta">[\s\S]*?<\/p>/, '');
    const preview = await editor.get(`/app/content/pages/${await pageId('referral-pathway')}/preview`);
    expect(preview.body).toContain('id="contents-heading"');
    expect(preview.body).toContain('<article class="app-steps">');
    // The same article, but for its title's level: in the preview the preview's own heading is the page's h1.
    expect(article(preview.body)?.replace(/<(\/?)h2 class="govuk-heading-xl"/, '<$1h1 class="govuk-heading-xl"').replace('</h2>', '</h1>')).toBe(article(await publicPage('/referral-pathway')));
    const polish = await editor.get(`/app/content/pages/${await pageId('clares-law', 'pl')}/preview`);
    expect(polish.body).toMatch(/<div class="app-prose" lang="pl">/);
    // Edited in Polish too: the fields holding the page's text say so, for spelling and screen readers.
    const editing = await editor.get(`/app/content/pages/${await pageId('clares-law', 'pl')}`);
    for (const field of ['title', 'summary', 'body']) expect(editing.body).toMatch(new RegExp(`id="${field}" name="${field}"[^>]*lang="pl"`));
    expect((await editor.get(`/app/content/pages/${await pageId('clares-law', 'en')}`)).body).not.toContain('lang="pl"');
  });

  it('keeps page text typed when the session timed out, and puts it back in the form once after signing in', async () => {
    // Timing out ends every session of this editor's, so the shared one is renewed afterwards, pass or fail.
    try {
      const id = await pageId('worried-about-someone');
      const visitor = await signIn(platform, 'editor@demo.invalid');
      const form = await visitor.get(`/app/content/pages/${id}`);
      expect(form.body).toContain('data-keep-on-timeout');
      const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? '';
      await idleFor31Minutes(platform, 'editor@demo.invalid');
      const typed = { title: 'Worried about someone', summary: 'How to help.', body: 'A long rewrite typed just before the session ended.', changeNote: 'Rewrite', version };
      expect((await visitor.post(`/app/content/pages/${id}`, typed)).headers.location).toBe('/app/sign-in?ended=1&kept=1');
      expect(await auditActions(id)).not.toContain('CONTENT_DRAFT_SAVED');

      expect(await signInOn(visitor, platform, 'editor@demo.invalid')).toBe(`/app/content/pages/${id}`);
      const restored = await visitor.get(`/app/content/pages/${id}`);
      expect(restored.body).toContain('This was not saved: the page was left open until the sign-in timed out');
      expect(restored.body).toContain('A long rewrite typed just before the session ended.');
      expect((await visitor.get(`/app/content/pages/${id}`)).body).not.toContain('typed just before the session ended');

      // A help-now number's form likewise.
      const [line] = await platform.services.support.helplines.listForEditors();
      await visitor.get(`/app/content/helplines/${line?.id ?? ''}`);
      await idleFor31Minutes(platform, 'editor@demo.invalid');
      const number = { displayNumber: '0808 2000 247', nameEn: 'Helpline typed as the session ended', availabilityEn: '', sourceNote: 'Checked', checked: 'no', version: String(line?.version ?? '') };
      expect((await visitor.post(`/app/content/helplines/${line?.id ?? ''}`, number)).headers.location).toBe('/app/sign-in?ended=1&kept=1');
      expect(await signInOn(visitor, platform, 'editor@demo.invalid')).toBe(`/app/content/helplines/${line?.id ?? ''}`);
      expect((await visitor.get(`/app/content/helplines/${line?.id ?? ''}`)).body).toContain('value="Helpline typed as the session ended"');
    } finally {
      editor = await signIn(platform, 'editor@demo.invalid');
    }
  });

  it('never saves a form its page sent by itself at the timeout while the session was still alive, and shows it again', async () => {
    const [line] = await platform.services.support.helplines.listForEditors();
    const address = `/app/content/helplines/${line?.id ?? ''}`;
    await editor.get(address);
    const sentByTheClock = { displayNumber: '0808 2000 247', nameEn: 'Half-typed name', availabilityEn: '', sourceNote: 'Checked', checked: 'no', version: String(line?.version ?? ''), _timedOut: '1' };
    const sent = await editor.post(address, sentByTheClock);
    expect([sent.statusCode, sent.headers.location]).toEqual([303, address]);
    expect((await platform.services.support.helplines.get(line?.id ?? '')).texts['en']?.name).toBe(line?.name);
    const shown = await editor.get(address);
    expect(shown.body).toContain('value="Half-typed name"');
    expect(shown.body).toContain('This was not saved');
  });

  it('restores an earlier version as a draft, which changes the site only when published', async () => {
    const id = await pageId('clares-law');
    const revisions = await platform.services.db.kysely.selectFrom('support_page_revisions').select(['id', 'number']).where('page_id', '=', id).orderBy('number').execute();
    const first = revisions[0];
    if (!first) throw new Error('no first version');
    const view = await editor.get(`/app/content/pages/${id}/history/${first.id}`);
    expect(view.body).toContain('Version 1');
    const version = /name="version" value="(\d+)"/.exec(view.body)?.[1] ?? '';
    const restored = await editor.post(`/app/content/pages/${id}/history/${first.id}/restore`, { version });
    expect(restored.headers.location).toBe(`/app/content/pages/${id}/preview`);
    expect(await publicPage('/clares-law')).toContain('ask about a partner&#39;s past');
    const preview = await editor.get(`/app/content/pages/${id}/preview`);
    await editor.post(`/app/content/pages/${id}/publish`, { version: /name="version" value="(\d+)"/.exec(preview.body)?.[1] ?? '' });
    expect(await publicPage('/clares-law')).toContain('asking the police about a partner&#39;s past');
    expect(await auditActions(id)).toContain('CONTENT_REVISION_RESTORED');
  });

  it('refuses a save from a stale form: the form shows the latest text, what was typed is kept beside it, and nothing changes', async () => {
    const id = await pageId('staying-safe');
    const form = await editor.get(`/app/content/pages/${id}`);
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? '';
    const text = { title: 'Staying safe', summary: 'Steps.', body: 'First editor', changeNote: 'One', version };
    expect((await editor.post(`/app/content/pages/${id}`, text)).statusCode).toBe(303);
    const stale = await editor.post(`/app/content/pages/${id}`, { ...text, body: 'Second editor text', changeNote: 'Two' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this page while you were editing it');
    const [textarea = '', kept = ''] = [/<textarea[^>]*name="body"[^>]*>([^<]*)</.exec(stale.body)?.[1], /id="unsaved-changes">([\s\S]*?)<\/div>\s*<\/div>/.exec(stale.body)?.[1]];
    expect(textarea.trim()).toBe('First editor');
    expect(kept).toContain('Second editor text');
    const drafts = await platform.services.db.kysely.selectFrom('support_page_revisions').select('body').where('page_id', '=', id).execute();
    expect(drafts.map((draft) => draft.body)).not.toContain('Second editor text');

    // Saving the form exactly as it came back keeps the other editor's text: nothing is undone unseen.
    const resent = await editor.post(`/app/content/pages/${id}`, { title: 'Staying safe', summary: 'Steps.', body: textarea.trim(), changeNote: 'Three', version: /name="version" value="(\d+)"/.exec(stale.body)?.[1] ?? '' });
    expect(resent.statusCode).toBe(303);
    expect((await editor.get(`/app/content/pages/${id}`)).body).toContain('First editor');

    // Two editors open the same version; the first changes the title. The second changed only the text: the title as
    // their form showed it is not listed to copy back, which would undo the first editor's change.
    const opened = await editor.get(`/app/content/pages/${id}`);
    const openedFields = { title: 'Staying safe', summary: 'Steps.', version: /name="version" value="(\d+)"/.exec(opened.body)?.[1] ?? '', openedRevision: /name="openedRevision" value="([0-9a-f-]+)"/.exec(opened.body)?.[1] ?? '' };
    expect(openedFields.openedRevision).not.toBe('');
    await editor.post(`/app/content/pages/${id}`, { ...openedFields, title: 'Staying safe at home', body: 'First editor', changeNote: 'Four' });
    const second = await editor.post(`/app/content/pages/${id}`, { ...openedFields, body: 'Only the text changed here', changeNote: 'Five' });
    const secondKept = second.body.slice(second.body.indexOf('id="unsaved-changes"'), second.body.indexOf('</dl>', second.body.indexOf('id="unsaved-changes"')));
    expect(secondKept).toContain('Only the text changed here');
    expect(secondKept).not.toContain('Title');
  });

  it('shows a GOV.UK error summary for missing text and keeps what was typed', async () => {
    const id = await pageId('privacy');
    await editor.get(`/app/content/pages/${id}`);
    const response = await editor.post(`/app/content/pages/${id}`, { title: '', summary: 'Kept summary', body: '', changeNote: '', version: '1' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('govuk-error-summary');
    expect(response.body).toContain('<a href="#title">Enter a title</a>');
    expect(response.body).toContain('<a href="#body">Enter the page text</a>');
    expect(response.body).toContain('Kept summary');
  });

  it('creates a translation as a draft copy of the English page, and publishes it in that language', async () => {
    await editor.get('/app/content/new?slug=referral-pathway&lang=pl');
    const created = await editor.post('/app/content/new', { slug: 'referral-pathway', lang: 'pl', section: 'professionals' });
    expect(created.statusCode).toBe(303);
    const id = await pageId('referral-pathway', 'pl');
    expect(created.headers.location).toBe(`/app/content/pages/${id}`);
    const form = await editor.get(`/app/content/pages/${id}`);
    expect(form.body).toContain('Domestic abuse referral pathway for professionals');
    expect(await publicPage('/referral-pathway?lang=pl')).toContain('Ta strona nie jest jeszcze dostępna w języku polskim');
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? '';
    await editor.post(`/app/content/pages/${id}`, { title: 'Ścieżka kierowania dla specjalistów', summary: 'Krok po kroku.', body: '## Krok 1\n\nZapytaj.', changeNote: 'Tłumaczenie', version });
    const preview = await editor.get(`/app/content/pages/${id}/preview`);
    await editor.post(`/app/content/pages/${id}/publish`, { version: /name="version" value="(\d+)"/.exec(preview.body)?.[1] ?? '' });
    const live = await publicPage('/referral-pathway?lang=pl');
    expect(live).toContain('Ścieżka kierowania dla specjalistów');
    expect(live).not.toContain('nie jest jeszcze dostępna');
  });

  it('refuses a page address that is taken, badly formed or used by another part of the site', async () => {
    await editor.get('/app/content/new');
    const taken = await editor.post('/app/content/new', { slug: 'clares-law', lang: 'en', section: 'help' });
    expect(taken.statusCode).toBe(400);
    expect(taken.body).toContain('There is already a page at /clares-law in English');
    const bad = await editor.post('/app/content/new', { slug: 'Bad Address!', lang: 'en', section: 'help' });
    expect(bad.body).toContain('Page address must use only lower case letters, numbers and hyphens');
    const reserved = await editor.post('/app/content/new', { slug: 'services', lang: 'en', section: 'help' });
    expect(reserved.body).toContain('That page address is used by another part of the site');
  });

  it('refuses page text and help-now text that names a refuge’s address, on the field that names it, and changes nothing', async () => {
    const organisationId = await createOrganisation(platform.services, 'Content Guard Trust (synthetic)');
    const address = { address1: 'Wren Cottage', address2: '9 Quillfeather Mews', city: 'Ashford', postalCode: 'TN24 9QX' };
    await createLocation(platform.services, { organisationId, name: 'Refuge', locationType: 'physical', confidential: true, address, areaCode: 'ashford', accessibility: null });

    const id = await pageId('staying-safe');
    const draftOf = async () => (await platform.services.db.kysely.selectFrom('support_pages').select('draft_revision_id').where('id', '=', id).executeTakeFirstOrThrow()).draft_revision_id;
    const draftBefore = await draftOf();
    const form = await editor.get(`/app/content/pages/${id}`);
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? '';
    const body = 'If you need somewhere safe, our refuge is at 9 Quillfeather Mews.';
    const refused = await editor.post(`/app/content/pages/${id}`, { title: 'Staying safe', summary: 'Plans and help.', body, changeNote: 'Added the refuge', version });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('href="#body"');
    expect(refused.body).toContain('This names the address, street or postcode of a confidential location');
    expect(refused.body).toContain(body); // what was typed is kept to correct
    expect(await publicPage('/staying-safe')).not.toContain('Quillfeather');
    expect(await draftOf()).toBe(draftBefore);

    const helpline = await platform.services.db.kysely.selectFrom('support_helplines').selectAll().where('code', '=', 'mens-advice-line').executeTakeFirstOrThrow();
    await editor.get(`/app/content/helplines/${helpline.id}`);
    const line = { displayNumber: helpline.display_number, nameEn: 'Men’s Advice Line', availabilityEn: 'Or come to Quillfeather Mews', nameEasyRead: '', availabilityEasyRead: '', namePl: '', availabilityPl: '', sourceNote: 'x', checked: 'no', version: String(helpline.version) };
    const shown = await editor.post(`/app/content/helplines/${helpline.id}`, line);
    expect(shown.statusCode).toBe(400);
    expect(shown.body).toContain('href="#availabilityEn"');
    expect(await publicPage('/')).not.toContain('Quillfeather');

    // A draft saved before its address became a refuge's is refused at publication, with the field to change.
    const saved = await editor.post(`/app/content/pages/${id}`, { title: 'Staying safe', summary: 'Plans and help.', body: 'Our drop-in is at 3 Larkspur Row.', changeNote: 'Drop-in', version });
    expect(saved.statusCode).toBe(303);
    await createLocation(platform.services, { organisationId, name: 'New refuge', locationType: 'physical', confidential: true, address: { address1: '3 Larkspur Row', address2: null, city: 'Ashford', postalCode: 'TN24 8ZZ' }, areaCode: 'ashford', accessibility: null });
    const publishing = await editor.post(`/app/content/pages/${id}/publish`, { version: String(Number(version) + 1) });
    expect(publishing.statusCode).toBe(400);
    expect(publishing.body).toContain('<a href="#body">This names the address, street or postcode of a confidential location');
    expect(await publicPage('/staying-safe')).not.toContain('Larkspur');
  });

  it('keeps the help-now numbers current: a change and a check show on public pages and in the audit trail', async () => {
    const list = await editor.get('/app/content/helplines');
    expect(list.body).toContain('Never');
    const row = await platform.services.db.kysely.selectFrom('support_helplines').selectAll().where('code', '=', 'victim-support').executeTakeFirstOrThrow();
    await editor.get(`/app/content/helplines/${row.id}`);
    const invalid = await editor.post(`/app/content/helplines/${row.id}`, { displayNumber: '0808 abc', nameEn: '', sourceNote: 'x', version: String(row.version) });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('Number must contain only digits and spaces');
    expect(invalid.body).toContain('Enter the name of the line in English');
    expect(invalid.body).toContain('Say whether you have checked this number today');
    for (const displayNumber of ['12', '0808 200', '18001', '1234 5678']) {
      const undiallable = await editor.post(`/app/content/helplines/${row.id}`, { displayNumber, nameEn: 'Victim Support', sourceNote: 'x', checked: 'no', version: String(row.version) });
      expect(undiallable.statusCode, displayNumber).toBe(400);
      expect(undiallable.body, displayNumber).toContain('Enter a whole UK number, like 0808 2000 247');
    }

    const changed = {
      displayNumber: '0808 168 9111',
      nameEn: 'Victim Support in Kent and Medway',
      availabilityEn: 'Free, 24 hours a day.',
      nameEasyRead: '',
      availabilityEasyRead: '',
      namePl: 'Victim Support w Kent i Medway',
      availabilityPl: 'Bezpłatnie, całą dobę.',
      sourceNote: 'Kent County Council domestic abuse page, checked by phone.',
      checked: 'yes',
      version: String(row.version),
    };
    // A new number is shown back to be checked, and rung, before it goes on every page.
    const check = await editor.post(`/app/content/helplines/${row.id}`, changed);
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('Check the new number');
    expect(check.body).toContain('href="tel:08081689111"');
    expect(await publicPage('/')).toContain('tel:08081689276');
    const changeAgain = await editor.post(`/app/content/helplines/${row.id}`, { ...changed, step: 'change' });
    expect(changeAgain.body).toContain('value="Victim Support in Kent and Medway"');
    expect(changeAgain.body).toContain('Change a help-now number');
    const saved = await editor.post(`/app/content/helplines/${row.id}`, { ...changed, step: 'confirmed' });
    expect(saved.headers.location).toBe('/app/content/helplines?notice=saved');
    const home = await publicPage('/');
    expect(home).toContain('href="tel:08081689111"');
    expect(home).not.toContain('tel:08081689276');
    expect(await publicPage('/?lang=pl')).toContain('Bezpłatnie, całą dobę.');
    // Easy read was left empty, so it shows the English.
    expect(await publicPage('/?lang=easy-read')).toContain('Free, 24 hours a day.');
    const after = await editor.get('/app/content/helplines');
    expect(after.body).toMatch(/0808 168 9111<\/td>\s*<td class="govuk-table__cell">\s*\d{1,2} \w+ \d{4}/);
    const events = await platform.services.db.kysely.selectFrom('audit_events').select(['action', 'details']).where('record_id', '=', row.id).execute();
    expect(events).toHaveLength(1);
    expect(JSON.parse(events[0]?.details ?? '{}')).toMatchObject({ code: 'victim-support', from: '0808 168 9276', to: '0808 168 9111', checked: true });
    const history = (await editor.get(`/app/content/helplines/${row.id}`)).body;
    // The words beside the number are listed too: they show on every page as well.
    const words = 'when open and who for in English, name in Easy read, when open and who for in Easy read, name in Polish, when open and who for in Polish';
    expect(history.replace(/\s+/g, ' ')).toContain(`Demo Directory Editor (synthetic)</td> <td class="govuk-table__cell">Number: 0808 168 9276 to 0808 168 9111; Words: ${words}</td>`);

    // A change of words alone is listed as that.
    const latest = await platform.services.support.helplines.get(row.id);
    await editor.get(`/app/content/helplines/${row.id}`);
    await editor.post(`/app/content/helplines/${row.id}`, { ...changed, availabilityEn: 'Free, day and night.', version: String(latest.version) });
    expect((await editor.get(`/app/content/helplines/${row.id}`)).body).toContain('<td class="govuk-table__cell">Words: when open and who for in English</td>');
  });

  it('takes a page off the site, keeps it as a draft with its history, and puts it back when published', async () => {
    const id = await pageId('worried-about-someone');
    const edit = await editor.get(`/app/content/pages/${id}`);
    expect(edit.body).toContain(`href="/app/content/pages/${id}/withdraw"`);
    const confirm = await editor.get(`/app/content/pages/${id}/withdraw`);
    expect(confirm.body).toContain('The Easy read and Polish versions stay on the site.');
    const version = /name="version" value="(\d+)"/.exec(confirm.body)?.[1] ?? '';
    const forged = await editor.post(`/app/content/pages/${id}/withdraw`, { version: '2147483647' });
    expect(forged.headers.location).toBe(`/app/content/pages/${id}/withdraw`);
    expect((await platform.app.inject({ url: '/worried-about-someone' })).statusCode).toBe(200);

    const taken = await editor.post(`/app/content/pages/${id}/withdraw`, { version });
    expect(taken.headers.location).toBe('/app/content?notice=withdrawn');
    expect((await platform.app.inject({ url: '/worried-about-someone' })).statusCode).toBe(404);
    expect(await publicPage('/')).not.toContain('href="/worried-about-someone"');
    // The easy read version is still there for its readers.
    expect((await platform.app.inject({ url: '/worried-about-someone?lang=easy-read' })).statusCode).toBe(200);

    const history = await editor.get(`/app/content/pages/${id}/history`);
    expect(history.body).toContain('Taken off the site');
    expect(history.body).toContain('kept as a draft when the page was taken off the site');
    expect(await auditActions(id)).toContain('CONTENT_WITHDRAWN');

    const preview = await editor.get(`/app/content/pages/${id}/preview`);
    expect(preview.body).toContain('Preview the draft');
    await editor.post(`/app/content/pages/${id}/publish`, { version: /name="version" value="(\d+)"/.exec(preview.body)?.[1] ?? '' });
    expect(await publicPage('/worried-about-someone')).toContain('<h1 class="govuk-heading-xl">Worried about someone</h1>');
    expect(await publicPage('/')).toContain('href="/worried-about-someone"');
  });

  it('shows the English page, with its note, to readers of a translation taken off the site', async () => {
    const id = await pageId('staying-safe', 'pl');
    const confirm = await editor.get(`/app/content/pages/${id}/withdraw`);
    expect(confirm.body).toContain('people will see the English page instead');
    await editor.post(`/app/content/pages/${id}/withdraw`, { version: /name="version" value="(\d+)"/.exec(confirm.body)?.[1] ?? '' });
    const page = await publicPage('/staying-safe?lang=pl');
    expect(page).toContain('<h1 class="govuk-heading-xl" lang="en">Staying safe</h1>');
  });

  it('keeps on the site every page the public layout links to', () => {
    const layout = fs.readFileSync(new URL('../../platform/views/templates/layouts/public.njk', import.meta.url), 'utf8');
    const linked = [...layout.matchAll(/href\('\/([a-z0-9-]+)'\)/g)].map((match) => match[1] ?? '');
    expect(linked.length).toBeGreaterThan(2);
    for (const slug of linked) expect(withdrawalRefusal({ slug, lang: 'en' }), slug).not.toBeNull();
  });

  it('refuses to take off the site the English text of a page every public page links to', async () => {
    const id = await pageId('staying-safe-online');
    expect((await editor.get(`/app/content/pages/${id}`)).body).not.toContain('/withdraw"');
    const confirm = await editor.get(`/app/content/pages/${id}/withdraw`);
    expect(confirm.body).toContain('Every page of the public site links to this page');
    expect(confirm.body).not.toContain('Take the page off the site</button>');
    const version = (await platform.services.db.kysely.selectFrom('support_pages').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
    const refused = await editor.post(`/app/content/pages/${id}/withdraw`, { version: String(version) });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('cannot be taken off the site');
    expect((await platform.app.inject({ url: '/staying-safe-online' })).statusCode).toBe(200);
    expect(await auditActions(id)).not.toContain('CONTENT_WITHDRAWN');
  });

  it('is only for people who manage content', async () => {
    const practitioner = await signIn(platform, 'practitioner@demo.invalid');
    expect((await practitioner.get('/app/content')).statusCode).toBe(403);
    expect((await practitioner.get('/app/content/helplines')).statusCode).toBe(403);
    const officer = await signIn(platform, 'officer@demo.invalid');
    expect((await officer.get('/app/content')).statusCode).toBe(200);
    expect((await platform.app.inject({ url: '/app/content' })).statusCode).toBe(303);
  });

  it('answers an address that is not a page id with not found', async () => {
    expect((await editor.get('/app/content/pages/not-an-id')).statusCode).toBe(404);
    expect((await editor.get('/app/content/pages/01234567-89ab-7def-8123-456789abcdef')).statusCode).toBe(404);
  });
});
