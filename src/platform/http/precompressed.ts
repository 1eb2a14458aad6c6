import zlib from 'node:zlib';
import { Negotiator } from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';

const ENCODINGS = ['br', 'gzip'] as const;
type Encoding = (typeof ENCODINGS)[number];

const negotiator = new Negotiator<Encoding>({ supportedValues: [...ENCODINGS] });
/** The same threshold and brotli quality as the compression plugin uses for everything else. */
const SMALLEST_WORTH_COMPRESSING = 1024;
const COMPRESS: Record<Encoding, (bytes: Buffer) => Buffer> = {
  br: (bytes) => zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT, [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } }),
  gzip: (bytes) => zlib.gzipSync(bytes),
};

/**
 * An answer that is the same for everyone who asks (a cached public page or Open Referral answer), kept as UTF-8
 * bytes and compressed at most once per encoding, on the first request that asks for it, instead of on every answer.
 */
export class SharedBody {
  readonly #encoded = new Map<Encoding, Buffer>();

  constructor(readonly bytes: Buffer) {}

  static of(text: string): SharedBody {
    return new SharedBody(Buffer.from(text));
  }

  encodedAs(encoding: Encoding): Buffer {
    let encoded = this.#encoded.get(encoding);
    if (!encoded) {
      encoded = COMPRESS[encoding](this.bytes);
      this.#encoded.set(encoding, encoded);
    }
    return encoded;
  }
}

/**
 * Sends a shared body in the best encoding the client accepts; the compression plugin leaves an encoded answer alone.
 * Given the content's tag, it answers a matching If-None-Match with 304 and no body. A strong ETag names one
 * representation (RFC 9110, 8.8.3), so each encoding gets its own: the content's tag with the encoding added, as
 * Apache's mod_deflate does.
 */
export function sendShared(request: FastifyRequest, reply: FastifyReply, body: SharedBody, contentType: string, contentTag?: string): FastifyReply {
  reply.type(contentType).header('Vary', 'Accept-Encoding');
  const accepted = request.headers['accept-encoding'];
  const encoding = accepted && body.bytes.length >= SMALLEST_WORTH_COMPRESSING ? negotiator.negotiate(accepted) : null;
  if (contentTag !== undefined) {
    reply.header('ETag', `"${contentTag}${encoding ? `-${encoding}` : ''}"`);
    if (namesContent(request.headers['if-none-match'], contentTag)) return reply.code(304).send();
  }
  if (!encoding) return reply.send(body.bytes);
  return reply.header('Content-Encoding', encoding).send(body.encodedAs(encoding));
}

/**
 * If-None-Match is compared weakly (RFC 9110, 13.1.2), and, going a step further on purpose, a tag sent for any
 * encoding of the content counts: each decodes to the same bytes, so the client's copy is current. The 304 carries
 * the tag of the encoding this request would get.
 */
function namesContent(ifNoneMatch: string | undefined, contentTag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((sent) => {
    const tag = sent.trim();
    if (tag === '*') return true;
    const opaque = tag.replace(/^W\//, '').replace(/^"|"$/g, '');
    return opaque === contentTag || ENCODINGS.some((encoding) => opaque === `${contentTag}-${encoding}`);
  });
}
