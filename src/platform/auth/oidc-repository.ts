import type { Selectable } from 'kysely';
import type { OrganisationTable } from '../access/tables.js';
import type { Executor } from '../db/database.js';

export type OrganisationRow = Selectable<OrganisationTable>;

/** Organisations whose staff may use single sign-on: active, with complete provider settings. */
export function listSsoOrganisations(executor: Executor): Promise<Array<Pick<OrganisationRow, 'slug' | 'name'>>> {
  return executor
    .selectFrom('organisations')
    .select(['slug', 'name'])
    .where('active', '=', 1)
    .where('sso_issuer', 'is not', null)
    .where('sso_client_id', 'is not', null)
    .where('sso_client_secret_enc', 'is not', null)
    .orderBy('name')
    .execute();
}

export function findOrganisationBySlug(executor: Executor, slug: string): Promise<OrganisationRow | undefined> {
  return executor.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export function findOrganisationById(executor: Executor, id: string): Promise<OrganisationRow | undefined> {
  return executor.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Optimistic: false when someone else changed the organisation since `version` was read. */
export async function updateSsoSettings(
  executor: Executor,
  id: string,
  version: number,
  settings: { issuer: string | null; clientId: string | null; clientSecretEnc: string | null },
  updatedAt: string,
): Promise<boolean> {
  const result = await executor
    .updateTable('organisations')
    .set({ sso_issuer: settings.issuer, sso_client_id: settings.clientId, sso_client_secret_enc: settings.clientSecretEnc, version: version + 1, updated_at: updatedAt })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
