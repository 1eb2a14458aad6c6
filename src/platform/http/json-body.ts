import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Deeper than any body this service takes (a referral is four levels deep): code that walks a body need not fear its stack. */
export const MAX_JSON_DEPTH = 32;

export const JSON_TOO_DEEP = 'APP_JSON_TOO_DEEP';

/**
 * Fastify's own JSON parser (with its guards against prototype poisoning), then a check that the body is not nested
 * more deeply than MAX_JSON_DEPTH: a body of 5,000 nested arrays parses, but code that walks it by recursion would
 * overflow its stack and answer 500 instead of 400.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, async (request: FastifyRequest, body: string | Buffer) => {
    const parsed = await new Promise<unknown>((resolve, reject) => {
      void parse(request, String(body), (error: Error | null, value?: unknown) => {
        if (error) reject(error);
        else resolve(value);
      });
    });
    if (nestedDeeperThan(parsed, MAX_JSON_DEPTH)) throw Object.assign(new Error('JSON nested too deeply'), { statusCode: 400, code: JSON_TOO_DEEP });
    return parsed;
  });
}

function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<[unknown, number]> = [[value, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (item === null || typeof item !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}
