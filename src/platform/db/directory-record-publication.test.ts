import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { buildDirectory } from '../../modules/directory/public-directory.js';
import { loadPublicRows } from '../../modules/directory/repository/published.js';
import { down, up } from './migrations/2026-12-07-0045-directory-record-publication.js';

describe('migration 0045: directory organisations and locations have a published version', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('publishes every existing organisation and location as it stands, keeping no address for a confidential one', async () => {
    const db = platform.services.db.kysely;
    const before = await platform.services.directory.published.current();
    await down(db);
    await up(db);

    const organisations = await db.selectFrom('directory_organisations').select(['name', 'description', 'published_document', 'has_unpublished_changes']).execute();
    expect(organisations.length).toBeGreaterThan(0);
    for (const row of organisations) {
      expect(JSON.parse(row.published_document ?? 'null')).toMatchObject({ name: row.name, description: row.description });
    }
    const locations = await db.selectFrom('directory_locations').select(['confidential', 'address_1', 'postal_code', 'published_document']).execute();
    expect(locations.some((row) => row.confidential === 1)).toBe(true);
    for (const row of locations) {
      const expected = row.confidential === 1 ? { confidential: true } : { confidential: false, address1: row.address_1, postalCode: row.postal_code };
      expect(JSON.parse(row.published_document ?? 'null')).toMatchObject(expected);
    }
    expect(locations.filter((row) => row.confidential === 1).map((row) => row.published_document)).toEqual(locations.filter((row) => row.confidential === 1).map(() => '{"confidential":true}'));

    const after = buildDirectory(0, await loadPublicRows(db));
    const shown = (directory: typeof before) => directory.services.map((service) => ({ id: service.id, organisation: service.organisation, locations: service.locations }));
    expect(shown(after)).toEqual(shown(before));
  });
});
