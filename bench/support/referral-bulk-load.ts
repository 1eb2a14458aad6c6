import { sql } from 'kysely';
import { DASH_KEYS } from '../../src/modules/referrals/checklist.js';
import type { NewReferralRows } from '../../src/modules/referrals/repository.js';
import { routeReferral } from '../../src/modules/referrals/rules/engine.js';
import type { NeedCode } from '../../src/modules/referrals/rules/schema.js';
import type { LoadedRuleSet } from '../../src/modules/referrals/rules/service.js';
import type { ReferralInput } from '../../src/modules/referrals/schemas.js';
import { buildReferralRows, NONE_EARLIER, routingInputOf, type Submitter } from '../../src/modules/referrals/submission.js';
import type { RouteStatus } from '../../src/modules/referrals/tables.js';
import { newId } from '../../src/platform/db/ids.js';
import type { Services } from '../../src/services.js';
import { pick, randomSequence, syntheticHarmPerson, syntheticPerson, type Random, type SyntheticPerson } from './synthetic-people.js';

/** Bound parameters per INSERT: under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS = 30_000;
const DAY_MS = 86_400_000;
const REFERENCE_ALPHABET = '23456789BCDFGHJKLMNPQRSTVWXYZ';

export interface BulkLoadOptions {
  readonly count: number;
  readonly now: Date;
  /** Referrals are spread evenly over this many days before `now`. */
  readonly spanDays: number;
  /** Referrals per transaction. */
  readonly batchSize: number;
  /** The 24 DASH answers of each referral (4.8 million rows at 200,000): no measured query reads them. */
  readonly dashAnswers: boolean;
  readonly seed: number;
  readonly progress?: (loaded: number) => void;
}

export interface BulkLoadResult {
  readonly referrals: number;
  readonly rows: number;
  readonly seconds: number;
  /** People at risk referred in the last year, for duplicate checks that should find them. */
  readonly recentPeople: readonly SyntheticPerson[];
}

/**
 * Loads synthetic referrals straight into the referral tables, in batched multi-row INSERTs inside one transaction
 * per batch, for the inbox and duplicate-check benchmarks. Every row is what the referral service itself would
 * write: the routing engine decides the routes and `buildReferralRows` builds the rows, so identifying fields are
 * encrypted with `services.crypto` and the blind indexes are real. What the service also writes per referral and
 * no measured query reads is left out: audit events, and (optionally) the DASH answers. Routes then get the
 * statuses a service's history has: older ones closed or declined, recent ones new, accepted or in contact.
 * About one referral in ten is the same person at risk as an earlier one, as repeat referrals are.
 */
