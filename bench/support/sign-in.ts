import type { Actor } from '../../src/platform/access/policy.js';
import type { Services } from '../../src/services.js';
import type { BenchContext } from './types.js';

/**
 * A signed-in session for a demo persona. Another scenario may already have used this 30-second step's code for
 * the same person, and the replay guard would rightly refuse it again, so the last used step is forgotten first.
 */
export async function freshSessionCookie(context: BenchContext, email: string): Promise<string> {
  const { services } = context.platform;
  const actor = await personaActor(services, email);
  await services.db.kysely.updateTable('users').set({ totp_last_step: null }).where('id', '=', actor.userId).execute();
  return context.cookieFor(email);
}

/** The persona as the services see a signed-in person, for preparing data through them. */
export async function personaActor(services: Services, email: string): Promise<Actor> {
  const user = await services.users.findByEmail(email);
  if (!user) throw new Error(`No demo persona ${email}: the bench needs the demo seed.`);
  return { userId: user.id, organisationId: user.organisationId, roles: user.roles };
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function inPool<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next;
        next += 1;
        await work(items[index] as T, index);
      }
    }),
  );
}
