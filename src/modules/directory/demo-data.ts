import { SAFE_ACCOMMODATION, type DayHours, type ServiceInput } from './model.js';
import { REGIONS } from './place-lookup.js';

/**
 * Obviously fictional directory content: every name says "Demo ... (synthetic)", phone numbers come from Ofcom's
 * range for drama (01632 960000 to 960999), email and web addresses are on example.org, and postcodes use the
 * unallocated "9ZZ" inward code. Nothing here describes or contacts a real organisation.
 */

export interface DemoArea {
  readonly code: string;
  readonly town: string;
  readonly outward: string;
  /** Approximate town centre, for trying distance ordering without ONS data. */
  readonly latitude: number;
  readonly longitude: number;
}

export const DEMO_AREAS: readonly DemoArea[] = [
  { code: 'ashford', town: 'Ashford', outward: 'TN23', latitude: 51.146, longitude: 0.875 },
  { code: 'canterbury', town: 'Canterbury', outward: 'CT1', latitude: 51.28, longitude: 1.08 },
  { code: 'dartford', town: 'Dartford', outward: 'DA1', latitude: 51.446, longitude: 0.217 },
  { code: 'dover', town: 'Dover', outward: 'CT16', latitude: 51.127, longitude: 1.313 },
  { code: 'folkestone-hythe', town: 'Folkestone', outward: 'CT20', latitude: 51.081, longitude: 1.166 },
  { code: 'gravesham', town: 'Gravesend', outward: 'DA11', latitude: 51.441, longitude: 0.368 },
  { code: 'maidstone', town: 'Maidstone', outward: 'ME14', latitude: 51.272, longitude: 0.529 },
  { code: 'sevenoaks', town: 'Sevenoaks', outward: 'TN13', latitude: 51.272, longitude: 0.19 },
  { code: 'swale', town: 'Sittingbourne', outward: 'ME10', latitude: 51.34, longitude: 0.733 },
  { code: 'thanet', town: 'Margate', outward: 'CT9', latitude: 51.389, longitude: 1.386 },
  { code: 'tonbridge-malling', town: 'Tonbridge', outward: 'TN9', latitude: 51.195, longitude: 0.275 },
  { code: 'tunbridge-wells', town: 'Tunbridge Wells', outward: 'TN1', latitude: 51.132, longitude: 0.263 },
  { code: 'medway', town: 'Chatham', outward: 'ME4', latitude: 51.38, longitude: 0.527 },
];

export const ALL_AREA_CODES = DEMO_AREAS.map((area) => area.code);
const regionAreas = (name: string): string[] => [...(REGIONS.find((region) => region.name === name)?.areaCodes ?? [])];
export const EAST_KENT = regionAreas('East Kent');
export const NORTH_KENT = regionAreas('North Kent');
export const WEST_KENT = regionAreas('West Kent');

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR'] as const;
const EVERY_DAY = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export const OFFICE_HOURS: DayHours[] = WEEKDAYS.map((day) => ({ day, opensAt: '09:00', closesAt: '17:00' }));
export const ALL_HOURS: DayHours[] = EVERY_DAY.map((day) => ({ day, opensAt: '00:00', closesAt: '23:59' }));

/** A fictional number from Ofcom's drama range. */
export function dramaNumber(index: number): string {
  return `01632 960${String(index % 1000).padStart(3, '0')}`;
}

export interface DemoOrganisation {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  /** Slug of the platform organisation whose staff receive its call-back requests. */
  readonly partnerSlug: string | null;
}

export const DEMO_ORGANISATIONS: readonly DemoOrganisation[] = [
  { key: 'main', name: 'Demo Domestic Abuse Support Service (synthetic)', description: 'A fictional commissioned domestic abuse service used to demonstrate the directory.', partnerSlug: 'demo-support-service' },
  { key: 'oakleaf', name: 'Demo Oakleaf Trust (synthetic)', description: 'A fictional charity supporting children, older people, Deaf people and people who speak other languages.', partnerSlug: null },
  { key: 'harbourside', name: "Demo Harbourside Men's Project (synthetic)", description: 'A fictional project for men experiencing abuse and for people who want to stop harming.', partnerSlug: null },
  { key: 'lantern', name: 'Demo Lantern Advice (synthetic)', description: 'A fictional advice charity: legal, housing and home security.', partnerSlug: null },
  { key: 'brightwater', name: 'Demo Brightwater Health (synthetic)', description: 'A fictional health and wellbeing provider working with survivors.', partnerSlug: null },
];

export interface DemoLocationSpec {
  readonly key: string;
  readonly organisationKey: string;
  readonly name: string;
  readonly confidential: boolean;
  readonly area: DemoArea;
}

