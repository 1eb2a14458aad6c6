import type { Actor } from '../../platform/access/policy.js';
import type { Services } from '../../services.js';
import type { LocationInput, ServiceInput } from './model.js';

/** Helpers for the directory's tests: records made through the real services, as an editor would. */

export const ORIGIN = { ip: '127.0.0.1', requestId: 'test' };

export async function editorActor(services: Services): Promise<Actor> {
  const user = await services.users.findByEmail('editor@demo.invalid');
  if (!user) throw new Error('The demo editor is missing: create the test platform with demo data.');
  return { userId: user.id, organisationId: user.organisationId, roles: ['directory_editor'] };
}

export function serviceInput(organisationId: string, overrides: Partial<ServiceInput> = {}): ServiceInput {
  return {
    organisationId,
    name: 'Test Service (synthetic)',
    description: 'A test service.',
    offers: 'Test support.',
    eligibility: 'Anyone.',
    minimumAge: null,
    maximumAge: null,
    referralSelf: true,
    referralProfessional: false,
    referralDetails: '',
    languages: ['en'],
    accessibility: '',
    openingNotes: '',
    url: null,
    email: 'test-service@example.org',
    status: 'active',
    acceptsCallbacks: false,
    phones: [{ number: '01632 960999', description: 'Main line' }],
    contacts: [],
    hours: [],
    areaCodes: ['thanet'],
    termCodes: ['outreach'],
    locationIds: [],
    ...overrides,
  };
}

/** Creates and publishes an organisation; returns its id. */
export async function createOrganisation(services: Services, name: string, partnerOrganisationId: string | null = null): Promise<string> {
  const actor = await editorActor(services);
  const id = await services.directory.records.createOrganisation(actor, { name, description: 'Test organisation.', email: null, website: null, partnerOrganisationId }, ORIGIN);
  await services.directory.records.publishOrganisation(actor, id, 1, ORIGIN);
  return id;
}

/** Creates a location and, unless it is confidential (nothing to publish), publishes it; returns its id. */
export async function createLocation(services: Services, input: LocationInput): Promise<string> {
  const actor = await editorActor(services);
  const id = await services.directory.records.createLocation(actor, input, ORIGIN);
  if (!input.confidential) await services.directory.records.publishLocation(actor, id, 1, ORIGIN);
  return id;
}

/** Creates and publishes a service; returns its id. */
export async function publishService(services: Services, input: ServiceInput): Promise<string> {
  const actor = await editorActor(services);
  const id = await services.directory.editor.create(actor, input, ORIGIN);
  await services.directory.editor.publish(actor, id, 1, ORIGIN);
  return id;
}
