import type { Actor } from '../../platform/access/policy.js';
import type { Services } from '../../services.js';
import { DEMO_ORGANISATIONS, demoLocations, demoServices, generateServices, type DemoArea } from './demo-data.js';
import { findOrganisationByName, setLocationPoint } from './repository/records.js';
import { setLastReviewed } from './repository/services.js';

const ORIGIN = { ip: '127.0.0.1', requestId: 'seed-demo' };
const EDITOR_EMAIL = 'editor@demo.invalid';

/** Demo changes are made as the demo directory editor, so history and audit read like real use. */
async function demoEditor(services: Services): Promise<Actor> {
  const user = await services.users.findByEmail(EDITOR_EMAIL);
  if (!user) throw new Error(`The demo directory editor ${EDITOR_EMAIL} is missing: seed the demo users first.`);
  return { userId: user.id, organisationId: user.organisationId, roles: ['directory_editor'] };
}

function monthsAgo(now: Date, months: number): string {
  const date = new Date(now);
  date.setUTCMonth(date.getUTCMonth() - months);
  return date.toISOString();
}

/** Unallocated inward codes; a confidential address never shares a postcode with a public one. */
function demoAddress(area: DemoArea, line: string, confidential: boolean) {
  return { address1: line, address2: null, city: area.town, postalCode: `${area.outward} ${confidential ? '8ZZ' : '9ZZ'}` };
}

/** Demo towns have no ONS coordinates: a public location is placed at its town's centre, then published. */
async function placeAndPublish(services: Services, actor: Actor, locationId: string, area: DemoArea): Promise<void> {
  await setLocationPoint(services.db.kysely, locationId, area.latitude, area.longitude);
  await services.directory.records.publishLocation(actor, locationId, 1, ORIGIN);
}

/** About thirty fictional services across all 13 areas; idempotent (does nothing if the demo is already there). */
export async function seedDirectoryDemo(services: Services): Promise<void> {
  const { directory, reference, db, clock } = services;
  const first = DEMO_ORGANISATIONS[0];
  if (!first || (await findOrganisationByName(db.kysely, first.name))) return;
  const actor = await demoEditor(services);

  const organisationIds = new Map<string, string>();
  for (const organisation of DEMO_ORGANISATIONS) {
    const partner = organisation.partnerSlug ? await reference.getOrganisationBySlug(organisation.partnerSlug) : undefined;
    const id = await directory.records.createOrganisation(
      actor,
      { name: organisation.name, description: organisation.description, email: `${organisation.key}@example.org`, website: `https://example.org/demo/${organisation.key}`, partnerOrganisationId: partner?.id ?? null },
      ORIGIN,
    );
    await directory.records.publishOrganisation(actor, id, 1, ORIGIN);
    organisationIds.set(organisation.key, id);
  }

  const locationIds = new Map<string, string>();
  for (const [index, location] of demoLocations().entries()) {
    const line = location.confidential ? `${String(index + 1)} Demo Refuge Close (synthetic)` : `${String(index + 1)} Demo Street (synthetic)`;
    const id = await directory.records.createLocation(
      actor,
      {
        organisationId: organisationIds.get(location.organisationKey) ?? '',
        name: location.name,
        locationType: 'physical',
        confidential: location.confidential,
        address: demoAddress(location.area, line, location.confidential),
        areaCode: location.area.code,
        accessibility: location.confidential ? null : 'Step-free entrance; accessible toilet.',
      },
      ORIGIN,
    );
    if (!location.confidential) await placeAndPublish(services, actor, id, location.area);
    locationIds.set(location.key, id);
  }

  for (const spec of demoServices()) {
    const id = await directory.editor.create(
      actor,
      { ...spec.input, organisationId: organisationIds.get(spec.organisationKey) ?? '', locationIds: spec.locationKeys.map((key) => locationIds.get(key) ?? '') },
      ORIGIN,
    );
    const created = await directory.editor.get(id);
    if (created) await directory.editor.publish(actor, id, created.version, ORIGIN);
    if (spec.reviewedMonthsAgo > 6) await setLastReviewed(db.kysely, id, monthsAgo(clock(), spec.reviewedMonthsAgo));
  }
}

/**
 * Adds `count` generated, published services (for load tests: the finder benchmark uses 5,000), under one
 * synthetic organisation per 250 services, each based at a location in its home area.
 */
export async function seedGeneratedDirectory(services: Services, count: number, seed = 2026): Promise<number> {
  const { directory } = services;
  const actor = await demoEditor(services);
  const generated = generateServices(count, seed);
  let organisationId = '';
  const locations = new Map<string, string>();
  for (const item of generated) {
    if (item.index % 250 === 0) {
      organisationId = await directory.records.createOrganisation(
        actor,
        { name: `Demo Generated Provider ${String(item.index / 250 + 1)} (synthetic)`, description: 'A generated fictional provider for load testing.', email: null, website: null, partnerOrganisationId: null },
        ORIGIN,
      );
      await directory.records.publishOrganisation(actor, organisationId, 1, ORIGIN);
      locations.clear();
    }
    const key = `${item.area.code}:${String(item.confidential)}`;
    let locationId = locations.get(key);
    if (!locationId) {
      locationId = await directory.records.createLocation(
        actor,
        {
          organisationId,
          name: `Demo ${item.confidential ? 'Safe House' : 'Office'} in ${item.area.town} (synthetic)`,
          locationType: 'physical',
          confidential: item.confidential,
          address: demoAddress(item.area, `${String(item.index + 1)} Demo ${item.confidential ? 'Refuge Close' : 'Road'} (synthetic)`, item.confidential),
          areaCode: item.area.code,
          accessibility: null,
        },
        ORIGIN,
      );
      if (!item.confidential) await placeAndPublish(services, actor, locationId, item.area);
      locations.set(key, locationId);
    }
    const id = await directory.editor.create(actor, { ...item.input, organisationId, locationIds: [locationId] }, ORIGIN);
    await directory.editor.publish(actor, id, 1, ORIGIN);
  }
  return generated.length;
}
