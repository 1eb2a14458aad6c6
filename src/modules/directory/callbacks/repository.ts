import type { Insertable } from 'kysely';
import type { Executor } from '../../../platform/db/database.js';
import type { CallbackStatus, DirectoryCallbackRequestTable } from '../tables.js';

export async function insertCallback(executor: Executor, row: Insertable<DirectoryCallbackRequestTable>): Promise<void> {
  await executor.insertInto('directory_callback_requests').values(row).execute();
}

export async function callbackMadeBy(executor: Executor, submissionHash: string): Promise<boolean> {
  const row = await executor.selectFrom('directory_callback_requests').select('id').where('submission_hash', '=', submissionHash).executeTakeFirst();
  return row !== undefined;
}

/**
 * Scoped in the query itself: a request is only ever found through the organisation that received it, fixed when it
 * was made, so re-linking a directory organisation to another partner never hands over requests already received.
 */
function forOrganisation(executor: Executor, organisationId: string) {
  return executor.selectFrom('directory_callback_requests as c').innerJoin('directory_services as s', 's.id', 'c.service_id').where('c.organisation_id', '=', organisationId);
}

/** The partner organisation that receives a service's call-back requests now, if its organisation is linked to one. */
export async function receiverOfService(executor: Executor, serviceId: string): Promise<string | null> {
  const row = await executor
    .selectFrom('directory_services as s')
    .innerJoin('directory_organisations as o', 'o.id', 's.organisation_id')
    .select('o.partner_organisation_id')
    .where('s.id', '=', serviceId)
    .executeTakeFirst();
  return row?.partner_organisation_id ?? null;
}

export async function listCallbacksForOrganisation(executor: Executor, organisationId: string, status: CallbackStatus | 'open') {
  const rows = await forOrganisation(executor, organisationId)
    .select(['c.id', 'c.status', 'c.created_at', 'c.updated_at', 's.name as service_name'])
    .$if(status === 'open', (query) => query.where('c.status', '!=', 'closed'))
    .$if(status !== 'open', (query) => query.where('c.status', '=', status as CallbackStatus))
    .orderBy('c.created_at')
    .limit(500)
    .execute();
  return rows;
}

/** How many requests the organisation received that nobody has acted on yet. */
export async function countNewCallbacks(executor: Executor, organisationId: string): Promise<number> {
  const row = await forOrganisation(executor, organisationId)
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('c.status', '=', 'new')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function findCallbackForOrganisation(executor: Executor, id: string, organisationId: string) {
  return forOrganisation(executor, organisationId)
    .selectAll('c')
    .select(['s.name as service_name'])
    .where('c.id', '=', id)
    .executeTakeFirst();
}

export async function updateCallbackStatus(executor: Executor, id: string, version: number, status: CallbackStatus, userId: string, now: string) {
  return executor
    .updateTable('directory_callback_requests')
    .set({ status, handled_by: userId, version: version + 1, updated_at: now })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
}

export async function deleteCallbacksBefore(executor: Executor, closedBefore: string, anyBefore: string): Promise<number> {
  const result = await executor
    .deleteFrom('directory_callback_requests')
    .where((eb) => eb.or([eb.and([eb('status', '=', 'closed'), eb('updated_at', '<', closedBefore)]), eb('created_at', '<', anyBefore)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
