import { z } from 'zod';
import { ROLE_NAMES, type Role } from '../../platform/access/policy.js';
import { formVersion } from '../../platform/db/versioning.js';

/** Kinds of partner organisation, with the words people use for them. */
export const ORGANISATION_KINDS = {
  'police-commissioner': 'Police and crime commissioner',
  police: 'Police',
  'county-council': 'County council',
  'unitary-council': 'Unitary council',
  'district-council': 'District or borough council',
  nhs: 'NHS',
  probation: 'Probation',
  'fire-and-rescue': 'Fire and rescue',
  'marac-hub': 'MARAC hub',
  'commissioned-service': 'Commissioned domestic abuse service',
  'voluntary-sector': 'Voluntary or community sector',
  housing: 'Housing provider',
  education: 'School, college or university',
  other: 'Other',
} as const;

export type OrganisationKind = keyof typeof ORGANISATION_KINDS;
const KIND_NAMES = Object.keys(ORGANISATION_KINDS) as OrganisationKind[];

export function kindName(kind: string): string {
  return kind in ORGANISATION_KINDS ? ORGANISATION_KINDS[kind as OrganisationKind] : kind;
}

/** A checkbox group arrives as nothing, one string or several: always an array here. */
const checkboxes = (value: unknown): unknown => (value === undefined || value === '' ? [] : [value].flat().filter((item) => item !== ''));

const version = formVersion;

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function organisationFields(areaCodes: readonly string[]) {
  return {
    name: z.string().trim().min(1, 'Enter the name of the organisation').max(200, 'Name must be 200 characters or fewer'),
    kind: z.enum(KIND_NAMES, { error: 'Select the kind of organisation' }),
    areaCode: z
      .string()
      .default('')
      .refine((code) => code === '' || areaCodes.includes(code), 'Select an area from the list')
      .transform((code) => (code === '' ? null : code)),
    active: z.enum(['yes', 'no'], { error: 'Select whether the organisation is active' }).transform((answer) => answer === 'yes'),
  };
}

export function newOrganisationForm(areaCodes: readonly string[]) {
  return z.object({
    ...organisationFields(areaCodes),
    slug: z
      .string()
      .trim()
      .min(1, 'Enter a short name')
      .max(60, 'Short name must be 60 characters or fewer')
      .regex(SLUG_PATTERN, 'Short name must use only lower-case letters, numbers and single hyphens, like kent-police'),
  });
}

export function editOrganisationForm(areaCodes: readonly string[]) {
  return z.object({ ...organisationFields(areaCodes), version });
}

const roleList = (allowed: readonly Role[]) =>
  z.preprocess(
    checkboxes,
    z
      .array(z.enum(ROLE_NAMES, { error: 'Select roles from the list' }))
      .min(1, 'Select at least one role')
      .refine((roles) => roles.every((role) => allowed.includes(role)), 'You cannot give one of the roles you selected'),
  );

export function inviteForm(allowedRoles: readonly Role[]) {
  return z.object({
    name: z.string().trim().min(1, 'Enter their full name').max(200, 'Name must be 200 characters or fewer'),
    email: z
      .string()
      .trim()
      .min(1, 'Enter their work email address')
      .max(320, 'Email address must be 320 characters or fewer')
      .pipe(z.email('Enter an email address in the correct format, like name@example.org')),
    organisationId: z.string({ error: 'Select their organisation' }).min(1, 'Select their organisation'),
    roles: roleList(allowedRoles),
  });
}

export function rolesForm(allowedRoles: readonly Role[]) {
  return z.object({ roles: roleList(allowedRoles), version });
}

export const versionForm = z.object({ version });

export const areaForm = z.object({
  population: z
    .string()
    .trim()
    .min(1, 'Enter the population')
    .transform((text) => text.replaceAll(',', ''))
    .pipe(z.string().regex(/^\d{1,8}$/, 'Enter the population as a whole number, like 132700'))
    .transform(Number),
  towns: z
    .string()
    .transform((text) =>
      text
        .split(/[\n;]/)
        .map((town) => town.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().max(100, 'Each town name must be 100 characters or fewer'))
        .min(1, 'Enter at least one town, one on each line')
        .max(100, 'Enter 100 towns or fewer'),
    ),
  version,
});

export function postcodeDistrictForm(areaCodes: readonly string[]) {
  return z.object({
    areas: z.preprocess(
      checkboxes,
      z
        .array(z.string())
        .min(1, 'Select at least one area')
        .refine((codes) => codes.every((code) => areaCodes.includes(code)), 'Select areas from the list'),
    ),
    previous: z.string().min(1, 'Reload the page and try again'),
  });
}

export const USER_SEARCH_MAX = 200;
const userSearchWords = z.string().trim().max(USER_SEARCH_MAX, `Search words must be ${String(USER_SEARCH_MAX)} characters or fewer`);

/** The list's address: `q` arrives sealed (see sealed-search.ts), so it is checked once opened, with the form's rule. */
export const userListQuery = z.object({
  organisation: z.string().max(100).optional().catch(undefined),
  q: z.string().max(4000).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export const userSearchForm = z.object({
  organisation: z.string().max(100).optional().catch(undefined),
  q: userSearchWords.optional(),
});

export const userSearchWordsOf = (text: string) => userSearchWords.safeParse(text);