export async function loadSyntheticReferrals(services: Services, options: BulkLoadOptions): Promise<BulkLoadResult> {
  const started = performance.now();
  const random = randomSequence(options.seed);
  const { crypto, db } = services;
  const ruleSets = await services.routingRules.active();
  const districtNames = new Map((await services.referrals.districts()).map((district) => [district.code, district.name]));
  const ruleSetOf = (district: string): LoadedRuleSet => {
    const found = ruleSets.find((ruleSet) => ruleSet.rules.districts.includes(district));
    if (!found) throw new Error(`No active rule set covers ${district}`);
    return found;
  };
  const submitters = await referrers(services);
  const organisationIds = new Map<string, string>();
  const usedReferences = new Set((await db.kysely.selectFrom('referrals').select('reference').execute()).map((row) => row.reference));
  const people: SyntheticPerson[] = [];
  const recentPeople: SyntheticPerson[] = [];
  const spanMs = options.spanDays * DAY_MS;
  let rowCount = 0;
  let sequence = 0;

  for (let first = 0; first < options.count; first += options.batchSize) {
    const batch: NewReferralRows[] = [];
    for (let index = first; index < Math.min(options.count, first + options.batchSize); index += 1) {
      const at = new Date(options.now.getTime() - spanMs + ((index + random()) * spanMs) / options.count);
      // About one in ten is someone referred before (the duplicate check and repeat criterion exist for them).
      const person = people.length > 100 && random() < 0.1 ? pick(random, people.slice(-5000)) : syntheticPerson(random);
      people.push(person);
      if (options.now.getTime() - at.getTime() < 330 * DAY_MS && recentPeople.length < 2000 && random() < 0.05) recentPeople.push(person);
      const input = syntheticInput(random, person, at);
      const ruleSet = ruleSetOf(person.district);
      const decision = routeReferral(ruleSet.rules, routingInputOf(input, { districtName: districtNames.get(input.district) ?? input.district, referredAt: at.toISOString(), earlier: NONE_EARLIER }));
      for (const route of decision.routes) {
        if (organisationIds.has(route.organisationSlug)) continue;
        const organisation = await services.reference.getOrganisationBySlug(route.organisationSlug);
        if (!organisation) throw new Error(`Routing rules name ${route.organisationSlug}, which does not exist.`);
        organisationIds.set(route.organisationSlug, organisation.id);
      }
      let reference = referenceFor((sequence += 1));
      while (usedReferences.has(reference)) reference = referenceFor((sequence += 1));
      const rows = buildReferralRows({ crypto, id: newId(), reference, submitter: pick(random, submitters), input, ruleSet, decision, organisationIds, earlier: NONE_EARLIER, now: at });
      batch.push(withHistory(rows, random, options.now, at));
    }
    await db.kysely.transaction().execute(async (trx) => {
      const inChunks = async <T extends object>(rows: readonly T[], insert: (chunk: T[]) => Promise<unknown>) => {
        if (rows.length === 0) return;
        const size = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0] as object).length));
        for (let start = 0; start < rows.length; start += size) await insert(rows.slice(start, start + size));
        rowCount += rows.length;
      };
      await inChunks(batch.map((rows) => rows.referral), (chunk) => trx.insertInto('referrals').values(chunk).execute());
      await inChunks(batch.flatMap((rows) => rows.people), (chunk) => trx.insertInto('referral_people').values(chunk).execute());
      await inChunks(batch.flatMap((rows) => rows.dependants), (chunk) => trx.insertInto('referral_dependants').values(chunk).execute());
      await inChunks(batch.map((rows) => rows.assessment), (chunk) => trx.insertInto('dash_assessments').values(chunk).execute());
      if (options.dashAnswers) await inChunks(batch.flatMap((rows) => rows.answers), (chunk) => trx.insertInto('dash_answers').values(chunk).execute());
      await inChunks(batch.flatMap((rows) => rows.criteria), (chunk) => trx.insertInto('referral_criteria').values(chunk).execute());
      await inChunks(batch.flatMap((rows) => rows.routes), (chunk) => trx.insertInto('referral_routes').values(chunk).execute());
      await inChunks(batch.flatMap((rows) => rows.events), (chunk) => trx.insertInto('referral_events').values(chunk).execute());
    });
    options.progress?.(Math.min(options.count, first + options.batchSize));
  }
  // PostgreSQL's autovacuum analyses tables this size on its own within a minute, and since PostgreSQL 13 it also
  // vacuums tables that have only had inserts (autovacuum_vacuum_insert_threshold), which marks their pages all-visible
  // so that index-only scans (the inbox's) need not visit the table. Do both now, so the plans and the timings are
  // the ones a running site gets a minute after such a load. The app never runs ANALYZE on SQLite, so neither does the bench.
  if (db.dialect === 'postgres') await sql`vacuum analyze`.execute(db.kysely);
  return { referrals: options.count, rows: rowCount, seconds: (performance.now() - started) / 1000, recentPeople };
}

/** Who sends referrals: the demo practitioner through the form, and partner systems with keys issued to them. */
async function referrers(services: Services): Promise<Submitter[]> {
  const practitioner = await services.users.findByEmail('practitioner@demo.invalid');
  if (!practitioner) throw new Error('The demo practitioner is missing: the bench needs the demo seed.');
  const submitters: Submitter[] = [{ kind: 'user', userId: practitioner.id, organisationId: practitioner.organisationId }];
  for (const slug of ['kent-police', 'nhs-kent-medway-icb', 'kent-county-council', 'medway-council', 'probation-kss']) {
    const organisation = await services.reference.getOrganisationBySlug(slug);
    if (!organisation) continue;
    const key = await services.apiKeys.issue(organisation.id, 'Benchmark bulk load (synthetic)', { userId: null, organisationId: null });
    submitters.push({ kind: 'api', organisationId: organisation.id, apiKeyId: key.id });
  }
  return submitters;
}

/** `R-XXXX-XXXX` from a counter: a bijection (the multiplier is prime to 29^8), so never the same twice. */
function referenceFor(counter: number): string {
  const space = 29 ** 8;
  let value = Number((BigInt(counter) * 1_000_003n + 7_777n) % BigInt(space));
  let body = '';
  for (let position = 0; position < 8; position += 1) {
    body += REFERENCE_ALPHABET.charAt(value % 29);
    value = Math.floor(value / 29);
  }
  return `R-${body.slice(0, 4)}-${body.slice(4)}`;
}

