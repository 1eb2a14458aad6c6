import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** A GET as a browser makes it: a redirect within the site is followed (a few at most), as the address bar would. */
export async function getFollowing(app: FastifyInstance, url: string): Promise<LightMyRequestResponse> {
  let response = await app.inject({ method: 'GET', url });
  for (let hop = 0; hop < 3 && [301, 302, 303, 307, 308].includes(response.statusCode); hop += 1) {
    const location = response.headers.location ?? '';
    if (!location.startsWith('/') || location.startsWith('//')) break;
    response = await app.inject({ method: 'GET', url: location });
  }
  return response;
}
