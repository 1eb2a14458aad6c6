import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// Directory organisations and locations get a published version beside the working copy, as services have: an
// editor's change reaches the public site when it is published. Every existing row was public as it stands, so its
// published version starts as its current values.
interface OrganisationRow {
  id: string;
  name: string;
  description: string;
  email: string | null;
  website: string | null;
  updated_at: string;
}

interface LocationRow {
  id: string;
  name: string;
  location_type: string;
  confidential: number;
  address_1: string | null;
  address_2: string | null;
  city: string | null;
  postal_code: string | null;
  area_code: string | null;
  latitude: number | null;
  longitude: number | null;
  accessibility: string | null;
  updated_at: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['directory_organisations', 'directory_locations']) {
    await db.schema.alterTable(table).addColumn('published_document', 'text').execute();
    await db.schema.alterTable(table).addColumn('published_at', 'text').execute();
    await db.schema.alterTable(table).addColumn('has_unpublished_changes', 'integer', (col) => col.notNull().defaultTo(0)).execute();
  }
  const organisations = (await db.selectFrom('directory_organisations').select(['id', 'name', 'description', 'email', 'website', 'updated_at']).execute()) as OrganisationRow[];
  for (const row of organisations) {
    const document = JSON.stringify({ name: row.name, description: row.description, email: row.email, website: row.website });
    await db.updateTable('directory_organisations').set({ published_document: document, published_at: row.updated_at }).where('id', '=', row.id).execute();
  }
  const locations = (await db
    .selectFrom('directory_locations')
    .select(['id', 'name', 'location_type', 'confidential', 'address_1', 'address_2', 'city', 'postal_code', 'area_code', 'latitude', 'longitude', 'accessibility', 'updated_at'])
    .execute()) as LocationRow[];
  for (const row of locations) {
    const document =
      row.confidential === 1
        ? { confidential: true }
        : {
            confidential: false,
            name: row.name,
            locationType: row.location_type,
            address1: row.address_1,
            address2: row.address_2,
            city: row.city,
            postalCode: row.postal_code,
            areaCode: row.area_code,
            latitude: row.latitude,
            longitude: row.longitude,
            accessibility: row.accessibility,
          };
    await db.updateTable('directory_locations').set({ published_document: JSON.stringify(document), published_at: row.updated_at }).where('id', '=', row.id).execute();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['directory_locations', 'directory_organisations']) {
    await db.schema.alterTable(table).dropColumn('has_unpublished_changes').execute();
    await db.schema.alterTable(table).dropColumn('published_at').execute();
    await db.schema.alterTable(table).dropColumn('published_document').execute();
  }
}