const NEEDS: ReadonlyArray<[NeedCode, number]> = [
  ['housing', 0.15],
  ['safe_accommodation', 0.1],
  ['adult_care_support', 0.05],
  ['mens_service', 0.05],
  ['lgbt_service', 0.03],
];

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** A referral as a practitioner would send it: most below the MARAC threshold, about one in six at high risk. */
function syntheticInput(random: Random, person: SyntheticPerson, at: Date): ReferralInput {
  const roll = random();
  const yes = roll < 0.6 ? Math.floor(random() * 10) : roll < 0.85 ? 10 + Math.floor(random() * 4) : 14 + Math.floor(random() * 8);
  const yesKeys = new Set([...DASH_KEYS].sort(() => random() - 0.5).slice(0, yes));
  const children = random() < 0.35;
  const harm = syntheticHarmPerson(random);
  const incidents = Array.from({ length: 1 + Math.floor(random() * 3) }, () => isoDate(new Date(at.getTime() - Math.floor(random() * 180) * DAY_MS))).sort();
  const blank = { otherNames: null, address: null, email: null };
  return {
    district: person.district,
    person: { ...blank, firstName: person.firstName, lastName: person.lastName, dateOfBirth: person.dateOfBirth, postcode: person.postcode, phone: person.phone, gender: random() < 0.85 ? 'woman' : 'man', address: `${String(1 + Math.floor(random() * 200))} Synthetic Road (bench)` },
    safeContact: { safeToContact: 'yes', phone: person.phone, email: null, times: 'Weekday mornings (synthetic)', mayLeaveMessage: random() < 0.5 ? 'yes' : 'no', notes: null, interpreterLanguage: null },
    childrenInHousehold: children ? 'yes' : 'no',
    children: children ? [{ name: `Child ${person.lastName} (synthetic)`, dateOfBirth: isoDate(new Date(at.getTime() - (1 + Math.floor(random() * 16)) * 365 * DAY_MS)), relationship: 'Child', setting: null, notes: null, livesInHousehold: true }] : [],
    otherDependants: 'no',
    adults: [],
    needs: NEEDS.filter(([, share]) => random() < share).map(([code]) => code),
    personCausingHarm: { ...blank, firstName: harm.firstName, lastName: harm.lastName, dateOfBirth: harm.dateOfBirth, postcode: null, phone: null, gender: null, relationship: random() < 0.6 ? 'ex_partner' : 'partner', notes: null },
    dash: Object.fromEntries(DASH_KEYS.map((key) => [key, { answer: yesKeys.has(key) ? 'yes' : 'no', note: null, source: null }])),
    professionalJudgement: { applies: random() < 0.03, reasons: null },
    seriousHarmRisk: random() < 0.03 ? 'yes' : 'no',
    suicideSelfHarmRisk: random() < 0.03 ? 'yes' : 'no',
    incidentDates: incidents,
    consent: { status: 'given', lawfulBasis: null, notes: null },
    equality: { gender: null, ethnicity: null, sexualOrientation: null, disability: null, religion: null },
    referrer: { name: 'Bench Referrer (synthetic)', phone: null, email: null },
  };
}

/** What receiving services have since done with each route, by the referral's age. */
function withHistory(rows: NewReferralRows, random: Random, now: Date, at: Date): NewReferralRows {
  const ageDays = (now.getTime() - at.getTime()) / DAY_MS;
  const later = (days: number) => new Date(Math.min(now.getTime(), at.getTime() + days * DAY_MS)).toISOString();
  const routes = rows.routes.map((route) => {
    const roll = random();
    const status: RouteStatus = ageDays > 60 ? (roll < 0.07 ? 'declined' : 'closed') : ageDays > 14 ? (roll < 0.05 ? 'declined' : roll < 0.5 ? 'closed' : roll < 0.9 ? 'in_contact' : 'accepted') : roll < 0.4 ? 'new' : roll < 0.7 ? 'accepted' : 'in_contact';
    if (status === 'new') return route;
    if (status === 'declined') return { ...route, status, declined_at: later(1), decline_reason_enc: null, updated_at: later(1) };
    const contacted = status !== 'accepted';
    return {
      ...route,
      status,
      accepted_at: later(0.5),
      first_contact_at: contacted ? later(1 + random() * 3) : null,
      outcome: status === 'closed' ? pick(random, ['closed', 'declined_support', 'unable_to_contact']) : null,
      outcome_at: status === 'closed' ? later(30 + random() * 60) : null,
      closed_at: status === 'closed' ? later(30 + random() * 60) : null,
      updated_at: later(status === 'closed' ? 60 : 2),
    };
  });
  const open = routes.some((route) => route.status !== 'closed' && route.status !== 'declined');
  return { ...rows, routes, referral: { ...rows.referral, status: open ? 'submitted' : 'closed' } };
}