export interface DemoServiceSpec {
  readonly organisationKey: string;
  readonly input: Omit<ServiceInput, 'organisationId' | 'locationIds'>;
  readonly locationKeys: readonly string[];
  /** Months since last review: some demo services are overdue, to fill the reminder list. */
  readonly reviewedMonthsAgo: number;
}

function area(code: string): DemoArea {
  const found = DEMO_AREAS.find((candidate) => candidate.code === code);
  if (!found) throw new Error(`Unknown demo area ${code}`);
  return found;
}

const base = {
  minimumAge: 16,
  maximumAge: null,
  referralSelf: true,
  referralProfessional: true,
  languages: ['en'],
  accessibility: 'Step-free access and a hearing loop at our centres. Tell us if you need anything else.',
  openingNotes: '',
  status: 'active' as const,
  acceptsCallbacks: false,
  contacts: [],
  hours: OFFICE_HOURS,
};

function service(index: number, organisationKey: string, name: string, details: Partial<DemoServiceSpec['input']> & { description: string; offers: string; eligibility: string; areaCodes: string[]; termCodes: string[] }, locationKeys: string[] = [], reviewedMonthsAgo = 1): DemoServiceSpec {
  const slug = name.toLowerCase().replace(/\(synthetic\)/, '').trim().replace(/[^a-z0-9]+/g, '-');
  return {
    organisationKey,
    locationKeys,
    reviewedMonthsAgo,
    input: {
      ...base,
      name,
      referralDetails: 'Call us, or ask any professional you are working with to refer you.',
      url: `https://example.org/demo/${slug}`,
      email: `${slug}@example.org`,
      phones: [{ number: dramaNumber(index), description: 'Main line' }],
      ...details,
    },
  };
}

export function demoLocations(): DemoLocationSpec[] {
  return [
    ...DEMO_AREAS.map((value) => ({ key: `centre-${value.code}`, organisationKey: 'main', name: `Demo ${value.town} Support Centre (synthetic)`, confidential: false, area: value })),
    { key: 'refuge-north', organisationKey: 'main', name: 'Demo Hollowmere Refuge (synthetic)', confidential: true, area: area('medway') },
    { key: 'refuge-east', organisationKey: 'main', name: 'Demo East Kent Refuge (synthetic)', confidential: true, area: area('canterbury') },
    { key: 'refuge-men', organisationKey: 'harbourside', name: "Demo Men's Safe House (synthetic)", confidential: true, area: area('maidstone') },
    { key: 'oakleaf-hub', organisationKey: 'oakleaf', name: 'Demo Oakleaf Hub (synthetic)', confidential: false, area: area('canterbury') },
    { key: 'lantern-office', organisationKey: 'lantern', name: 'Demo Lantern Office (synthetic)', confidential: false, area: area('maidstone') },
    { key: 'brightwater-clinic', organisationKey: 'brightwater', name: 'Demo Brightwater Clinic (synthetic)', confidential: false, area: area('medway') },
  ];
}

