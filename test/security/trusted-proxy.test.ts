import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createTestPlatform, type TestPlatform } from '../support/platform.js';
import { Visitor } from '../support/visitor.js';

const LOAD_BALANCER = '10.0.0.5';
const VISITOR = '203.0.113.9';
/** What a visitor writes in the header themselves, before the load balancer adds the address it saw. */
const FORGED = '6.6.6.6';

describe('behind a load balancer', () => {
  let platform: TestPlatform | undefined;
  afterEach(() => platform?.close());

  async function auditedAddressOfFailedSignIn(trustProxy: string, forwardedFor: string, peer = LOAD_BALANCER): Promise<string | null> {
    platform = await createTestPlatform({ env: { TRUST_PROXY: trustProxy } });
    const visitor = new Visitor(platform.app, peer, { 'x-forwarded-for': forwardedFor });
    await visitor.get('/app/sign-in');
    const refused = await visitor.post('/app/sign-in', { email: 'nobody@demo.invalid', password: 'not the password' });
    expect(refused.statusCode).toBe(400);
    const event = await platform.services.db.kysely.selectFrom('audit_events').select('ip').where('action', '=', 'SIGN_IN_FAILED').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    return event.ip;
  }

  it('counts and records the address the load balancer saw, never one the visitor wrote into X-Forwarded-For', async () => {
    expect(await auditedAddressOfFailedSignIn('true', `${FORGED}, ${VISITOR}`)).toBe(VISITOR);
  });

  it('believes a counted proxy only when it connects from a private address: someone reaching an instance directly names no one', async () => {
    const directPeer = '198.51.100.7';
    expect(await auditedAddressOfFailedSignIn('true', FORGED, directPeer)).toBe(directPeer);
  });

  it('believes the header only from the proxies named, and otherwise records the connection’s own address', async () => {
    expect(await auditedAddressOfFailedSignIn('10.0.0.0/8', `${FORGED}, ${VISITOR}`)).toBe(VISITOR);
    await platform?.close();
    expect(await auditedAddressOfFailedSignIn('192.0.2.1', `${FORGED}, ${VISITOR}`)).toBe(LOAD_BALANCER);
    await platform?.close();
    expect(await auditedAddressOfFailedSignIn('false', `${FORGED}, ${VISITOR}`)).toBe(LOAD_BALANCER);
  });

  it('refuses a setting it cannot read, saying what it takes', () => {
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toEqual(['loopback', '10.0.0.0/8']);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY.*the number of proxies in front/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/TRUST_PROXY/);
    // Every address, written as a range: refused as "everyone" is, before the server tries to use it.
    for (const everyone of ['0.0.0.0/0', '::/0', '10.0.0.0/8, 0.0.0.0/0']) expect(() => loadConfig({ TRUST_PROXY: everyone }), everyone).toThrow(/TRUST_PROXY.*the number of proxies in front/);
  });
});
