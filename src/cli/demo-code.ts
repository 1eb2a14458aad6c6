import type { Command } from 'commander';
import { complain, operatorConfig, OperatorError, say } from './output.js';
import { currentTotpCode, totpUri } from '../platform/auth/totp.js';
import { DEMO_PERSONAS, demoRecoveryCodes } from '../platform/seed/demo-users.js';

export function registerDemoCodeCommand(program: Command): void {
  program
    .command('demo-code')
    .description('Print the authenticator secret, the current 6-digit code and the recovery codes of a synthetic demo sign-in.')
    .argument('<email>', 'a demo sign-in, e.g. practitioner@demo.invalid')
    .action((email: string) => {
      // Production never holds the demo sign-ins (the service refuses to start on such a database): a production
      // database given an address like theirs is not to be signed in to with the published secrets.
      if (operatorConfig().NODE_ENV === 'production') throw new OperatorError('demo-code is for the synthetic demo only, and this is a production configuration (NODE_ENV=production).');
      const persona = DEMO_PERSONAS.find((candidate) => candidate.email === email.trim().toLowerCase());
      if (!persona) {
        complain(`${email} is not a demo sign-in. Demo sign-ins: ${DEMO_PERSONAS.map((p) => p.email).join(', ')}`);
        return;
      }
      say(
        `Secret (add to an authenticator app): ${persona.totpSecret}`,
        `otpauth URI: ${totpUri(persona.totpSecret, persona.email)}`,
        `Current code: ${currentTotpCode(persona.totpSecret)} (changes every 30 seconds)`,
        `Recovery codes, each usable once instead of a code (unless new ones were made on the account page): ${demoRecoveryCodes(persona).join(' ')}`,
      );
    });
}