/** About thirty services across all 13 areas and every need and group, including confidential refuges. */
export function demoServices(): DemoServiceSpec[] {
  const outreach = DEMO_AREAS.map((value, index) =>
    service(
      index + 1,
      'main',
      `Demo ${value.town} Domestic Abuse Outreach (synthetic)`,
      {
        description: `Fictional outreach and IDVA support for anyone experiencing domestic abuse in ${value.town} and the surrounding area.`,
        offers: 'Safety planning, emotional support, help to report to the police if you want to, and an independent domestic violence adviser (IDVA) for people at high risk.',
        eligibility: 'Anyone aged 16 or over experiencing domestic abuse from a partner, ex-partner or family member.',
        areaCodes: [value.code],
        termCodes: ['outreach', 'idva'],
        acceptsCallbacks: true,
      },
      [`centre-${value.code}`],
      index % 5 === 4 ? 8 : 1,
    ),
  );
  let next = 20;
  const n = () => (next += 1);
  return [
    ...outreach,
    service(n(), 'main', 'Demo Hollowmere Refuge (synthetic)', { description: 'Fictional safe accommodation for women and their children escaping domestic abuse.', offers: 'A safe room, support from refuge workers, help with benefits, schools and moving on.', eligibility: 'Women aged 18 or over, with or without children, who need to leave home to be safe.', minimumAge: 18, areaCodes: NORTH_KENT, termCodes: ['safe-accommodation', 'children-young-people'], hours: ALL_HOURS, openingNotes: 'Referrals taken 24 hours a day.' }, ['refuge-north']),
    service(n(), 'main', 'Demo East Kent Refuge (synthetic)', { description: 'Fictional refuge with rooms for families, including a room adapted for wheelchair users.', offers: 'Safe accommodation, a key worker, children’s support and help to find a new home.', eligibility: 'Women aged 18 or over and their children.', minimumAge: 18, areaCodes: EAST_KENT, termCodes: ['safe-accommodation', 'disabled', 'children-young-people'], hours: ALL_HOURS }, ['refuge-east']),
    service(n(), 'harbourside', "Demo Men's Safe Housing (synthetic)", { description: 'Fictional safe accommodation for men, including men with children.', offers: 'A safe place to stay for up to six months, then support to resettle.', eligibility: 'Men aged 18 or over, with or without children.', minimumAge: 18, areaCodes: ALL_AREA_CODES, termCodes: ['safe-accommodation', 'men'], referralSelf: false }, ['refuge-men']),
    service(n(), 'main', 'Demo Kent-wide IDVA Service (synthetic)', { description: 'Fictional independent domestic violence advisers for people at high risk, including specialist advisers for LGBT+ survivors.', offers: 'Safety planning, support through court, help with housing and MARAC.', eligibility: 'Anyone at high risk of serious harm from domestic abuse.', areaCodes: ALL_AREA_CODES, termCodes: ['idva', 'lgbt'], referralSelf: false }, [], 8),
    service(n(), 'main', 'Demo Hospital IDVA Team (synthetic)', { description: 'Fictional IDVAs based in hospitals, for patients and staff.', offers: 'Confidential support while you are in hospital and after you leave.', eligibility: 'Patients, visitors and staff affected by domestic abuse.', areaCodes: ['maidstone', 'tunbridge-wells'], termCodes: ['idva'] }, ['centre-maidstone', 'centre-tunbridge-wells']),
    service(n(), 'oakleaf', "Demo Young People's Support (synthetic)", { description: 'Fictional support for children and young people who have lived with domestic abuse.', offers: 'One-to-one sessions, groups and support in school.', eligibility: 'Children and young people aged 5 to 19, or up to 25 with additional needs.', minimumAge: 5, maximumAge: 25, areaCodes: EAST_KENT, termCodes: ['children-young-people'], referralSelf: false }, ['oakleaf-hub']),
    service(n(), 'harbourside', "Demo Men's Support Line (synthetic)", { description: 'A fictional phone line for men experiencing domestic abuse.', offers: 'Someone to talk to, advice and referral to local support.', eligibility: 'Men aged 18 or over.', minimumAge: 18, areaCodes: ALL_AREA_CODES, termCodes: ['men', 'outreach'], hours: WEEKDAYS.map((day) => ({ day, opensAt: '10:00', closesAt: '20:00' })) }),
    service(n(), 'brightwater', 'Demo LGBT+ Advocacy (synthetic)', { description: 'Fictional advocacy run by and for LGBT+ people experiencing abuse.', offers: 'Advocacy, peer support groups and help with reporting.', eligibility: 'Lesbian, gay, bisexual, trans and queer people aged 16 or over.', areaCodes: ALL_AREA_CODES, termCodes: ['lgbt', 'outreach'] }, ['brightwater-clinic']),
    service(n(), 'oakleaf', "Demo Older People's Safety Service (synthetic)", { description: 'Fictional support for older people harmed by partners, family members or carers.', offers: 'Home visits, safety planning and help with care arrangements.', eligibility: 'People aged 60 or over, and disabled adults of any age.', minimumAge: 60, areaCodes: [...WEST_KENT, 'medway'], termCodes: ['older-people', 'disabled'] }),
    service(n(), 'oakleaf', 'Demo Deaf Access Support (synthetic)', { description: 'Fictional support for Deaf people in British Sign Language.', offers: 'BSL-using support workers, video calls and interpreters for appointments.', eligibility: 'Deaf people and BSL users experiencing abuse.', languages: ['bfi', 'en'], areaCodes: ALL_AREA_CODES, termCodes: ['deaf-bsl', 'disabled'], phones: [{ number: dramaNumber(n()), description: 'Text or video call' }] }),
    service(n(), 'oakleaf', 'Demo Language Link Support (synthetic)', { description: 'Fictional domestic abuse support in Polish, Romanian, Lithuanian, Punjabi and Urdu.', offers: 'Support workers who speak your language, and trained interpreters for other languages.', eligibility: 'Anyone who would rather talk in a language other than English.', languages: ['pl', 'ro', 'lt', 'pa', 'ur'], areaCodes: ALL_AREA_CODES, termCodes: ['other-languages', 'outreach'] }, ['oakleaf-hub']),
    service(n(), 'harbourside', 'Demo Change Programme (synthetic)', { description: 'A fictional programme for people who want to stop being abusive towards a partner or family member.', offers: 'Group and one-to-one work over 26 weeks, with support for partners alongside.', eligibility: 'Adults who recognise their behaviour is harmful and want to change.', minimumAge: 18, areaCodes: WEST_KENT, termCodes: ['perpetrator-programmes'] }, ['lantern-office']),
    service(n(), 'lantern', 'Demo Safer Homes Sanctuary Scheme (synthetic)', { description: 'A fictional scheme that makes homes safer so people can stay where they live.', offers: 'A security check, new locks, door and window alarms, and a safe room where needed.', eligibility: 'People experiencing domestic abuse who want to stay in their home, if it is safe to.', areaCodes: ALL_AREA_CODES, termCodes: ['sanctuary', 'housing'], referralSelf: false }),
    service(n(), 'lantern', 'Demo Family Law Advice Clinic (synthetic)', { description: 'Fictional free legal advice about protective orders, child arrangements and divorce.', offers: 'A free 45-minute appointment with a solicitor, by phone or in person.', eligibility: 'Anyone experiencing domestic abuse.', areaCodes: ALL_AREA_CODES, termCodes: ['legal'] }, ['lantern-office']),
    service(n(), 'lantern', 'Demo Housing Options Support (synthetic)', { description: 'Fictional help to find a safe home if you cannot stay where you are.', offers: 'Housing advice, help with applications and moving, and emergency accommodation.', eligibility: 'Anyone whose home is not safe because of domestic abuse.', areaCodes: [...NORTH_KENT, ...WEST_KENT], termCodes: ['housing'] }),
    service(n(), 'brightwater', 'Demo Wellbeing After Abuse (synthetic)', { description: 'Fictional counselling and therapeutic groups for survivors.', offers: 'Up to 12 counselling sessions and a recovery group.', eligibility: 'Adults who are no longer living with the person who harmed them.', minimumAge: 18, areaCodes: ALL_AREA_CODES, termCodes: ['mental-health'] }, ['brightwater-clinic'], 8),
    service(n(), 'brightwater', 'Demo Recovery and Substance Support (synthetic)', { description: 'Fictional support with drugs and alcohol, alongside help with abuse.', offers: 'Key work, groups and links to treatment.', eligibility: 'Adults using drugs or alcohol who are experiencing abuse.', minimumAge: 18, areaCodes: [...EAST_KENT, 'medway', 'swale'], termCodes: ['substance-use', 'mental-health'] }),
    service(n(), 'brightwater', 'Demo Sexual Violence Support Centre (synthetic)', { description: 'Fictional support after rape or sexual assault, whenever it happened.', offers: 'Independent sexual violence advisers, counselling and a 24-hour phone line.', eligibility: 'Anyone aged 13 or over.', minimumAge: 13, areaCodes: ALL_AREA_CODES, termCodes: ['sexual-violence'], hours: ALL_HOURS }),
  ];
}

