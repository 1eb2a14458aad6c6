import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli } from '../../test/support/cli.js';
import { createTestPlatform, type TestPlatform } from '../../test/support/platform.js';
import { apiBody } from '../modules/referrals/test-support/bodies.js';

describe('api-keys CLI', { timeout: 120_000 }, () => {
  let platform: TestPlatform;
  let env: Record<string, string>;
  beforeAll(async () => {
    platform = await createTestPlatform();
    env = cliEnv(platform.config);
  });
  afterAll(() => platform.close());

  const post = (key: string) =>
    platform.app.inject({ method: 'POST', url: '/api/v1/referrals', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, payload: JSON.stringify(apiBody({ yes: 1 })) });

  it('creates a key that prints once and works, lists it without the key, and revokes it', async () => {
    const created = await runCli(['api-keys', 'create', '--org', 'kent-police', '--label', 'CLI test system'], env);
    expect(created.code).toBe(0);
    const key = /dapk_[A-Za-z0-9_-]{20,}/.exec(created.stdout)?.[0] ?? '';
    const id = /Created API key (\S+) for Kent Police/.exec(created.stdout)?.[1] ?? '';
    expect(key).not.toBe('');
    expect((await post(key)).statusCode).toBe(201);

    const listed = await runCli(['api-keys', 'list', '--org', 'kent-police'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).toContain('CLI test system');
    expect(listed.stdout).not.toContain(key);

    const revoked = await runCli(['api-keys', 'revoke', id], env);
    expect(revoked).toMatchObject({ code: 0, stdout: `Revoked API key ${id}.\n` });
    expect((await post(key)).statusCode).toBe(401);
    expect((await runCli(['api-keys', 'list'], env)).stdout).toMatch(new RegExp(`${id}.*revoked`));
  });

  it('explains an unknown organisation or key without a stack trace', async () => {
    const unknownOrg = await runCli(['api-keys', 'create', '--org', 'no-such-org'], env);
    expect(unknownOrg.code).not.toBe(0);
    expect(unknownOrg.stderr).toContain('There is no organisation with the short name "no-such-org"');
    expect(unknownOrg.stderr).not.toMatch(/\n\s+at /);
    const unknownKey = await runCli(['api-keys', 'revoke', 'not-a-key'], env);
    expect(unknownKey.code).not.toBe(0);
    expect(unknownKey.stderr).toContain('There is no active API key with that id.');
  });
});
