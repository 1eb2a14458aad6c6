import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../../test/support/platform.js';
import { signIn, type Visitor } from '../../../../test/support/visitor.js';
import type { RouteStatus } from '../tables.js';
import { auditEvents, sendReferral } from './testing.js';

/** Enough referrals for three pages and a bit, so pages are read from both ends of the list. */
const REFERRALS = 160;
const HOUR_MS = 3_600_000;

interface ListedRoute {
  readonly id: string;
  readonly referralId: string;
  readonly reference: string;
  readonly createdAt: string;
  readonly status: RouteStatus;
  readonly riskLevel: string;
  readonly dueAt: string | null;
}

/** Newest first, the later id first when two arrived in the same millisecond: what every inbox page must follow. */
function newestFirst(a: ListedRoute, b: ListedRoute): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : -1;
}

function referencesOn(body: string): string[] {
  return [...body.matchAll(/>(R-[A-Z0-9]{4}-[A-Z0-9]{4})</g)].map((match) => match[1] ?? '');
}

describe('inbox pages at any depth', () => {
  let platform: TestPlatform;
  let visitor: Visitor;
  let routes: ListedRoute[];
  const now = new Date();

  beforeAll(async () => {
    platform = await createTestPlatform();
    const { db } = platform.services;
    for (let index = 0; index < REFERRALS; index += 1) {
      // Dartford's referrals go to the demo service; 4, 11 and 15 "yes" answers give standard, medium and high risk.
      await sendReferral(platform, { district: 'dartford', yes: [4, 11, 15][index % 3] ?? 4, name: `Paging ${String(index)}` });
    }
    const organisation = await platform.services.reference.getOrganisationBySlug('demo-support-service');
    const received = await db.kysely.selectFrom('referral_routes').select(['id']).where('organisation_id', '=', organisation?.id ?? '').orderBy('id').execute();
    // A history: one route an hour over the last days, some closed or declined, some new past their first-contact
    // date; the 100th and 101st arrived in the same millisecond, across the boundary of pages 2 and 3.
    for (const [index, route] of received.entries()) {
      const createdAt = new Date(now.getTime() - (index === 100 ? 99 : index) * HOUR_MS - 10 * HOUR_MS).toISOString();
      const status: RouteStatus = index % 5 === 0 ? 'closed' : index % 7 === 0 ? 'declined' : 'new';
      const dueAt = new Date(now.getTime() + (index % 3 === 2 ? 1 : -1) * 24 * HOUR_MS).toISOString();
      await db.kysely.updateTable('referral_routes').set({ created_at: createdAt, status, first_contact_due_at: dueAt }).where('id', '=', route.id).execute();
    }
    routes = (
      await db.kysely
        .selectFrom('referral_routes')
        .innerJoin('referrals', 'referrals.id', 'referral_routes.referral_id')
        .select(['referral_routes.id', 'referral_routes.referral_id as referralId', 'referrals.reference', 'referral_routes.created_at as createdAt', 'referral_routes.status', 'referrals.risk_level as riskLevel', 'referral_routes.first_contact_due_at as dueAt'])
        .where('referral_routes.organisation_id', '=', organisation?.id ?? '')
        .execute()
    ).sort(newestFirst);
    visitor = await signIn(platform, 'service@demo.invalid');
  }, 120_000);
  afterAll(() => platform.close());

  /** Every page of a filter, one after another as a person would click through them. */
  async function walk(filter: string, expected: readonly ListedRoute[]) {
    const pages = Math.ceil(expected.length / 50);
    const shown: string[] = [];
    for (let page = 1; page <= pages; page += 1) {
      const body = (await visitor.get(`/app/inbox?${filter}&page=${String(page)}`)).body;
      expect(body).toContain(`Showing ${String((page - 1) * 50 + 1)} to ${String(Math.min(expected.length, page * 50))} of ${String(expected.length)} referrals`);
      shown.push(...referencesOn(body));
    }
    return shown;
  }

  it('has two routes received at the same time across a page boundary, and routes spread over several statuses and risk levels', () => {
    expect(routes.length).toBeGreaterThan(150);
    expect(routes[99]?.createdAt).toBe(routes[100]?.createdAt);
    expect(new Set(routes.map((route) => route.status))).toEqual(new Set(['new', 'closed', 'declined']));
    expect(new Set(routes.map((route) => route.riskLevel))).toEqual(new Set(['standard', 'medium', 'high']));
  });

  it('shows the oldest referrals on the last page of all, oldest last, and audits exactly the ids it showed', async () => {
    const pages = Math.ceil(routes.length / 50);
    const last = await visitor.get(`/app/inbox?status=all&page=${String(pages)}`);
    const expected = routes.slice((pages - 1) * 50);
    expect(referencesOn(last.body)).toEqual(expected.map((route) => route.reference));
    expect(last.body).toContain(`Showing ${String((pages - 1) * 50 + 1)} to ${String(routes.length)} of ${String(routes.length)} referrals`);
    const event = (await auditEvents(platform, 'REFERRAL_INBOX_VIEWED')).at(-1);
    expect(JSON.parse(event?.details ?? '{}')).toMatchObject({ status: 'all', page: pages, count: expected.length, referralIds: expected.map((route) => route.referralId).join(',') });
  });

  it('pages through all, one status, a risk level and the overdue, each row once, newest first', async () => {
    expect(await walk('status=all', routes)).toEqual(routes.map((route) => route.reference));
    const closed = routes.filter((route) => route.status === 'closed');
    expect(await walk('status=closed', closed)).toEqual(closed.map((route) => route.reference));
    const high = routes.filter((route) => route.riskLevel === 'high');
    expect(await walk('status=all&risk=high', high)).toEqual(high.map((route) => route.reference));
    const overdue = routes.filter((route) => route.status === 'new' && route.dueAt !== null && route.dueAt < now.toISOString());
    expect(overdue.length).toBeGreaterThan(50);
    expect(await walk('status=open&overdue=yes', overdue)).toEqual(overdue.map((route) => route.reference));
  });

  it('keeps the counts behind "of N referrals" in step with every route added, changed or deleted (by cascade too)', async () => {
    const { db } = platform.services;
    const counted = async () =>
      Object.fromEntries(
        (await db.kysely.selectFrom('referral_inbox_counts').select(['organisation_id', 'status', 'risk_level', 'routes']).where('routes', '<>', 0).execute()).map((row) => [`${row.organisation_id} ${row.status} ${row.risk_level}`, row.routes]),
      );
    const actual = async () =>
      Object.fromEntries(
        (
          await db.kysely
            .selectFrom('referral_routes')
            .select(['organisation_id', 'status', 'risk_level', (eb) => eb.fn.countAll<string | number>().as('n')])
            .groupBy(['organisation_id', 'status', 'risk_level'])
            .execute()
        ).map((row) => [`${row.organisation_id} ${row.status} ${row.risk_level}`, Number(row.n)]),
      );
    expect(await counted()).toEqual(await actual());
    const [gone, moved] = routes.slice(-2);
    await db.kysely.deleteFrom('referrals').where('id', '=', gone?.referralId ?? '').execute();
    await db.kysely.updateTable('referral_routes').set({ status: 'withdrawn' }).where('id', '=', moved?.id ?? '').execute();
    expect(await counted()).toEqual(await actual());
    const page = await visitor.get('/app/inbox?status=all');
    expect(page.body).toContain(`of ${String(routes.length - 1)} referrals`);
    routes = routes.filter((route) => route.id !== gone?.id);
  });

  it('shows the last page for a page past the end, with pagination that says so', async () => {
    const pages = Math.ceil(routes.length / 50);
    const page = await visitor.get('/app/inbox?status=all&page=999');
    expect(page.statusCode).toBe(200);
    expect(referencesOn(page.body)).toEqual(routes.slice((pages - 1) * 50).map((route) => route.reference));
    expect(page.body).toMatch(new RegExp(`aria-current="page"[^>]*>\\s*${String(pages)}\\s*<`));
  });
});
