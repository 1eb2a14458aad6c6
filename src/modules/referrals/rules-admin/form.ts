import type { FormErrors } from '../../../platform/views/form-errors.js';
import { ROUTE_KIND_LABELS } from '../options.js';
import { AREA_SERVICES, ruleSetSchema, type AreaServiceKind, type RuleSet } from '../rules/schema.js';

/**
 * The rules form: the numbers and targets a partnership changes (thresholds, windows, first-contact targets and
 * which organisation receives each route) as flat fields, and back. Conditions and wording stay as they are:
 * they change through the rules file. The result is checked by the same schema the rules file is.
 */

export type FormValues = Record<string, string | undefined>;

const CRITERIA_SWITCHES = ['visibleHighRisk', 'professionalJudgement', 'potentialEscalation', 'repeat', 'suicideSelfHarm'] as const;

interface NumberField {
  readonly name: string;
  readonly path: readonly string[];
  readonly min: number;
  readonly max: number;
  readonly what: string;
  /** Left empty, the setting is null: see its hint on the form. */
  readonly optional?: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };

const field = (name: string, path: string, what: string, min: number, max: number, optional = false): NumberField => ({ name, path: path.split('.'), what, min, max, optional });

export const NUMBER_FIELDS: readonly NumberField[] = [
  field('visibleHighRisk-minimumYes', 'criteria.visibleHighRisk.minimumYes', 'the number of “yes” answers that sends a referral to MARAC', 1, 24),
  field('potentialEscalation-minimumEvents', 'criteria.potentialEscalation.minimumEvents', 'the number of incidents that shows potential escalation', 1, 50),
  field('potentialEscalation-windowMonths', 'criteria.potentialEscalation.windowMonths', 'the months in which those incidents are counted', 1, 60),
  field('repeat-windowMonths', 'criteria.repeat.windowMonths', 'the months after a MARAC referral in which a new one is a repeat', 1, 60),
  field('suicideSelfHarm-currentAbuseWithinMonths', 'criteria.suicideSelfHarm.currentAbuseWithinMonths', 'the months within which abuse counts as current', 1, 60, true),
  field('riskBands-medium', 'riskBands.medium', 'the “yes” answers from which a referral is medium risk', 1, 24),
  field('riskBands-high', 'riskBands.high', 'the “yes” answers from which a referral is high risk', 1, 24),
  field('firstContact-standard', 'firstContactWorkingDays.standard', 'the working days to first contact for standard risk', 1, 30),
  field('firstContact-medium', 'firstContactWorkingDays.medium', 'the working days to first contact for medium risk', 1, 30),
  field('firstContact-high', 'firstContactWorkingDays.high', 'the working days to first contact for high risk', 1, 30),
  field('duplicateWindowMonths', 'duplicateWindowMonths', 'the months in which an earlier referral for the same person is reported', 1, 60),
];

/** Every organisation field of a rule set, named for the form, with where it lives in the rules. */
export interface TargetField {
  readonly name: string;
  readonly label: string;
  readonly group: string;
  readonly value: string;
  readonly path: readonly (string | number)[];
  /** For error messages: "Select the organisation for …". */
  readonly phrase: string;
}

export function targetFields(rules: RuleSet, districtName: (code: string) => string): TargetField[] {
  const fields: TargetField[] = [
    { name: 'safeguarding-children', label: 'Children’s safeguarding', group: 'Safeguarding', value: rules.safeguarding.children, path: ['safeguarding', 'children'], phrase: 'children’s safeguarding' },
    { name: 'safeguarding-adults', label: 'Adult safeguarding', group: 'Safeguarding', value: rules.safeguarding.adults, path: ['safeguarding', 'adults'], phrase: 'adult safeguarding' },
  ];
  rules.routes.forEach((route, index) => {
    if ('organisation' in route.target) fields.push({ name: `route-${route.id}`, label: `${ROUTE_KIND_LABELS[route.kind] ?? route.kind} (rule “${route.id}”)`, group: 'Routes to one organisation', value: route.target.organisation, path: ['routes', index, 'target', 'organisation'], phrase: `the rule “${route.id}”` });
  });
  for (const district of rules.districts) {
    for (const service of AREA_SERVICES) {
      fields.push({ name: `area-${district}-${service}`, label: SERVICE_LABELS[service], group: districtName(district), value: rules.areaServices[district]?.[service] ?? '', path: ['areaServices', district, service], phrase: `${SERVICE_PHRASES[service]} in ${districtName(district)}` });
    }
    fields.push({ name: `housing-${district}`, label: 'Housing team', group: districtName(district), value: rules.housingTeams[district] ?? '', path: ['housingTeams', district], phrase: `the housing team in ${districtName(district)}` });
  }
  return fields;
}

