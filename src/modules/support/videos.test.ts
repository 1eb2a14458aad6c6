import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { signIn, type Visitor } from '../../../test/support/visitor.js';
import { createLocation, createOrganisation } from '../directory/test-fixtures.js';

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

  const videoCount = async () => (await platform.services.db.kysely.selectFrom('support_videos').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

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
    expect(await platform.services.db.kysely.selectFrom('support_videos').select('slug').execute()).toEqual([{ slug: video.slug }]);
    expect(await platform.services.db.kysely.selectFrom('support_video_slices').select('number').where('video_id', '=', seeded.id).execute()).toEqual([]);
  });

  it('refuses a file that is missing, too big or not what it says, saying which and why, and stores nothing', async () => {
    const video = { name: 'v.mp4', bytes: mp4Bytes(5000), type: 'video/mp4' };
    const captions = { name: 'c.vtt', bytes: CAPTIONS, type: 'text/vtt' };
    const cases: Array<[string, Record<string, string | FilePart>, string, string]> = [
      ['no description', { description: ' ', video, captions }, 'description', 'Say what the video shows'],
      ['no video chosen', { description: 'x', video: { name: '', bytes: '', type: 'application/octet-stream' }, captions }, 'video', 'Select the video file'],
      ['no video field', { description: 'x', captions }, 'video', 'Select the video file'],
      ['a video over the limit', { description: 'x', video: { ...video, bytes: mp4Bytes(2 * 1024 * 1024 + 1) }, captions }, 'video', 'The video must be smaller than 2 MB'],
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
    // What was typed is kept; the files must be chosen again, and the page says so.
    const kept = await upload(editor, { description: 'Kept words', video });
    expect(kept.body).toContain('value="Kept words"');
    expect(kept.body).toContain('select the video and its captions again');
    expect(await videoCount()).toBe(before);
  });

  it('refuses captions that name a refuge’s address: they would be public beside the video', async () => {
    const organisationId = await createOrganisation(platform.services, 'Video Guard Trust (synthetic)');
    await createLocation(platform.services, { organisationId, name: 'Refuge', locationType: 'physical', confidential: true, address: { address1: 'Larkspur House', address2: '4 Tumblewick Row', city: 'Dover', postalCode: 'CT16 9ZZ' }, areaCode: 'dover', accessibility: null });
    await editor.get('/app/content/videos/new');
    const before = await videoCount();
    const answer = await upload(editor, { description: 'x', video: { name: 'v.mp4', bytes: mp4Bytes(5000), type: 'video/mp4' }, captions: { name: 'c.vtt', bytes: `${CAPTIONS}\n00:00:04.000 --> 00:00:08.000\nCome to 4 Tumblewick Row.\n`, type: 'text/vtt' } });
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toContain('href="#captions"');
    expect(answer.body).toContain('This names the address, street or postcode of a confidential location');
    expect(await videoCount()).toBe(before);
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
