import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// Enabling an account used to make it "active" even when its invitation had never been accepted: no password, so
// no invitation sent to it afterwards could be accepted (an invitation sets only a waiting account's first password).
// Such accounts are waiting for their invitation again. An active account always has a password otherwise.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.updateTable('users').set({ status: 'invited' }).where('status', '=', 'active').where('password_hash', 'is', null).execute();
}

// Nothing to undo: "invited" is what these accounts were before they were enabled.
export async function down(): Promise<void> {
  await Promise.resolve();
}
