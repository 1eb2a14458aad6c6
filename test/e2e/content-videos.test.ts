import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_DIR } from '../../src/modules/support/video-files.js';
import { startBrowserRig, type BrowserRig } from './support/browser.js';
import { expectPageShown, signInAs } from './support/pages.js';

const RECORDING = { name: 'bsl-new-recording.mp4', mimeType: 'video/mp4', buffer: fs.readFileSync(path.join(MEDIA_DIR, 'bsl-getting-support.mp4')) };
const CAPTIONS = { name: 'bsl-new-recording.vtt', mimeType: 'text/vtt', buffer: Buffer.from('WEBVTT\n\n00:00:00.000 --> 00:00:03.000\nA new recording (synthetic).\n') };

/**
 * An editor replaces the BSL page's video as they would: upload it with its captions (a mistake first), choose it on
 * the page, preview, publish; the public page then plays it from our own address. Axe on every page.
 */
describe('replacing the BSL video in the browser', () => {
  let rig: BrowserRig;
  beforeAll(async () => {
    rig = await startBrowserRig();
  });
  afterAll(() => rig.close());

  it('uploads a recording, puts it on the BSL page and serves it to the public', { timeout: 120_000 }, async () => {
    const page = await signInAs(rig, 'editor@demo.invalid');
    await page.goto('/app/content');
    await page.getByRole('link', { name: 'Upload and replace videos' }).click();
    await expectPageShown(page, 'Videos');
    await page.getByRole('button', { name: 'Upload a video' }).click();
    await expectPageShown(page, 'Upload a video');

    await page.getByLabel('What does the video show?').fill('Getting support, in BSL (synthetic new recording)');
    await page.getByLabel('Video file').setInputFiles(RECORDING);
    await page.getByRole('button', { name: 'Upload video' }).click();
    await expectPageShown(page, 'Upload a video');
    await expect(page.getByRole('alert').getByRole('link', { name: 'Select the captions file' }).isVisible()).resolves.toBe(true);
    await expect(page.getByLabel('What does the video show?').inputValue()).resolves.toBe('Getting support, in BSL (synthetic new recording)');

    await page.getByLabel('Video file').setInputFiles(RECORDING);
    await page.getByLabel('English captions').setInputFiles(CAPTIONS);
    await page.getByRole('button', { name: 'Upload video' }).click();
    await expectPageShown(page, 'Videos');
    await expect(page.getByText('The video is uploaded').isVisible()).resolves.toBe(true);

    const bsl = await rig.platform.services.db.kysely.selectFrom('support_pages').select('id').where('slug', '=', 'bsl').where('lang', '=', 'en').executeTakeFirstOrThrow();
    await page.goto(`/app/content/pages/${bsl.id}`);
    await expectPageShown(page, 'Edit page');
    await page.getByRole('radio', { name: 'Getting support, in BSL (synthetic new recording)' }).check();
    await page.getByLabel('What did you change?').fill('The new BSL recording');
    await page.getByRole('button', { name: 'Save draft and preview' }).click();
    await expectPageShown(page, /Preview/);
    const previewed = await page.locator('video source').getAttribute('src');
    expect(previewed).toMatch(/^\/app\/content\/media\/[0-9a-f-]{36}\.mp4$/);
    await page.getByRole('button', { name: 'Publish' }).click();
    await expectPageShown(page, 'Public site content');

    const reader = await rig.newPage();
    await reader.goto('/bsl');
    await expectPageShown(reader, /British Sign Language/);
    const source = await reader.locator('video source').getAttribute('src');
    expect(source).toBe(previewed?.replace('/app/content/media/', '/media/'));
    const part = await reader.request.get(source ?? '', { headers: { range: 'bytes=0-1023' } });
    expect(part.status()).toBe(206);
    expect((await part.body()).equals(RECORDING.buffer.subarray(0, 1024))).toBe(true);
    const captions = await reader.request.get(await reader.locator('video track').getAttribute('src') ?? '');
    expect(await captions.text()).toContain('A new recording (synthetic).');
    expect(rig.problems).toEqual([]);
  });
});