const SERVICE_LABELS: Record<AreaServiceKind, string> = { idva: 'IDVA service', outreach: 'Outreach service', safe_accommodation: 'Safe accommodation' };
const SERVICE_PHRASES: Record<AreaServiceKind, string> = { idva: 'the IDVA service', outreach: 'the outreach service', safe_accommodation: 'safe accommodation' };

export function valuesOf(rules: RuleSet): FormValues {
  const values: FormValues = {};
  for (const number of NUMBER_FIELDS) {
    const value = getAt(rules, number.path);
    values[number.name] = typeof value === 'number' ? String(value) : '';
  }
  for (const name of CRITERIA_SWITCHES) values[`${name}-enabled`] = rules.criteria[name].enabled ? 'yes' : 'no';
  for (const field of targetFields(rules, (code) => code)) values[field.name] = field.value;
  return values;
}

export type FormResult = { readonly ok: true; readonly rules: RuleSet } | { readonly ok: false; readonly errors: FormErrors };

/**
 * Applies the posted fields to `base` and checks the result with the rule-set schema. `knownSlugs` are the
 * organisations that can receive referrals: a target must be one of them.
 */
export function rulesFromForm(base: RuleSet, body: unknown, knownSlugs: ReadonlySet<string>, districtName: (code: string) => string): FormResult {
  const posted = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const text = (name: string) => (typeof posted[name] === 'string' ? posted[name].trim() : '');
  const errors: FormErrors = { summary: [], byField: {} };
  const fail = (field: string, message: string) => {
    if (errors.byField[field]) return;
    errors.byField[field] = { text: message };
    errors.summary.push({ text: message, href: `#${field}` });
  };

  const draft = structuredClone(base) as Mutable<RuleSet>;
  for (const number of NUMBER_FIELDS) {
    const raw = text(number.name);
    const value = Number(raw);
    if (raw === '' && number.optional) setAt(draft, number.path, null);
    else if (!/^\d+$/.test(raw) || value < number.min || value > number.max) fail(number.name, `Enter ${number.what}, a whole number from ${String(number.min)} to ${String(number.max)}${number.optional ? ', or leave it empty' : ''}`);
    else setAt(draft, number.path, value);
  }
  for (const name of CRITERIA_SWITCHES) {
    const raw = text(`${name}-enabled`);
    if (raw !== 'yes' && raw !== 'no') fail(`${name}-enabled`, 'Select whether this criterion is used');
    else draft.criteria[name].enabled = raw === 'yes';
  }
  for (const target of targetFields(base, districtName)) {
    const slug = text(target.name);
    if (!knownSlugs.has(slug)) fail(target.name, `Select the organisation for ${target.phrase}`);
    else setAt(draft, target.path, slug);
  }
  if (errors.summary.length > 0) return { ok: false, errors };

  const checked = ruleSetSchema.safeParse(draft);
  if (!checked.success) {
    for (const issue of checked.error.issues) fail(fieldOfPath(base, issue.path), issue.message);
    return { ok: false, errors };
  }
  return { ok: true, rules: checked.data };
}

function getAt(source: unknown, path: readonly (string | number)[]): unknown {
  let node = source;
  for (const key of path) node = (node as Record<string | number, unknown>)[key];
  return node;
}

function setAt(target: unknown, path: readonly (string | number)[], value: string | number | null): void {
  const parent = getAt(target, path.slice(0, -1)) as Record<string | number, unknown>;
  const last = path.at(-1);
  if (last !== undefined) parent[last] = value;
}

/** The form field a schema problem belongs to (the first number field when it is about the whole set). */
function fieldOfPath(base: RuleSet, path: readonly PropertyKey[]): string {
  const key = path.map(String).join('.');
  const number = NUMBER_FIELDS.find((candidate) => candidate.path.join('.') === key);
  if (number) return number.name;
  const target = targetFields(base, (code) => code).find((candidate) => candidate.path.map(String).join('.') === key);
  return target?.name ?? NUMBER_FIELDS[0]?.name ?? 'form';
}
