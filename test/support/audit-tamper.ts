import type { Db } from '../../src/platform/db/database.js';
import { down, up } from '../../src/platform/db/migrations/2026-12-06-0041-audit-append-only.js';

/**
 * What someone with the rights to change the database's own rules could do: lift the audit trail's append-only
 * guard, tamper, and put it back. Tests use it to show that `audit verify` still finds what they did.
 */
export async function tamperWithAudit<T>(db: Db, work: () => Promise<T>): Promise<T> {
  await down(db.kysely);
  try {
    return await work();
  } finally {
    await up(db.kysely);
  }
}
