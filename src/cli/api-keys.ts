import type { Command } from 'commander';
import { UserFacingError } from '../platform/http/errors.js';
import { OperatorError, say } from './output.js';
import { withPlatform } from './platform.js';

const OPERATOR = { userId: null, organisationId: null, requestId: 'cli' } as const;

/** `api-keys create|list|revoke`: keys for the partner referrals API, for the operator at the command line. */
export function registerApiKeysCommand(program: Command): void {
  const keys = program.command('api-keys').summary('Create, list and revoke API keys for the partner referrals API').description('API keys let a partner organisation’s system send referrals to POST /api/v1/referrals. A key is printed once and stored only as a hash.');

  keys
    .command('create')
    .description('Create an API key for an organisation and print it once')
    .requiredOption('--org <slug>', 'short name of the organisation, e.g. kent-police')
    .option('--label <text>', 'what the key is for, e.g. "Case management system (live)"', 'Created at the command line')
    .action(async (options: { org: string; label: string }) => {
      const label = options.label.trim();
      if (!label || label.length > 100) throw new OperatorError('Give a label of 1 to 100 characters.');
      await withPlatform(async (services) => {
        const organisation = await services.reference.getOrganisationBySlug(options.org.trim());
        if (!organisation) {
          const known = (await services.reference.listOrganisations()).map((candidate) => candidate.slug);
          throw new OperatorError(`There is no organisation with the short name "${options.org}". Short names: ${known.join(', ')}`);
        }
        try {
          const issued = await services.apiKeys.issue(organisation.id, label, OPERATOR);
          say(
            `Created API key ${issued.id} for ${organisation.name} ("${label}").`,
            '',
            'The key (shown once, never stored; copy it into the partner system’s secret store now):',
            '',
            `  ${issued.key}`,
            '',
            'Send it as: Authorization: Bearer <key>',
          );
        } catch (error: unknown) {
          if (error instanceof UserFacingError) throw new OperatorError(error.message);
          throw error;
        }
      });
    });

  keys
    .command('list')
    .description('List API keys (never the keys themselves)')
    .option('--org <slug>', 'only this organisation’s keys')
    .action(async (options: { org?: string }) => {
      await withPlatform(async (services) => {
        let organisationId: string | null = null;
        if (options.org) {
          const organisation = await services.reference.getOrganisationBySlug(options.org.trim());
          if (!organisation) throw new OperatorError(`There is no organisation with the short name "${options.org}".`);
          organisationId = organisation.id;
        }
        const list = await services.apiKeys.list(organisationId);
        if (list.length === 0) {
          say('No API keys.');
          return;
        }
        say(
          ...list.map((key) =>
            [key.id, key.organisationSlug.padEnd(24), `${key.prefix}…`, key.revokedAt ? `revoked ${key.revokedAt}` : 'active', `last used ${key.lastUsedAt ?? 'never'}`, `"${key.label}"`].join('  '),
          ),
        );
      });
    });

  keys
    .command('revoke')
    .description('Revoke an API key at once; requests with it are refused from then on')
    .argument('<id>', 'the key’s id, from api-keys list')
    .action(async (id: string) => {
      await withPlatform(async (services) => {
        try {
          await services.apiKeys.revoke(id.trim(), OPERATOR, null);
          say(`Revoked API key ${id.trim()}.`);
        } catch (error: unknown) {
          if (error instanceof UserFacingError) throw new OperatorError(error.message);
          throw error;
        }
      });
    });
}
