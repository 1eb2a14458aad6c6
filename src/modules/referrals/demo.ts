import type { Services } from '../../services.js';
import { DASH_KEYS } from './checklist.js';
import type { NeedCode } from './rules/schema.js';
import type { ReferralInput } from './schemas.js';

/**
 * A handful of clearly synthetic referrals ("Test Person Alpha" ...), sent through the same service as real ones,
 * so they are scored, routed and encrypted like real ones. Phone numbers are Ofcom's drama ranges.
 */
export async function seedDemoReferrals(services: Services): Promise<void> {
  await services.routingRules.ensureSeeded();
  const practitioner = await services.users.findByEmail('practitioner@demo.invalid');
  if (!practitioner) return;
  const existing = await services.db.kysely.selectFrom('referrals').select('id').where('referrer_user_id', '=', practitioner.id).limit(1).executeTakeFirst();
  if (existing) return;
  const now = services.clock();
  const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
  const submitter = { kind: 'user' as const, userId: practitioner.id, organisationId: practitioner.organisationId };
  const origin = { ip: '127.0.0.1', requestId: 'demo-seed' };
  for (const [index, demo] of DEMO_REFERRALS.entries()) {
    await services.referrals.submit(submitter, demoInput(demo, index, daysAgo), origin);
  }
}

interface DemoReferral {
  readonly name: string;
  readonly district: string;
  readonly yes: number;
  readonly yesTo?: readonly string[];
  readonly children?: readonly string[];
  readonly needs?: readonly NeedCode[];
  readonly incidentsDaysAgo?: readonly number[];
  readonly judgement?: string;
  /** The referrer judged a high risk of suicide or self-harm because of the abuse. */
  readonly suicideSelfHarmRisk?: true;
  readonly gender: string;
}

const DEMO_REFERRALS: readonly DemoReferral[] = [
  { name: 'Alpha', district: 'maidstone', yes: 15, children: ['Test Child Alpha-One', 'Test Child Alpha-Two'], needs: ['housing'], incidentsDaysAgo: [3], gender: 'woman' },
  { name: 'Bravo', district: 'thanet', yes: 6, incidentsDaysAgo: [10], gender: 'woman' },
  { name: 'Charlie', district: 'medway', yes: 11, yesTo: ['q5'], suicideSelfHarmRisk: true, needs: ['safe_accommodation'], incidentsDaysAgo: [2, 40], gender: 'woman' },
  { name: 'Delta', district: 'sevenoaks', yes: 3, incidentsDaysAgo: [5, 50, 120], gender: 'woman' },
  { name: 'Echo', district: 'swale', yes: 4, needs: ['mens_service'], incidentsDaysAgo: [14], gender: 'man' },
  { name: 'Foxtrot', district: 'dartford', yes: 8, needs: ['adult_care_support'], judgement: 'Synthetic demo: recent attempted strangulation and extreme fear described.', incidentsDaysAgo: [1], gender: 'woman' },
];

function demoInput(demo: DemoReferral, index: number, daysAgo: (days: number) => string): ReferralInput {
  // Answer "yes" from q24 down, so a small count leaves the early questions (q5 among them) for yesTo.
  const order = [...DASH_KEYS].reverse();
  const yes = new Set([...order.slice(0, demo.yes), ...(demo.yesTo ?? [])]);
  const phone = `07700 900${String(100 + index * 7).padStart(3, '0')}`;
  return {
    district: demo.district,
    person: { firstName: 'Test Person', lastName: demo.name, otherNames: null, dateOfBirth: `19${String(80 + index)}-0${String(1 + index)}-1${String(index)}`, address: `${String(index + 1)} Synthetic Street (demo)`, postcode: null, phone, email: null, gender: demo.gender },
    safeContact: { safeToContact: 'yes', phone, email: null, times: 'Weekdays 10am to 2pm (synthetic)', mayLeaveMessage: 'no', notes: null, interpreterLanguage: index === 1 ? 'Tigrinya (synthetic demo)' : null },
    childrenInHousehold: demo.children ? 'yes' : 'no',
    children: (demo.children ?? []).map((name, position) => ({ name, dateOfBirth: `201${String(position + 2)}-05-01`, relationship: 'Child', setting: 'Synthetic Primary School (demo)', notes: null, livesInHousehold: true })),
    otherDependants: 'no',
    adults: [],
    needs: demo.needs ?? [],
    personCausingHarm: { firstName: 'Test Harm-Causer', lastName: demo.name, otherNames: null, dateOfBirth: null, address: null, postcode: null, phone: null, email: null, gender: null, relationship: 'ex_partner', notes: null },
    dash: Object.fromEntries(DASH_KEYS.map((key) => [key, { answer: yes.has(key) ? 'yes' : 'no', note: null, source: null }])),
    professionalJudgement: { applies: demo.judgement !== undefined, reasons: demo.judgement ?? null },
    seriousHarmRisk: 'no',
    suicideSelfHarmRisk: demo.suicideSelfHarmRisk ? 'yes' : 'no',
    incidentDates: (demo.incidentsDaysAgo ?? []).map(daysAgo),
    consent: { status: 'given', lawfulBasis: null, notes: null },
    equality: { gender: demo.gender, ethnicity: null, sexualOrientation: null, disability: null, religion: null },
    referrer: { name: 'Demo Practitioner (synthetic)', phone: '01632 960 001', email: 'practitioner@demo.invalid' },
  };
}
