import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openPlatform } from './bootstrap.js';
import { ConfigError, loadConfig } from './config.js';

describe('opening the platform', () => {
  it('names DATABASE_URL, without repeating it, when no PostgreSQL server answers there', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dapp-bootstrap-'));
    const config = loadConfig({ DATA_DIR: dataDir, DATABASE_URL: 'postgres://someone:secret-password@127.0.0.1:1/partnership' });
    const refusal = await openPlatform(config).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ConfigError);
    expect((refusal as Error).message).toMatch(/^Could not use the PostgreSQL database in DATABASE_URL: connect ECONNREFUSED/);
    expect((refusal as Error).message).not.toContain('secret-password');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
