import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** seed/content/media: the video the site starts with, loaded into the database like the pages. */
export const MEDIA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../seed/content/media');

/** Captions are text: a whole hour of them is well under this. */
export const CAPTIONS_MAX_BYTES = 1024 * 1024;

/** A file as a form sent it: its name on the sender's computer, its bytes, and whether it was cut at the size limit. */
export interface UploadedFile {
  readonly fileName: string;
  readonly bytes: Buffer;
  readonly truncated: boolean;
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  const file = value as Partial<UploadedFile> | null;
  return typeof file === 'object' && file !== null && typeof file.fileName === 'string' && Buffer.isBuffer(file.bytes) && typeof file.truncated === 'boolean';
}

/** An MP4 (ISO base media) file begins with its `ftyp` box: the four bytes after the box's length. */
export function isMp4(bytes: Buffer): boolean {
  return bytes.length >= 12 && bytes.toString('latin1', 4, 8) === 'ftyp';
}

const WEBVTT_SIGNATURE = /^WEBVTT(?:[ \t][^\n]*)?(?:\r?\n|$)/;
const CUE_TIMING = /^(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}[ \t]+-->[ \t]+(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}/m;

/** The captions as text, or what is wrong with the file, in words an editor can act on. */
export function readCaptions(bytes: Buffer): { readonly text: string } | { readonly problem: string } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { problem: 'The captions file must be saved as UTF-8 text' };
  }
  if (!WEBVTT_SIGNATURE.test(text)) return { problem: 'The captions file must be a WebVTT file: its first line is WEBVTT' };
  if (!CUE_TIMING.test(text)) return { problem: 'The captions file has no captions: each needs a line of times, like 00:00:01.000 --> 00:00:04.000' };
  return { text };
}

export interface SeedVideo {
  readonly slug: string;
  readonly description: string;
  readonly fileName: string;
  readonly bytes: Buffer;
  readonly captions: string;
}

/** Each `<name>.mp4` in seed/content/media with its captions (`<name>.en.vtt`) and what it shows (`<name>.txt`). */
export function readSeedVideos(dir = MEDIA_DIR): SeedVideo[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.mp4'))
    .sort()
    .map((file) => {
      const slug = file.slice(0, -'.mp4'.length);
      const bytes = fs.readFileSync(path.join(dir, file));
      const captions = readCaptions(fs.readFileSync(path.join(dir, `${slug}.en.vtt`)));
      if ('problem' in captions || !isMp4(bytes)) throw new Error(`seed/content/media/${slug}: ${'problem' in captions ? captions.problem : 'not an MP4 file'}`);
      return { slug, fileName: file, bytes, captions: captions.text, description: fs.readFileSync(path.join(dir, `${slug}.txt`), 'utf8').trim() };
    });
}
