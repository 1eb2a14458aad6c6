import { describe, expect, it } from 'vitest';
import { readRoutingFile } from '../rules/seed-file.js';
import { nextRouteAfterDecline, triageOrganisation } from './rerouting.js';

const file = readRoutingFile();
const kent = file.ruleSets.find((ruleSet) => ruleSet.maracArea === 'kent');
const medway = file.ruleSets.find((ruleSet) => ruleSet.maracArea === 'medway');
if (!kent || !medway) throw new Error('seed rule sets missing');
const none = { declinedBy: new Set<string>(), open: new Set<string>() };

describe('passing a declined referral on under the rule set', () => {
  it('sends a declined men’s service referral to the district’s commissioned outreach service', () => {
    const next = nextRouteAfterDecline(kent, 'swale', { kind: 'specialist', organisationSlug: 'demo-mens-da-service' }, { ...none, declinedBy: new Set(['demo-mens-da-service']) });
    expect(next).toMatchObject({ kind: 'outreach', organisationSlug: kent.areaServices['swale']?.outreach, triage: false });
  });

  it('sends work the district’s only provider declined to the MARAC Hub to triage, keeping the kind', () => {
    const provider = kent.areaServices['maidstone']?.idva ?? '';
    const next = nextRouteAfterDecline(kent, 'maidstone', { kind: 'idva', organisationSlug: provider }, { ...none, declinedBy: new Set([provider]) });
    expect(next).toMatchObject({ kind: 'idva', organisationSlug: triageOrganisation(kent), triage: true });
    expect(triageOrganisation(kent)).toBe('marac-hub');
  });

  it('never sends the same work twice to an organisation that already holds it open', () => {
    const next = nextRouteAfterDecline(kent, 'swale', { kind: 'specialist', organisationSlug: 'demo-mens-da-service' }, { declinedBy: new Set(['demo-mens-da-service']), open: new Set([`outreach|${kent.areaServices['swale']?.outreach ?? ''}`]) });
    // Outreach is already open there; the same organisation as IDVA is the next suitable route.
    expect(next).toMatchObject({ kind: 'idva', organisationSlug: kent.areaServices['swale']?.idva });
  });

  it('looks for safe accommodation elsewhere in the MARAC area before triage', () => {
    const withTwoProviders = { ...kent, areaServices: { ...kent.areaServices, dover: { idva: 'a-idva', outreach: 'a-outreach', safe_accommodation: 'another-refuge' } } };
    const next = nextRouteAfterDecline(withTwoProviders, 'maidstone', { kind: 'safe_accommodation', organisationSlug: 'demo-kent-safe-accommodation' }, { ...none, declinedBy: new Set(['demo-kent-safe-accommodation']) });
    expect(next).toMatchObject({ kind: 'safe_accommodation', organisationSlug: 'another-refuge', triage: false });
  });

  it('gives up when the Hub itself has declined (nobody is left), and for a MARAC route the Hub declines', () => {
    const provider = medway.areaServices['medway']?.outreach ?? '';
    expect(nextRouteAfterDecline(medway, 'medway', { kind: 'outreach', organisationSlug: provider }, { ...none, declinedBy: new Set([provider, 'marac-hub']) })).toBeNull();
    expect(nextRouteAfterDecline(medway, 'medway', { kind: 'marac', organisationSlug: 'marac-hub' }, { ...none, declinedBy: new Set(['marac-hub']) })).toBeNull();
  });

  it('sends a declined statutory route (housing) to the Hub to triage', () => {
    const team = kent.housingTeams['dartford'] ?? '';
    expect(nextRouteAfterDecline(kent, 'dartford', { kind: 'housing', organisationSlug: team }, { ...none, declinedBy: new Set([team]) })).toMatchObject({ organisationSlug: 'marac-hub', kind: 'housing', triage: true });
  });
});
