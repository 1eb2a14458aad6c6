import { buildApp } from '../../../src/app.js';
import type { FeatureModule } from '../../../src/platform/modules.js';
import { MODULES } from '../../../src/modules/index.js';
import type { Logger } from 'pino';
import { createLogger } from '../../../src/platform/logging.js';
import type { TestPlatform } from '../../support/platform.js';

/** Text that only a crashed handler knows: it must reach the log and never the person. */
export const INTERNAL_DETAIL = 'internal detail: connection to vault-7 refused at row 42';

/**
 * Routes that exist only in these tests, declared and guarded like any other: one that throws (on each surface)
 * and a JSON API that echoes its body, so body limits and JSON errors can be checked before any real API exists.
 */
export const hardeningProbes: FeatureModule = {
  name: 'hardening-probes',
  surface: 'professional',
  viewFolders: [],
  register(app) {
    const fail = () => {
      throw new Error(INTERNAL_DETAIL);
    };
    app.get('/app/probe/throws', { config: { access: 'account.use' } }, fail);
    app.get('/probe/throws', { config: { access: 'public' } }, fail);
    // As a PostgreSQL query fails when the server is restarting or gone.
    app.get('/probe/database-gone', { config: { access: 'public' } }, () => {
      throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    });
    app.get('/api/probe/database-gone', { config: { access: 'public' } }, () => {
      throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.7:5432'), { code: 'ECONNREFUSED' });
    });
    app.post('/api/probe/echo', { config: { access: 'public' } }, (request) => ({ received: request.body }));
  },
};

/** The test platform's services behind a second app that also has the probe routes (and, optionally, a logger). */
export async function withProbes(platform: TestPlatform, logger: Logger = createLogger('silent')): Promise<TestPlatform> {
  const app = await buildApp({ services: platform.services, logger, modules: [...MODULES, hardeningProbes] });
  await app.ready();
  return {
    ...platform,
    app,
    async close() {
      await app.close();
      await platform.close();
    },
  };
}
