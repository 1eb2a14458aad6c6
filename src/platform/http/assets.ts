import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { ASSET_ROOTS } from '../views/nunjucks.js';
import path from 'node:path';

const ONE_DAY_SECONDS = 24 * 60 * 60;

/**
 * Static files are never rate limited: a page whose stylesheet or script was refused would lose the quick exit's
 * own behaviour (blanking the page, replacing the history entry) just when someone is using the site hard.
 */
const ASSET_ROUTE = { config: { access: 'public', rateLimit: false } } as const;

/**
 * GOV.UK Frontend, MoJ Frontend and our own CSS/JS, served from this origin only (no CDN, no third party).
 * Routes are declared here, with their access, rather than by the plugin, so the deny-by-default check sees them.
 */
export async function registerAssets(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: [path.join(ASSET_ROOTS.govuk, 'assets'), ASSET_ROOTS.govuk],
    serve: false,
    cacheControl: true,
    maxAge: ONE_DAY_SECONDS * 1000,
  });
  app.get('/assets/own/*', ASSET_ROUTE, (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    return reply.sendFile(file, ASSET_ROOTS.own);
  });
  app.get('/assets/moj/*', ASSET_ROUTE, (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    return reply.sendFile(file, ASSET_ROOTS.moj);
  });
  app.get('/assets/*', ASSET_ROUTE, (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    return reply.sendFile(file);
  });
}