/** Deterministic pseudo-random numbers, so generated directories are the same on every run. */
function sequence(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const NEEDS = ['safe-accommodation', 'idva', 'outreach', 'perpetrator-programmes', 'sanctuary', 'legal', 'housing', 'mental-health', 'substance-use', 'sexual-violence'];
const GROUPS = ['children-young-people', 'men', 'lgbt', 'older-people', 'disabled', 'deaf-bsl', 'other-languages'];

export interface GeneratedService {
  readonly index: number;
  readonly area: DemoArea;
  /** Every twentieth service, and every one offering safe accommodation, is delivered from a confidential address. */
  readonly confidential: boolean;
  readonly input: Omit<ServiceInput, 'organisationId' | 'locationIds'>;
}

/** N synthetic services for load tests: spread over every area, need and group, with realistic coverage. */
export function generateServices(count: number, seed = 2026): GeneratedService[] {
  const random = sequence(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: count }, (_, index) => {
    const home = DEMO_AREAS[index % DEMO_AREAS.length] as DemoArea;
    const spread = random();
    const areaCodes = spread < 0.15 ? ALL_AREA_CODES : spread < 0.5 ? [...new Set([home.code, pick(DEMO_AREAS).code, pick(DEMO_AREAS).code])] : [home.code];
    const termCodes = [...new Set([pick(NEEDS), pick(NEEDS), ...(random() < 0.4 ? [pick(GROUPS)] : [])])];
    const number = String(index + 1).padStart(5, '0');
    return {
      index,
      area: home,
      confidential: index % 20 === 19 || termCodes.includes(SAFE_ACCOMMODATION),
      input: {
        ...base,
        name: `Demo Service ${number} in ${home.town} (synthetic)`,
        description: `A generated fictional service number ${number}, for testing the directory at scale.`,
        offers: 'Generated demo support: safety planning, advice and referral.',
        eligibility: 'Anyone aged 16 or over experiencing domestic abuse (demo).',
        referralDetails: 'Demo only: this service does not exist.',
        url: `https://example.org/generated/${number}`,
        email: `generated-${number}@example.org`,
        phones: [{ number: dramaNumber(index), description: 'Main line' }],
        hours: random() < 0.2 ? ALL_HOURS : OFFICE_HOURS,
        areaCodes,
        termCodes,
      },
    };
  });
}
