import { describe, expect, it } from 'vitest';
import { startupBanner } from './banner.js';

describe('what npm start prints', () => {
  const url = 'http://127.0.0.1:3000';
  const both = { SEED_DEMO: true, DATA_DIR: './data', SURFACES: ['public', 'professional'] as Array<'public' | 'professional'> };

  it('gives both addresses, the database and the demo sign-ins on an instance serving both surfaces', () => {
    const banner = startupBanner(url, 'sqlite', both);
    expect(banner).toContain(`Public support site: ${url}/`);
    expect(banner).toContain(`Partner staff sign-in: ${url}/app/sign-in`);
    expect(banner).toContain('Database: SQLite file in ./data');
    expect(banner).toContain('admin@demo.invalid');
    expect(banner).toContain('npm run cli -- demo-code <email>');
  });

  it('names only the addresses an instance serves: the other surface answers 404 there', () => {
    const publicOnly = startupBanner(url, 'postgres', { ...both, SURFACES: ['public'] });
    expect(publicOnly).toContain('Public support site');
    expect(publicOnly).not.toContain('sign-in');
    expect(publicOnly).not.toContain('demo.invalid');
    const staffOnly = startupBanner(url, 'postgres', { ...both, SURFACES: ['professional'] });
    expect(staffOnly).not.toContain('Public support site');
    expect(staffOnly).toContain('Partner staff sign-in');
    expect(staffOnly).toContain('Database: PostgreSQL');
  });
});
