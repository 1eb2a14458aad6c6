import type { Config } from './config.js';
import { DEMO_PASSWORD, DEMO_PERSONAS } from './platform/seed/demo-users.js';

/** The addresses this instance serves (only its surfaces'), and the demo sign-ins where it has the staff side. */
export function startupBanner(url: string, dialect: string, config: Pick<Config, 'SEED_DEMO' | 'DATA_DIR' | 'SURFACES'>): string {
  const lines = [
    '',
    `Domestic Abuse Partnership Platform is running at ${url}`,
    ...(config.SURFACES.includes('public') ? [`  Public support site: ${url}/`] : []),
    ...(config.SURFACES.includes('professional') ? [`  Partner staff sign-in: ${url}/app/sign-in`] : []),
    `  Database: ${dialect === 'sqlite' ? `SQLite file in ${config.DATA_DIR}` : 'PostgreSQL'}`,
  ];
  if (config.SEED_DEMO && config.SURFACES.includes('professional')) {
    lines.push('', `Demo sign-ins (synthetic accounts; password for all: ${DEMO_PASSWORD}):`);
    for (const persona of DEMO_PERSONAS) lines.push(`  ${persona.email.padEnd(28)} ${persona.roles.join(', ')}`);
    lines.push(
      '',
      'Second factor: add the account to an authenticator app with its secret, shown by',
      '  npm run cli -- demo-code <email>',
      'which also prints the current 6-digit code and the account’s single-use recovery codes.',
      '',
    );
  }
  return `${lines.join('\n')}\n`;
}
