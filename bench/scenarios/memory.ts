import { signInOverHttp, startServerProcess } from '../support/server-process.js';
import type { Scenario } from '../support/types.js';

const MB = 1024 * 1024;
const REQUESTS = 10_000;

/**
 * Resident memory of the server on its own: the server runs as `npm start` runs it, in a separate process on the
 * same database as the other scenarios, and this process sends it 10,000 authenticated page requests.
 */
export const memoryScenario: Scenario = {
  name: 'memory',
  description: `Resident memory of a server process (as npm start runs it) after ${String(REQUESTS)} authenticated page requests`,
  async run(context) {
    const { config } = context.platform;
    const server = await startServerProcess({
      DATA_DIR: config.DATA_DIR,
      ...(config.DATABASE_URL ? { DATABASE_URL: config.DATABASE_URL } : {}),
      SEED_DEMO: 'false',
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '100000000',
    });
    try {
      // Another scenario may have used this step's code for the same person; the replay guard would refuse it.
      await context.platform.services.db.kysely.updateTable('users').set({ totp_last_step: null }).execute();
      const cookie = await signInOverHttp(server.baseUrl, 'practitioner@demo.invalid');
      const atStart = server.rss();
      await context.load({ baseUrl: server.baseUrl, path: '/app', headers: { cookie }, connections: 10, amount: REQUESTS });
      const after = server.rss();
      const row = { scenario: 'memory', database: context.dialect };
      return [
        { ...row, measure: 'server RSS when ready, signed in', target: '-', measured: `${(atStart / MB).toFixed(0)} MB` },
        { ...row, measure: `server RSS after ${REQUESTS.toLocaleString('en-GB')} authenticated requests`, target: '< 200 MB', measured: `${(after / MB).toFixed(0)} MB`, pass: after < 200 * MB },
      ];
    } finally {
      await server.stop();
    }
  },
};
