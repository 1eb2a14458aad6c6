import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** seed/content/media: the video the site starts with, loaded into the database like the pages. */
export const MEDIA_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../seed/content/media');

/** Captions are text: a whole hour of them is well under this. */
export const CAPTIONS_MAX_BYTES = 1024 * 1024;

/**
 * A file's bytes as they arrived, in the pieces they arrived in: a video is never copied whole into one buffer (which
 * would hold it twice), only cut into the slices it is stored in.
 */
export interface FileBytes {
  readonly chunks: readonly Buffer[];
  readonly size: number;
}

/** A file as a form sent it: its name on the sender's computer, its bytes, and whether it was cut at the size limit. */
export interface UploadedFile extends FileBytes {
  readonly fileName: string;
  readonly truncated: boolean;
}

export function isUploadedFile(value: unknown): value is UploadedFile {
  const file = value as Partial<UploadedFile> | null;
  return typeof file === 'object' && file !== null && typeof file.fileName === 'string' && Array.isArray(file.chunks) && typeof file.size === 'number' && typeof file.truncated === 'boolean';
}

export function fileBytes(bytes: Buffer): FileBytes {
  return { chunks: [bytes], size: bytes.length };
}

/** The first `length` bytes (fewer if the file is shorter). */
export function headOf(file: FileBytes, length: number): Buffer {
  const taken: Buffer[] = [];
  let size = 0;
  for (const chunk of file.chunks) {
    if (size >= length) break;
    taken.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(taken).subarray(0, length);
}

/** The file in pieces of `size` bytes (the last one shorter), each made only as it is asked for. */
export function* slicesOf(file: FileBytes, size: number): Generator<Buffer> {
  let pending: Buffer[] = [];
  let held = 0;
  for (const chunk of file.chunks) {
    for (let at = 0; at < chunk.length; ) {
      const piece = chunk.subarray(at, at + size - held);
      pending.push(piece);
      held += piece.length;
      at += piece.length;
      if (held === size) {
        yield Buffer.concat(pending);
        pending = [];
        held = 0;
      }
    }
  }
  if (held > 0) yield Buffer.concat(pending);
}

/** Brands an MP4 file names itself by: QuickTime (`qt  `), 3GPP-only and HEIF files name others, and browsers may not play them. */
const MP4_BRANDS = new Set(['isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'iso7', 'iso8', 'iso9', 'mp41', 'mp42', 'avc1', 'M4V ', 'dash', 'mmp4', 'MSNV']);

/** An MP4 file begins with its `ftyp` box (after the box's length): its main brand, a version, then compatible brands. */
export function isMp4(bytes: Buffer): boolean {
  if (bytes.length < 16 || bytes.toString('latin1', 4, 8) !== 'ftyp') return false;
  const end = Math.min(bytes.length, Math.max(16, bytes.readUInt32BE(0)));
  const brands = [bytes.toString('latin1', 8, 12)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(bytes.toString('latin1', at, at + 4));
  return brands.some((brand) => MP4_BRANDS.has(brand));
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
  readonly file: FileBytes;
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
      return { slug, fileName: file, file: fileBytes(bytes), captions: captions.text, description: fs.readFileSync(path.join(dir, `${slug}.txt`), 'utf8').trim() };
    });
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', lrm: '', rlm: '' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
  });
}

/**
 * Captions as the public gets them, to look for what must not be public: the file as it is served (notes and cue
 * names included), then the words a player shows, with their markup (<b>, <v Speaker>, timestamps) and character
 * references taken out and every cue run together, so an address split across tags or cues reads whole.
 */
export function captionsAsPublished(captions: string): string {
  const shown = captions
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((block) => block.split('\n'))
    .flatMap((lines) => {
      const timing = lines.findIndex((line) => line.includes('-->'));
      return timing === -1 ? [] : lines.slice(timing + 1);
    })
    .map((line) => decodeEntities(line.replace(/<[^>]*>/g, '')))
    .join(' ');
  return `${captions}\n${shown}`;
}
