import zlib from 'node:zlib';
import { Negotiator } from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';

type Encoding = 'br' | 'gzip';

const negotiator = new Negotiator<Encoding>({ supportedValues: ['br', 'gzip'] });
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

/** Sends a shared body in the best encoding the client accepts; the compression plugin leaves an encoded answer alone. */
export function sendShared(request: FastifyRequest, reply: FastifyReply, body: SharedBody, contentType: string): FastifyReply {
  reply.type(contentType).header('Vary', 'Accept-Encoding');
  const accepted = request.headers['accept-encoding'];
  const encoding = accepted && body.bytes.length >= SMALLEST_WORTH_COMPRESSING ? negotiator.negotiate(accepted) : null;
  if (!encoding) return reply.send(body.bytes);
  return reply.header('Content-Encoding', encoding).send(body.encodedAs(encoding));
}
