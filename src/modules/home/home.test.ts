import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { signIn } from '../../../test/support/visitor.js';

/** The home page's "Waiting for you" lines, as text with their links. */
function waitingLines(body: string): string[] {
  const section = /<h2 class="govuk-heading-m">Waiting for you<\/h2>([\s\S]*?)<h2/.exec(body)?.[1] ?? '';
  return [...section.matchAll(/<a class="govuk-link" href="([^"]+)">([^<]+)<\/a>/g)].map((match) => `${match[2] ?? ''} -> ${(match[1] ?? '').replace(/&amp;/g, '&')}`);
}

describe('the professional home page', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  async function organisationOf(email: string): Promise<string> {
    return (await platform.services.users.findByEmail(email))?.organisationId ?? '';
  }

  it('tells a receiving service how many referrals and call-back requests are waiting, with links to them', async () => {
    const db = platform.services.db.kysely;
    const organisationId = await organisationOf('service@demo.invalid');
    const published = await platform.services.directory.published.current();
    const service = published.services.find((candidate) => candidate.acceptsCallbacks && candidate.name.includes('Margate'));
    await platform.services.directory.callbacks.request(service?.id ?? '', { name: null, phone: '07700 900 456', safeTimes: ['weekend'], safeTimesDetail: null, leaveMessage: 'no', safeWord: null, notes: null }, { ip: '127.0.0.1', requestId: 'test' });

    const count = async (query: Promise<{ n: string | number | bigint } | undefined>) => Number((await query)?.n ?? 0);
    const now = new Date().toISOString();
    const fresh = await count(db.selectFrom('referral_routes').select((eb) => eb.fn.countAll().as('n')).where('organisation_id', '=', organisationId).where('status', '=', 'new').executeTakeFirst());
    const overdue = await count(db.selectFrom('referral_routes').select((eb) => eb.fn.countAll().as('n')).where('organisation_id', '=', organisationId).where('status', 'in', ['new', 'accepted']).where('first_contact_at', 'is', null).where('first_contact_due_at', '<', now).executeTakeFirst());
    const callbacks = await count(db.selectFrom('directory_callback_requests').select((eb) => eb.fn.countAll().as('n')).where('organisation_id', '=', organisationId).where('status', '=', 'new').executeTakeFirst());
    expect(fresh).toBeGreaterThan(1);
    expect(callbacks).toBeGreaterThan(0);

    const home = await (await signIn(platform, 'service@demo.invalid')).get('/app');
    const expected = [
      `${String(fresh)} new referrals to accept or decline -> /app/inbox?status=new`,
      ...(overdue > 0 ? [`${String(overdue)} ${overdue === 1 ? 'referral has' : 'referrals have'} passed the first-contact target -> /app/inbox?overdue=yes`] : []),
      `${String(callbacks)} ${callbacks === 1 ? 'new call-back request' : 'new call-back requests'} to arrange -> /app/call-backs?status=new`,
    ];
    expect(waitingLines(home.body)).toEqual(expected);
  });

  it('tells a directory editor how many services are due for review', async () => {
    const editor = await signIn(platform, 'editor@demo.invalid');
    const reviews = await editor.get('/app/directory/reviews');
    const due = new Set([...reviews.body.matchAll(/href="\/app\/directory\/services\/([0-9a-f-]+)"/g)].map((match) => match[1])).size;
    expect(due).toBeGreaterThan(1);
    expect(waitingLines((await editor.get('/app')).body)).toEqual([`${String(due)} services have not been reviewed for 6 months -> /app/directory/reviews`]);
  });

  it('shows no waiting list to someone with nothing to be waiting for', async () => {
    const home = await (await signIn(platform, 'practitioner@demo.invalid')).get('/app');
    expect(home.statusCode).toBe(200);
    expect(home.body).not.toContain('Waiting for you');
    expect(home.body).toContain('What do you need to do?');
  });

  it('says at once when the person has no recovery codes left, with the way to make new ones', async () => {
    const visitor = await signIn(platform, 'officer@demo.invalid');
    expect((await visitor.get('/app')).body).not.toContain('You have no recovery codes');
    const user = await platform.services.users.findByEmail('officer@demo.invalid');
    await platform.services.db.kysely.deleteFrom('recovery_codes').where('user_id', '=', user?.id ?? '').execute();
    const home = (await visitor.get('/app')).body;
    expect(home).toContain('You have no recovery codes.');
    expect(home).toContain('<a class="govuk-notification-banner__link" href="/app/account">Make new recovery codes</a>');
  });
});
