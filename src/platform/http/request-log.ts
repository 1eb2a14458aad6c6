import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * One log line per answered request, written when the answer has gone (Fastify's own writes two: one on arrival,
 * one on completion). The serializers in logging.ts keep it to method, path without query, id and status.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {
    // The completion line says what arrived as well.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = { req: request, res: reply, responseTime: Math.round(reply.elapsedTime * 10) / 10 };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
