import type { NeedCode } from './rules/schema.js';

/** Coded answers with the words shown for them. Codes are stored; words can change without touching data. */
export interface Option<T extends string = string> {
  readonly value: T;
  readonly text: string;
}

export const TRI_STATE: readonly Option<'yes' | 'no' | 'not_known'>[] = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
  { value: 'not_known', text: 'Not known' },
];

export const JUDGED_RISK_ANSWERS: readonly Option[] = [...TRI_STATE, { value: 'not_given', text: 'Not given (not asked, or left out by the referring system)' }];

export const GENDERS: readonly Option[] = [
  { value: 'woman', text: 'Woman' },
  { value: 'man', text: 'Man' },
  { value: 'non_binary', text: 'Non-binary' },
  { value: 'other', text: 'Another way' },
  { value: 'not_known', text: 'Not known' },
];

export const RELATIONSHIPS: readonly Option[] = [
  { value: 'partner', text: 'Current partner' },
  { value: 'ex_partner', text: 'Former partner' },
  { value: 'family_member', text: 'Family member' },
  { value: 'child_over_16', text: 'Son or daughter aged 16 or over' },
  { value: 'other', text: 'Someone else' },
  { value: 'not_known', text: 'Not known' },
];

export const NEED_OPTIONS: readonly Option<NeedCode>[] = [
  { value: 'safe_accommodation', text: 'Somewhere safe to stay, such as a refuge' },
  { value: 'housing', text: 'Help with housing (the council housing team)' },
  { value: 'adult_care_support', text: 'They are an adult with care and support needs' },
  { value: 'mens_service', text: "A specialist service for men" },
  { value: 'lgbt_service', text: 'A specialist LGBT+ service' },
];

export const CONSENT_OPTIONS: readonly Option<'given' | 'not_given' | 'not_asked'>[] = [
  { value: 'given', text: 'Yes, they agreed to this referral' },
  { value: 'not_given', text: 'No, they did not agree' },
  { value: 'not_asked', text: 'They have not been asked (it was not safe or possible)' },
];

export const LAWFUL_BASES: readonly Option[] = [
  { value: 'risk_of_serious_harm', text: 'To protect them or someone else from serious harm' },
  { value: 'safeguarding_children', text: 'To safeguard a child' },
  { value: 'safeguarding_adult', text: 'To safeguard an adult at risk' },
  { value: 'prevent_detect_crime', text: 'To prevent or detect crime' },
  { value: 'vital_interests', text: 'In their vital interests, when they cannot consent' },
];

export const ETHNICITIES: readonly Option[] = [
  { value: 'asian', text: 'Asian or Asian British' },
  { value: 'black', text: 'Black, Black British, Caribbean or African' },
  { value: 'mixed', text: 'Mixed or multiple ethnic groups' },
  { value: 'white_british', text: 'White British' },
  { value: 'white_other', text: 'Any other White background (including Gypsy, Roma or Irish Traveller)' },
  { value: 'other', text: 'Another ethnic group' },
  { value: 'prefer_not_to_say', text: 'Prefer not to say' },
];

export const SEXUAL_ORIENTATIONS: readonly Option[] = [
  { value: 'heterosexual', text: 'Straight or heterosexual' },
  { value: 'gay_lesbian', text: 'Gay or lesbian' },
  { value: 'bisexual', text: 'Bisexual' },
  { value: 'other', text: 'Another sexual orientation' },
  { value: 'prefer_not_to_say', text: 'Prefer not to say' },
];

export const DISABILITY: readonly Option[] = [
  { value: 'yes', text: 'Yes' },
  { value: 'no', text: 'No' },
  { value: 'prefer_not_to_say', text: 'Prefer not to say' },
];

export const RELIGIONS: readonly Option[] = [
  { value: 'none', text: 'No religion' },
  { value: 'christian', text: 'Christian' },
  { value: 'muslim', text: 'Muslim' },
  { value: 'hindu', text: 'Hindu' },
  { value: 'sikh', text: 'Sikh' },
  { value: 'jewish', text: 'Jewish' },
  { value: 'buddhist', text: 'Buddhist' },
  { value: 'other', text: 'Another religion' },
  { value: 'prefer_not_to_say', text: 'Prefer not to say' },
];

export const ROUTE_KIND_LABELS: Record<string, string> = {
  marac: 'MARAC',
  idva: 'Independent Domestic Violence Adviser (IDVA)',
  outreach: 'Outreach support',
  specialist: 'Specialist service',
  safe_accommodation: 'Safe accommodation',
  children_safeguarding: "Children's safeguarding",
  adult_safeguarding: 'Adult safeguarding',
  housing: 'Housing',
};

export const RISK_LEVEL_LABELS: Record<string, string> = { standard: 'Standard', medium: 'Medium', high: 'High' };

export function values<T extends string>(options: readonly Option<T>[]): [T, ...T[]] {
  return options.map((option) => option.value) as [T, ...T[]];
}

export function labelOf(options: readonly Option[], value: string | null | undefined): string {
  return options.find((option) => option.value === value)?.text ?? '';
}

/** Age band at the referral date, for the MARAC dataset (which counts 16-17 year olds). */
export function ageBand(dateOfBirth: string | null, on: string): string | null {
  if (!dateOfBirth) return null;
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.slice(0, 10).split('-').map(Number) as [number, number, number];
  const age = y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
  if (age < 16) return 'under_16';
  if (age < 18) return '16_17';
  if (age < 25) return '18_24';
  if (age < 35) return '25_34';
  if (age < 45) return '35_44';
  if (age < 55) return '45_54';
  if (age < 65) return '55_64';
  return '65_plus';
}
