import type { AreaServiceKind, RuleSet } from '../rules/schema.js';
import type { RouteKind } from '../tables.js';

/**
 * Where a declined route goes next, decided from the rule set the referral was routed by (never from code
 * branches per area). Every route rule whose conditions held already made a route when the referral was sent,
 * so the next suitable organisation comes from the rule set's services: the district's commissioned domestic
 * abuse services that can do the same work (IDVA and outreach stand in for each other and for a specialist); for
 * safe accommodation, providers elsewhere in the MARAC area (a refuge away from home is often the safer place);
 * and when none is left, the MARAC Hub (the organisation the rule set sends MARAC referrals to) to triage it.
 */

export interface Declined {
  readonly kind: RouteKind;
  readonly organisationSlug: string;
}

export interface NextRoute {
  readonly kind: RouteKind;
  readonly organisationSlug: string;
  /** Plain words for the referrer and the new receiver (no personal data). */
  readonly because: string;
  readonly triage: boolean;
}

/** Commissioned services in the same district that can take the work of a declined route of this kind. */
const ALTERNATIVES: Partial<Record<RouteKind, readonly AreaServiceKind[]>> = {
  idva: ['idva', 'outreach'],
  outreach: ['outreach', 'idva'],
  specialist: ['outreach', 'idva'],
  safe_accommodation: ['safe_accommodation'],
};

/** The organisation MARAC referrals go to under these rules (the MARAC Hub), which also triages what no one else can take. */
export function triageOrganisation(rules: RuleSet): string | undefined {
  for (const rule of rules.routes) if (rule.kind === 'marac' && 'organisation' in rule.target) return rule.target.organisation;
  return undefined;
}

export interface Unavailable {
  /** Organisations that declined this referral (including the one declining now). */
  readonly declinedBy: ReadonlySet<string>;
  /** `kind|organisation` of the referral's routes still open: the same work is not sent twice to one place. */
  readonly open: ReadonlySet<string>;
}

export function nextRouteAfterDecline(rules: RuleSet, district: string, declined: Declined, unavailable: Unavailable): NextRoute | null {
  const free = (kind: RouteKind, slug: string) => !unavailable.declinedBy.has(slug) && !unavailable.open.has(`${kind}|${slug}`);
  const candidates: Array<Omit<NextRoute, 'triage'>> = [];
  const local = rules.areaServices[district];
  for (const service of ALTERNATIVES[declined.kind] ?? []) {
    if (local) candidates.push({ kind: service, organisationSlug: local[service], because: `it is the commissioned ${SERVICE_WORDS[service]} service for the person’s district` });
  }
  if (declined.kind === 'safe_accommodation') {
    for (const other of rules.districts) {
      const provider = rules.areaServices[other]?.safe_accommodation;
      if (provider) candidates.push({ kind: 'safe_accommodation', organisationSlug: provider, because: 'it provides safe accommodation elsewhere in the MARAC area' });
    }
  }
  const chosen = candidates.find((candidate) => free(candidate.kind, candidate.organisationSlug));
  if (chosen) return { ...chosen, triage: false };
  const hub = triageOrganisation(rules);
  if (hub && free(declined.kind, hub)) {
    return { kind: declined.kind, organisationSlug: hub, because: 'no other suitable organisation is left under the routing rules, so the MARAC Hub will triage it', triage: true };
  }
  return null;
}

const SERVICE_WORDS: Record<AreaServiceKind, string> = { idva: 'IDVA', outreach: 'outreach', safe_accommodation: 'safe accommodation' };
