import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { signIn, type Visitor } from '../../../test/support/visitor.js';
import { createLocation, createOrganisation } from '../directory/test-fixtures.js';
import { fileBytes } from './video-files.js';

/** Bytes that read as an MP4 file (its `ftyp` box first), then noise: longer than one stored slice (256 KB). */
function mp4Bytes(length: number): Buffer {
  const bytes = randomBytes(length);
  Buffer.from([0, 0, 0, 24, ...Buffer.from('ftypisom')]).copy(bytes);
  return bytes;
}

const CAPTIONS = 'WEBVTT\n\n00:00:00.000 --> 00:00:04.000\nHello. This video is for Deaf people who sign.\n';

interface FilePart {
  readonly name: string;
  readonly bytes: Buffer | string;
  readonly type: string;
}

/** A form as a browser sends one with files: multipart/form-data, made by the platform's own FormData. */
async function multipart(fields: Record<string, string | FilePart>): Promise<{ payload: Buffer; contentType: string }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, new Blob([value.bytes], { type: value.type }), value.name);
  }
  const request = new Request('http://upload.invalid/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), contentType: request.headers.get('content-type') ?? '' };
}

describe('videos for the public pages', () => {
  let platform: TestPlatform;
  let editor: Visitor;
  beforeAll(async () => {
    platform = await createTestPlatform({ env: { VIDEO_UPLOAD_MAX_MB: '2' } });
    editor = await signIn(platform, 'editor@demo.invalid');
  });
  afterAll(() => platform.close());

  // PostgreSQL gives a count as text.
  const videoCount = async () => Number((await platform.services.db.kysely.selectFrom('support_videos').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  async function upload(visitor: Visitor, fields: Record<string, string | FilePart>, csrf = visitor.lastCsrf) {
    const { payload, contentType } = await multipart({ _csrf: csrf, ...fields });
    return visitor.request('POST', '/app/content/videos/new', { payload, contentType });
  }

  async function bslPage(): Promise<{ id: string; version: string }> {
    const row = await platform.services.db.kysely.selectFrom('support_pages').select(['id', 'version']).where('slug', '=', 'bsl').where('lang', '=', 'en').executeTakeFirstOrThrow();
    return { id: row.id, version: String(row.version) };
  }

  it('takes a new recording with its captions, keeps it off the public site until a published page shows it, then serves it in parts', async () => {
    const bytes = mp4Bytes(600_000);
    await editor.get('/app/content/videos/new');
    const sent = await upload(editor, { description: 'Getting support, in BSL (synthetic test recording)', video: { name: 'bsl-march.mp4', bytes, type: 'video/mp4' }, captions: { name: 'bsl-march.vtt', bytes: CAPTIONS, type: 'text/vtt' } });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/app/content/videos?notice=uploaded');

    const list = await editor.get('/app/content/videos?notice=uploaded');
    expect(list.body).toContain('The video is uploaded');
    expect(list.body).toContain('Getting support, in BSL (synthetic test recording)');
    expect(list.body).toContain('bsl-march.mp4 (586 KB)');
    const video = await platform.services.db.kysely.selectFrom('support_videos').selectAll().where('file_name', '=', 'bsl-march.mp4').executeTakeFirstOrThrow();
    const audit = await platform.services.db.kysely.selectFrom('audit_events').select('action').where('record_id', '=', video.id).execute();
    expect(audit.map((event) => event.action)).toEqual(['CONTENT_VIDEO_UPLOADED']);

    // Not public while no published page shows it; editors can watch it.
    expect((await platform.app.inject({ url: `/media/${video.slug}.mp4` })).statusCode).toBe(404);
    expect((await platform.app.inject({ url: `/media/${video.slug}.en.vtt` })).statusCode).toBe(404);
    const watched = await editor.get(`/app/content/media/${video.slug}.mp4`);
    expect(watched.statusCode).toBe(200);
    expect(watched.rawPayload.equals(bytes)).toBe(true);

    // Chosen on the BSL page: the preview plays it, the public page does not until it is published.
    const page = await bslPage();
    const form = await editor.get(`/app/content/pages/${page.id}`);
    expect(form.body).toContain(`value="${video.slug}"`);
    const body = /<textarea[^>]*id="body"[^>]*>([\s\S]*?)<\/textarea>/.exec(form.body)?.[1]?.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>') ?? '';
    const saved = await editor.post(`/app/content/pages/${page.id}`, { title: 'British Sign Language (BSL): getting domestic abuse support', summary: 'A BSL video.', body, changeNote: 'New BSL recording', video: video.slug, version: page.version });
    expect(saved.statusCode).toBe(303);
    const preview = await editor.get(`/app/content/pages/${page.id}/preview`);
    expect(preview.body).toContain(`<source src="/app/content/media/${video.slug}.mp4" type="video/mp4">`);
    expect((await platform.app.inject({ url: '/bsl' })).body).toContain('/media/bsl-getting-support.mp4');
    const previewVersion = /name="version" value="(\d+)"/.exec(preview.body)?.[1] ?? '';
    expect((await editor.post(`/app/content/pages/${page.id}/publish`, { version: previewVersion })).statusCode).toBe(303);

    const live = (await platform.app.inject({ url: '/bsl' })).body;
    expect(live).toContain(`<source src="/media/${video.slug}.mp4" type="video/mp4">`);
    expect(live).toContain(`<track kind="captions" src="/media/${video.slug}.en.vtt" srclang="en"`);
    const captions = await platform.app.inject({ url: `/media/${video.slug}.en.vtt` });
    expect(captions.headers['content-type']).toBe('text/vtt; charset=utf-8');
    expect(captions.body).toBe(CAPTIONS);

    const whole = await platform.app.inject({ url: `/media/${video.slug}.mp4` });
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.headers['cache-control']).toBe('no-store');
    expect(whole.rawPayload.equals(bytes)).toBe(true);
    // A part that spans two stored slices, as a player seeking asks for it.
    const part = await platform.app.inject({ url: `/media/${video.slug}.mp4`, headers: { range: 'bytes=262000-262299' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 262000-262299/600000');
    expect(part.rawPayload.equals(bytes.subarray(262000, 262300))).toBe(true);
    const head = await platform.app.inject({ method: 'HEAD', url: `/media/${video.slug}.mp4` });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe('600000');
    expect(head.rawPayload.length).toBe(0);
    const tail = await platform.app.inject({ url: `/media/${video.slug}.mp4`, headers: { range: 'bytes=-10' } });
    expect(tail.rawPayload.equals(bytes.subarray(599_990))).toBe(true);
    const beyond = await platform.app.inject({ url: `/media/${video.slug}.mp4`, headers: { range: 'bytes=700000-' } });
    expect(beyond.statusCode).toBe(416);
    expect(beyond.headers['content-range']).toBe('bytes */600000');
    // A player holding a part of another file (If-Range no longer matches) is sent the whole of this one.
    const changed = await platform.app.inject({ url: `/media/${video.slug}.mp4`, headers: { range: 'bytes=0-9', 'if-range': '"an-older-file"' } });
    expect(changed.statusCode).toBe(200);
    expect(changed.rawPayload.length).toBe(600_000);

    // The placeholder no page shows now can go; the recording the page shows cannot.
    const seeded = await platform.services.db.kysely.selectFrom('support_videos').select('id').where('slug', '=', 'bsl-getting-support').executeTakeFirstOrThrow();
    expect((await platform.app.inject({ url: '/media/bsl-getting-support.mp4' })).statusCode).toBe(404);
    const inUse = await editor.get(`/app/content/videos/${video.id}/delete`);
    expect(inUse.body).toContain('This video cannot be deleted');
    expect(inUse.body).not.toContain('Delete video</button>');
    const refused = await editor.post(`/app/content/videos/${video.id}/delete`, {});
    expect(refused.statusCode).toBe(409);
    await editor.get(`/app/content/videos/${seeded.id}/delete`);
    const deleted = await editor.post(`/app/content/videos/${seeded.id}/delete`, {});
    expect(deleted.headers.location).toBe('/app/content/videos?notice=deleted');
    expect((await editor.get('/app/content/videos')).body).not.toContain('Placeholder made for the demo');
    expect(await platform.services.db.kysely.selectFrom('support_video_slices').select('number').where('video_id', '=', seeded.id).execute()).toEqual([]);
    // The next start loads missing seed videos: not one an editor deleted.
    expect(await platform.services.support.videos.seedMissing()).toBe(0);
    expect((await editor.get('/app/content/videos')).body).not.toContain('Placeholder made for the demo');

    // The first version showed the placeholder: restored, it shows no video rather than one that is gone.
    const history = await editor.get(`/app/content/pages/${page.id}/history`);
    const first = /href="\/app\/content\/pages\/[0-9a-f-]+\/history\/([0-9a-f-]+)"[^>]*>[^<]*Version 1\b/.exec(history.body)?.[1] ?? (await platform.services.db.kysely.selectFrom('support_page_revisions').select('id').where('page_id', '=', page.id).where('number', '=', 1).executeTakeFirstOrThrow()).id;
    const revisionPage = await editor.get(`/app/content/pages/${page.id}/history/${first}`);
    expect(revisionPage.body).toContain('Showed a video that has since been deleted: restored, this version shows no video.');
    const restoreVersion = /name="version" value="(\d+)"/.exec(revisionPage.body)?.[1] ?? '';
    expect((await editor.post(`/app/content/pages/${page.id}/history/${first}/restore`, { version: restoreVersion })).statusCode).toBe(303);
    const draft = await platform.services.db.kysely.selectFrom('support_pages').innerJoin('support_page_revisions', 'support_page_revisions.id', 'support_pages.draft_revision_id').select(['support_page_revisions.video', 'support_page_revisions.change_note']).where('support_pages.id', '=', page.id).executeTakeFirstOrThrow();
    expect(draft).toEqual({ video: null, change_note: 'Restored version 1, without its video, deleted since' });
  });

  it('loads a seeded video once, and again only when an earlier load was cut short long ago', async () => {
    const seed = { slug: 'test-seed-clip', description: 'A seeded clip (synthetic)', fileName: 'test-seed-clip.mp4', file: fileBytes(mp4Bytes(1000)), captions: CAPTIONS };
    const db = platform.services.db.kysely;
    const stale = (minutesAgo: number) => ({ id: `01900000-0000-7000-8000-00000000000${String(minutesAgo % 10)}`, slug: seed.slug, description: 'x', file_name: 'x', size: 1, sha256: '', slice_size: 1, captions: '', source: 'seed', created_at: '2026-01-01T00:00:00.000Z', created_by: null, deleted_at: new Date(Date.now() - minutesAgo * 60_000).toISOString(), deleted_by: null });
    // Another instance is storing it now: left alone.
    await db.insertInto('support_videos').values(stale(1)).execute();
    expect(await platform.services.support.videos.seedMissing([seed])).toBe(0);
    // A process stopped half-way through, an hour ago: stored afresh; an upload cut short then is removed.
    await db.updateTable('support_videos').set({ deleted_at: new Date(Date.now() - 60 * 60_000).toISOString() }).where('slug', '=', seed.slug).execute();
    await db.insertInto('support_videos').values({ ...stale(60), id: '01900000-0000-7000-8000-0000000000aa', slug: 'an-upload-cut-short' }).execute();
    expect(await platform.services.support.videos.seedMissing([seed])).toBe(1);
    expect(await db.selectFrom('support_videos').select('id').where('slug', '=', 'an-upload-cut-short').execute()).toEqual([]);
    expect(await platform.services.support.videos.seedMissing([seed])).toBe(0);
    const stored = await db.selectFrom('support_videos').select(['size', 'deleted_at']).where('slug', '=', seed.slug).executeTakeFirstOrThrow();
    expect(stored).toEqual({ size: 1000, deleted_at: null });
  });

  it('refuses to publish a page whose video’s captions name an address made confidential after they were uploaded', async () => {
    await editor.get('/app/content/videos/new');
    const captions = `${CAPTIONS}\n00:00:04.000 --> 00:00:08.000\nOur office is at 12 Gallowglass Terrace.\n`;
    expect((await upload(editor, { description: 'Office tour (synthetic)', video: { name: 'v.mp4', bytes: mp4Bytes(5000), type: 'video/mp4' }, captions: { name: 'c.vtt', bytes: captions, type: 'text/vtt' } })).statusCode).toBe(303);
    const video = await platform.services.db.kysely.selectFrom('support_videos').select('slug').where('description', '=', 'Office tour (synthetic)').executeTakeFirstOrThrow();
    const organisationId = await createOrganisation(platform.services, 'Late Refuge Trust (synthetic)');
    await createLocation(platform.services, { organisationId, name: 'Refuge', locationType: 'physical', confidential: true, address: { address1: '12 Gallowglass Terrace', address2: null, city: 'Deal', postalCode: 'CT14 9ZZ' }, areaCode: 'dover', accessibility: null });

    const page = await bslPage();
    const form = await editor.get(`/app/content/pages/${page.id}`);
    const body = /<textarea[^>]*id="body"[^>]*>([\s\S]*?)<\/textarea>/.exec(form.body)?.[1]?.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>') ?? '';
    const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? '';
    expect((await editor.post(`/app/content/pages/${page.id}`, { title: 'BSL', summary: 'A BSL video.', body, changeNote: 'Office tour', video: video.slug, version })).statusCode).toBe(303);
    const preview = await editor.get(`/app/content/pages/${page.id}/preview`);
    const refused = await editor.post(`/app/content/pages/${page.id}/publish`, { version: /name="version" value="(\d+)"/.exec(preview.body)?.[1] ?? '' });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('The captions of the video chosen for this page name the address');
    expect((await platform.app.inject({ url: `/media/${video.slug}.en.vtt` })).statusCode).toBe(404);
  });

  it('refuses to publish a draft whose video has gone, rather than publish a page that silently lost it', async () => {
    const page = await bslPage();
    const draft = await platform.services.db.kysely.selectFrom('support_pages').select('draft_revision_id').where('id', '=', page.id).executeTakeFirstOrThrow();
    const revision = draft.draft_revision_id ?? (await platform.services.db.kysely.selectFrom('support_pages').select('live_revision_id').where('id', '=', page.id).executeTakeFirstOrThrow()).live_revision_id ?? '';
    // As a draft saved before its video was deleted by another editor at the same moment would hold it.
    await platform.services.db.kysely.updateTable('support_page_revisions').set({ video: 'a-video-no-longer-there' }).where('id', '=', revision).execute();
    await platform.services.db.kysely.updateTable('support_pages').set({ draft_revision_id: revision }).where('id', '=', page.id).execute();
    const preview = await editor.get(`/app/content/pages/${page.id}/preview`);
    const version = /name="version" value="(\d+)"/.exec(preview.body)?.[1] ?? '';
    const refused = await editor.post(`/app/content/pages/${page.id}/publish`, { version });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('The video chosen for this page has been deleted');
    // Its edit form shows "No video" chosen, so saving it does not keep the lost one.
    expect((await editor.get(`/app/content/pages/${page.id}`)).body).toMatch(/value="none" checked/);
  });

  it('refuses a file that is missing, too big or not what it says, saying which and why, and stores nothing', async () => {
    const video = { name: 'v.mp4', bytes: mp4Bytes(5000), type: 'video/mp4' };
    const captions = { name: 'c.vtt', bytes: CAPTIONS, type: 'text/vtt' };
    const cases: Array<[string, Record<string, string | FilePart>, string, string]> = [
      ['no description', { description: ' ', video, captions }, 'description', 'Say what the video shows'],
      ['no video chosen', { description: 'x', video: { name: '', bytes: '', type: 'application/octet-stream' }, captions }, 'video', 'Select the video file'],
      ['no video field', { description: 'x', captions }, 'video', 'Select the video file'],
      ['a video over the limit', { description: 'x', video: { ...video, bytes: mp4Bytes(2 * 1024 * 1024 + 1) }, captions }, 'video', 'The video must be 2 MB or smaller'],
      ['a QuickTime movie', { description: 'x', video: { name: 'v.mov', bytes: Buffer.concat([Buffer.from([0, 0, 0, 20, ...Buffer.from('ftypqt  \u0000\u0000\u0000\u0000qt  ')]), randomBytes(100)]), type: 'video/quicktime' }, captions }, 'video', 'The video must be an MP4 file'],
      ['captions over 1 MB', { description: 'x', video, captions: { name: 'c.vtt', bytes: `${CAPTIONS}${'\n00:00:04.000 --> 00:00:05.000\nWords.\n'.repeat(30_000)}`, type: 'text/vtt' } }, 'captions', 'The captions file must be 1 MB or smaller'],
      ['a picture named .mp4', { description: 'x', video: { name: 'v.mp4', bytes: Buffer.from('\x89PNG\r\n\x1a\n0000000000'), type: 'video/mp4' }, captions }, 'video', 'The video must be an MP4 file'],
      ['no captions', { description: 'x', video }, 'captions', 'Select the captions file'],
      ['subtitles in another format', { description: 'x', video, captions: { name: 'c.srt', bytes: '1\n00:00:00,000 --> 00:00:04,000\nHello\n', type: 'text/plain' } }, 'captions', 'its first line is WEBVTT'],
      ['captions with no timings', { description: 'x', video, captions: { name: 'c.vtt', bytes: 'WEBVTT\n\nHello\n', type: 'text/vtt' } }, 'captions', 'The captions file has no captions'],
      ['captions not in UTF-8', { description: 'x', video, captions: { name: 'c.vtt', bytes: Buffer.from('WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nCaf\xe9\n', 'latin1'), type: 'text/vtt' } }, 'captions', 'saved as UTF-8 text'],
    ];
    await editor.get('/app/content/videos/new');
    const before = await videoCount();
    for (const [label, fields, field, message] of cases) {
      const answer = await upload(editor, fields);
      expect(answer.statusCode, label).toBe(400);
      expect(answer.body, label).toContain('govuk-error-summary');
      expect(answer.body, label).toContain(`href="#${field}"`);
      expect(answer.body, label).toContain(message);
    }
    // Two descriptions: more than the form has, so neither is taken.
    const twice = await multipart({ _csrf: editor.lastCsrf, description: ' ', video, captions });
    const doubled = Buffer.from(twice.payload.toString('latin1').replace('name="description"\r\n\r\n \r\n', `name="description"\r\n\r\n \r\n--${twice.contentType.split('boundary=')[1] ?? ''}\r\nContent-Disposition: form-data; name="description"\r\n\r\nSecond\r\n`), 'latin1');
    expect((await editor.request('POST', '/app/content/videos/new', { payload: doubled, contentType: twice.contentType })).body).toContain('The form sent more than this page asks for');

    // What was typed is kept; the files must be chosen again, and the page says so.
    const kept = await upload(editor, { description: 'Kept words', video });
    expect(kept.body).toContain('value="Kept words"');
    expect(kept.body).toContain('select the video and its captions again');
    expect(await videoCount()).toBe(before);
  });

  it('answers a body that cannot be read with the form and a plain reason, never an error, and stores nothing', async () => {
    await editor.get('/app/content/videos/new');
    const before = await videoCount();
    const whole = await multipart({ _csrf: editor.lastCsrf, description: 'x', video: { name: 'v.mp4', bytes: mp4Bytes(300_000), type: 'video/mp4' }, captions: { name: 'c.vtt', bytes: CAPTIONS, type: 'text/vtt' } });
    const extra = await multipart({ _csrf: editor.lastCsrf, description: 'x', a: 'y', b: 'z', video: { name: 'v.mp4', bytes: mp4Bytes(200_000), type: 'video/mp4' } });
    const cases: Array<[string, Buffer, string, string]> = [
      ['no boundary', whole.payload, 'multipart/form-data', 'did not arrive whole'],
      ['cut off in the middle of the video', whole.payload.subarray(0, 200_000), whole.contentType, 'did not arrive whole'],
      ['more fields than the form has', extra.payload, extra.contentType, 'more than this page asks for'],
    ];
    for (const [label, payload, contentType, message] of cases) {
      const answer = await editor.request('POST', '/app/content/videos/new', { payload, contentType });
      expect(answer.statusCode, label).toBe(400);
      expect(answer.body, label).toContain('govuk-error-summary');
      expect(answer.body, label).toContain(message);
    }
    // What was read before the body broke off is kept to correct.
    expect((await editor.request('POST', '/app/content/videos/new', { payload: whole.payload.subarray(0, 200_000), contentType: whole.contentType })).body).toMatch(/id="description" name="description" type="text" value="x"/);
    expect(await videoCount()).toBe(before);
  });

  it('refuses captions that name a refuge’s address: they would be public beside the video', async () => {
    const organisationId = await createOrganisation(platform.services, 'Video Guard Trust (synthetic)');
    await createLocation(platform.services, { organisationId, name: 'Refuge', locationType: 'physical', confidential: true, address: { address1: 'Larkspur House', address2: '4 Tumblewick Row', city: 'Dover', postalCode: 'CT16 9ZZ' }, areaCode: 'dover', accessibility: null });
    await editor.get('/app/content/videos/new');
    const before = await videoCount();
    // As written, and as a player shows it: markup, character references and cues run together are read through.
    const cue = (text: string) => `\n00:00:04.000 --> 00:00:08.000\n${text}\n`;
    for (const naming of [cue('Come to 4 Tumblewick Row.'), cue('Near CT16 <b>9ZZ</b>.'), cue('Near CT16 <00:00:05.000>9ZZ.'), cue('Near CT&#49;6&nbsp;9ZZ.'), `${cue('<v Guide>Near CT16</v>')}${cue('<v Guide>9ZZ</v>')}`, cue('Near ＣＴ１６ ９ＺＺ.'), '\nNOTE We are at 4 Tumblewick Row\n']) {
      const answer = await upload(editor, { description: 'x', video: { name: 'v.mp4', bytes: mp4Bytes(5000), type: 'video/mp4' }, captions: { name: 'c.vtt', bytes: `${CAPTIONS}${naming}`, type: 'text/vtt' } });
      expect(answer.statusCode, naming).toBe(400);
      expect(answer.body, naming).toContain('href="#captions"');
      expect(answer.body, naming).toContain('This names the address, street or postcode of a confidential location');
    }
    expect(await videoCount()).toBe(before);
  });

  it('takes in one upload at a time: another sent while the first arrives is asked to wait, and the first is stored', async () => {
    const before = await videoCount();
    const captions = { name: 'c.vtt', bytes: CAPTIONS, type: 'text/vtt' };
    const slow = await multipart({ _csrf: editor.lastCsrf, description: 'Arrives slowly (synthetic)', video: { name: 'slow.mp4', bytes: mp4Bytes(600_000), type: 'video/mp4' }, captions });
    const arriving = new PassThrough();
    const first = editor.request('POST', '/app/content/videos/new', { payload: arriving, contentType: slow.contentType });
    // More than the stream buffers, so it drains only once the server is reading this upload.
    expect(arriving.write(slow.payload.subarray(0, 200_000))).toBe(false);
    await once(arriving, 'drain');

    const meanwhile = await upload(editor, { description: 'Sent meanwhile (synthetic)', video: { name: 'v.mp4', bytes: mp4Bytes(5000), type: 'video/mp4' }, captions });
    expect(meanwhile.statusCode).toBe(503);
    expect(meanwhile.headers['retry-after']).toBe('60');
    expect(meanwhile.body).toContain('href="#video"');
    expect(meanwhile.body).toContain('Another video is being uploaded');

    arriving.end(slow.payload.subarray(200_000));
    expect((await first).statusCode).toBe(303);
    const after = await upload(editor, { description: 'Sent afterwards (synthetic)', video: { name: 'v.mp4', bytes: mp4Bytes(5000), type: 'video/mp4' }, captions });
    expect(after.statusCode).toBe(303);
    expect(await videoCount()).toBe(before + 2);
  });

  it('reads an upload only from an editor: anyone else is refused before the body is read, and nothing is stored', async () => {
    const before = await videoCount();
    // More files than the form takes, so reading it would be refused as too large (413): other answers show it was never read.
    const file = { name: 'v.mp4', bytes: mp4Bytes(100), type: 'video/mp4' };
    const unreadable = await multipart({ a: file, b: file, c: file });
    const stranger = await platform.app.inject({ method: 'POST', url: '/app/content/videos/new', headers: { 'content-type': unreadable.contentType }, payload: unreadable.payload });
    expect(stranger.statusCode).toBe(401);
    const practitioner = await signIn(platform, 'practitioner@demo.invalid');
    const refused = await practitioner.request('POST', '/app/content/videos/new', unreadable);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('You do not have permission to see this page');

    // An editor's browser made to send it by another site carries no form token.
    const forged = await upload(editor, { description: 'x', video: { name: 'v.mp4', bytes: mp4Bytes(5000), type: 'video/mp4' }, captions: { name: 'c.vtt', bytes: CAPTIONS, type: 'text/vtt' } }, 'forged');
    expect(forged.statusCode).toBe(403);
    expect(await videoCount()).toBe(before);

    // Every other form refuses a multipart body unread.
    const page = await bslPage();
    const elsewhere = await editor.request('POST', `/app/content/pages/${page.id}`, await multipart({ _csrf: editor.lastCsrf, title: 'x' }));
    expect(elsewhere.statusCode).toBe(415);
  });
});
