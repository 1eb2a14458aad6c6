import type { FastifyInstance } from 'fastify';

/**
 * One log line per answered request, written when the answer has gone (Fastify's own logging writes two: one on
 * arrival, one on completion). The serializers in logging.ts keep it to method, path without query, id and status.
 */
export function registerRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info({ req: request, res: reply, responseTime: Math.round(reply.elapsedTime * 10) / 10 }, 'request completed');
    done();
  });
}
