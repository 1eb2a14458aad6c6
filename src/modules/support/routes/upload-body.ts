import type { MultipartFile } from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UploadedFile } from '../video-files.js';

export interface UploadShape {
  /** The text fields the form has. */
  readonly fields: readonly string[];
  /** The file fields the form has, each with the most bytes it may hold. */
  readonly files: Readonly<Record<string, number>>;
}

const FIELD_BYTES = 4096;

/** The multipart plugin's options for the routes readUpload serves: a file past its limit is marked, not an error. */
export const MULTIPART_OPTIONS = { throwFileSizeLimit: false } as const;

/**
 * A multipart form read into a body like a plain form's: each of the form's text fields as text (the first sent, if
 * one is sent twice), each of its files read whole up to its own limit (past it, the rest is read and dropped and the
 * file is marked cut short, so memory never holds more than the limit). Anything else is dropped; a body that cannot
 * be read, or holds more parts than the form has, also gives what to tell the person.
 */
export async function readUpload(request: FastifyRequest, shape: UploadShape): Promise<{ body: Record<string, unknown>; problem?: string }> {
  const fileCount = Object.keys(shape.files).length;
  const largest = Math.max(...Object.values(shape.files));
  const body: Record<string, unknown> = {};
  try {
    const parts = request.parts({
      limits: { fileSize: largest, files: fileCount, fields: shape.fields.length, parts: fileCount + shape.fields.length, fieldSize: FIELD_BYTES },
    });
    for await (const part of parts) {
      const limit = part.type === 'file' ? shape.files[part.fieldname] : undefined;
      if (part.type === 'file') {
        const file = await readFile(part, limit ?? 0);
        if (limit !== undefined && !(part.fieldname in body)) body[part.fieldname] = file;
      } else if (shape.fields.includes(part.fieldname) && !(part.fieldname in body)) {
        body[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    const tooMany = (error as { statusCode?: number }).statusCode === 413;
    return {
      body,
      problem: tooMany
        ? 'The form sent more than this page asks for. Use the form below to upload the video and its captions'
        : 'The files did not arrive whole. Select the video and its captions again and upload them',
    };
  }
  return { body };
}

/**
 * How many uploads one instance takes in at once. An upload is held in memory while it arrives (up to its limit), so
 * without this, editors' (or a stolen editor session's) parallel uploads could take all the memory there is. A slot
 * is held for a while at most: an upload still arriving then is cut off, so one slow sender cannot keep every other
 * editor waiting.
 */
export class UploadSlots {
  #inUse = 0;

  constructor(
    private readonly size: number,
    private readonly longestHoldMs: number,
  ) {}

  /** Takes a slot for this request until its answer is sent or its connection closes; false when none is free. */
  take(request: FastifyRequest, reply: FastifyReply): boolean {
    if (this.#inUse >= this.size) return false;
    this.#inUse += 1;
    const cutOff = setTimeout(() => request.raw.destroy(), this.longestHoldMs);
    reply.raw.once('close', () => {
      clearTimeout(cutOff);
      this.#inUse -= 1;
    });
    return true;
  }
}

async function readFile(part: MultipartFile, limit: number): Promise<UploadedFile> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of part.file) {
    const bytes = chunk as Buffer;
    if (size + bytes.length > limit) {
      size = limit + 1;
      continue;
    }
    chunks.push(bytes);
    size += bytes.length;
  }
  return { fileName: part.filename, chunks, size: Math.min(size, limit), truncated: part.file.truncated || size > limit };
}
