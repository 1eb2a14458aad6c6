import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../../test/support/platform.js';

describe('Open Referral API under its rate limit', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform({ demo: false, env: { RATE_LIMIT_PER_MINUTE: '1', OPEN_DATA_RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => platform.close());

  it('answers every preflight without counting it, and lets browser code read when to try again', async () => {
    const preflight = () => platform.app.inject({ method: 'OPTIONS', url: '/api/oruk/services', remoteAddress: '203.0.113.20', headers: { origin: 'https://partner.example.org', 'access-control-request-method': 'GET' } });
    const get = () => platform.app.inject({ url: '/api/oruk/services', remoteAddress: '203.0.113.20' });
    for (let count = 0; count < 5; count += 1) expect((await preflight()).statusCode).toBe(204);
    const answers = [await get(), await get(), await get(), await get()];
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 429]);
    const refused = answers[3];
    expect(refused?.headers['content-type']).toContain('application/problem+json');
    expect(refused?.headers['retry-after']).toBeDefined();
    expect(String(refused?.headers['access-control-expose-headers'])).toContain('Retry-After');
    expect(refused?.headers['access-control-allow-origin']).toBe('*');
  });

  it('gives the feed its own allowance, above the site’s: a validator fetching every record is not refused part-way', async () => {
    const page = () => platform.app.inject({ url: '/', remoteAddress: '203.0.113.21' });
    expect([(await page()).statusCode, (await page()).statusCode]).toEqual([200, 429]);
    const feed = () => platform.app.inject({ url: '/api/oruk/taxonomies', remoteAddress: '203.0.113.21' });
    expect([(await feed()).statusCode, (await feed()).statusCode, (await feed()).statusCode, (await feed()).statusCode]).toEqual([200, 200, 200, 429]);
  });

  it('counts every address of the feed against one allowance per client, so moving to another address does not reset it', async () => {
    const get = (url: string, remoteAddress = '203.0.113.22') => platform.app.inject({ url, remoteAddress });
    const answers = [await get('/api/oruk/'), await get('/api/oruk/services'), await get('/api/oruk/taxonomy_terms'), await get('/api/oruk/service_at_locations')];
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 429]);
    expect((await get('/api/oruk/taxonomies', '203.0.113.23')).statusCode).toBe(200);
  });
});
