import { hash } from 'node:crypto';

const COMMA = Buffer.from(',');

/**
 * An answer serialised once as UTF-8 JSON, with a SHA-256 digest that identifies its content (the answer's ETag).
 * A joined answer's digest covers the digests of its parts rather than every byte again: as strong, and a page of
 * fifty services no longer hashes fifty services' worth of bytes.
 */
export class JsonBytes {
  private constructor(
    readonly bytes: Buffer,
    readonly digest: string,
  ) {}

  static of(value: unknown): JsonBytes {
    const bytes = Buffer.from(JSON.stringify(value));
    return new JsonBytes(bytes, hash('sha256', bytes, 'base64url'));
  }

  /** `opening`, the parts separated by commas, then `closing`: a JSON array's items within their envelope. */
  static join(opening: string, parts: readonly JsonBytes[], closing: string): JsonBytes {
    const pieces: Buffer[] = [Buffer.from(opening)];
    parts.forEach((part, index) => pieces.push(...(index === 0 ? [part.bytes] : [COMMA, part.bytes])));
    pieces.push(Buffer.from(closing));
    const digest = hash('sha256', `${opening}\u0000${parts.map((part) => part.digest).join(',')}\u0000${closing}`, 'base64url');
    return new JsonBytes(Buffer.concat(pieces), digest);
  }
}
