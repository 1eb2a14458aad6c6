import type { Command } from 'commander';
import { z } from 'zod';
import { isRole, ROLE_NAMES, type Role } from '../platform/access/policy.js';
import { UserFacingError } from '../platform/http/errors.js';
import { OperatorError, say } from './output.js';
import { withPlatform } from './platform.js';

interface CreateUserOptions {
  readonly org: string;
  readonly email: string;
  readonly name: string;
  readonly roles: string;
}

function parseRoles(list: string): Role[] {
  const roles = list.split(',').map((role) => role.trim()).filter(Boolean);
  const unknown = roles.filter((role) => !isRole(role));
  if (roles.length === 0 || unknown.length > 0) {
    throw new OperatorError(`${unknown.length > 0 ? `Unknown role(s): ${unknown.join(', ')}.` : 'Give at least one role.'} Roles: ${ROLE_NAMES.join(', ')}`);
  }
  return roles.filter(isRole);
}

export function registerCreateUserCommand(program: Command): void {
  program
    .command('create-user')
    .summary('Create an invited account and print its one-time link')
    .description(
      'Create an invited account and print its one-time invitation link, for you to pass to the person by a secure route. Use it for the first administrator, or when email is not set up. Nothing is emailed.',
    )
    .requiredOption('--org <slug>', 'short name of their organisation, e.g. kent-county-council')
    .requiredOption('--email <email>', 'their work email address; they sign in with it')
    .requiredOption('--name <name>', 'their full name')
    .requiredOption('--roles <roles>', `comma-separated roles: ${ROLE_NAMES.join(', ')}`)
    .action(async (options: CreateUserOptions) => {
      const email = z.email().safeParse(options.email.trim());
      if (!email.success) throw new OperatorError(`"${options.email}" is not an email address in the correct format, like name@example.org.`);
      const name = options.name.trim();
      if (!name || name.length > 200) throw new OperatorError('Give their full name (200 characters or fewer).');
      const roles = parseRoles(options.roles);
      await withPlatform(async (services) => {
        const organisation = await services.reference.getOrganisationBySlug(options.org.trim());
        if (!organisation) {
          const known = (await services.reference.listOrganisations()).map((candidate) => candidate.slug);
          throw new OperatorError(`There is no organisation with the short name "${options.org}". Short names: ${known.join(', ')}`);
        }
        if (organisation.active !== 1) throw new OperatorError(`${organisation.name} is marked inactive; nobody can be invited into it.`);
        try {
          const { link } = await services.users.createInvited({ organisationId: organisation.id, email: email.data, name, roles });
          say(
            `Created an invited account for ${email.data} in ${organisation.name} with role(s): ${roles.join(', ')}.`,
            '',
            'One-time invitation link (works once, expires in 7 days):',
            '',
            `  ${link}`,
            '',
            'Anyone holding this link can take the account until it is used. Give it only to this person, by a secure route, and do not store it.',
          );
        } catch (error: unknown) {
          if (error instanceof UserFacingError) throw new OperatorError(error.message);
          throw error;
        }
      });
    });
}
