import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// The service directory, shaped for Open Referral UK 3.0: organisations, services, locations (some confidential),
// service_at_location, coverage areas, taxonomy; the published projection the public reads; change history;
// postcode coordinates imported from the ONS Postcode Directory; safe call-back requests.

const TAXONOMIES = [
  { id: '0b9d6a2e-5a3c-5e1f-9a41-6d1b2c3e4f01', code: 'needs', name: 'Needs', description: 'What kind of help a service gives.' },
  { id: '0b9d6a2e-5a3c-5e1f-9a41-6d1b2c3e4f02', code: 'groups', name: 'Groups', description: 'Who a service is especially for.' },
];

// Stable codes and identifiers: links such as /services?need=idva and partners' systems depend on them.
const TERMS: ReadonlyArray<[string, string, string, string, string]> = [
  ['1d3b8f10-7c2a-5b44-8e01-000000000001', 'needs', 'safe-accommodation', 'Safe accommodation', 'Refuges and other safe places to stay, at an address kept confidential.'],
  ['1d3b8f10-7c2a-5b44-8e01-000000000002', 'needs', 'idva', 'IDVA (independent domestic violence adviser)', 'Independent domestic violence advisers: specialist support for people at high risk, through the courts, housing and safety planning.'],
  ['1d3b8f10-7c2a-5b44-8e01-000000000003', 'needs', 'outreach', 'Outreach and community support', 'Support in the community for people living with or leaving abuse: safety planning, advice and emotional support.'],
  ['1d3b8f10-7c2a-5b44-8e01-000000000004', 'needs', 'perpetrator-programmes', 'Programmes for people who harm', 'Programmes for people who want to stop being abusive towards a partner or family member.'],
  ['1d3b8f10-7c2a-5b44-8e01-000000000005', 'needs', 'sanctuary', 'Sanctuary: making your home safer', 'Security checks and measures at home (locks, alarms, doors) so people can stay safely where they live.'],
  ['1d3b8f10-7c2a-5b44-8e01-000000000006', 'needs', 'legal', 'Legal advice', 'Advice on protective orders, family courts, immigration and other legal matters.'],
  ['1d3b8f10-7c2a-5b44-8e01-000000000007', 'needs', 'housing', 'Housing', 'Help with a safe home: homelessness, moving, tenancy and housing options.'],
  ['1d3b8f10-7c2a-5b44-8e01-000000000008', 'needs', 'mental-health', 'Mental health', 'Support for mental health and emotional wellbeing after abuse.'],
  ['1d3b8f10-7c2a-5b44-8e01-000000000009', 'needs', 'substance-use', 'Drugs and alcohol', 'Support with drugs and alcohol, alongside help with abuse.'],
  ['1d3b8f10-7c2a-5b44-8e01-00000000000a', 'needs', 'sexual-violence', 'Sexual violence', 'Support after rape, sexual assault or sexual abuse, whenever it happened.'],
  ['1d3b8f10-7c2a-5b44-8e01-000000000101', 'groups', 'children-young-people', 'Children and young people', 'Services for children and young people affected by domestic abuse.'],
  ['1d3b8f10-7c2a-5b44-8e01-000000000102', 'groups', 'men', 'Men', 'Services for men experiencing domestic abuse.'],
  ['1d3b8f10-7c2a-5b44-8e01-000000000103', 'groups', 'lgbt', 'LGBT+ people', 'Services for lesbian, gay, bisexual, trans and queer people experiencing abuse.'],
  ['1d3b8f10-7c2a-5b44-8e01-000000000104', 'groups', 'older-people', 'Older people', 'Services for older people experiencing abuse, including by family members or carers.'],
  ['1d3b8f10-7c2a-5b44-8e01-000000000105', 'groups', 'disabled', 'Disabled people', 'Services for disabled people experiencing abuse, including by carers.'],
  ['1d3b8f10-7c2a-5b44-8e01-000000000106', 'groups', 'deaf-bsl', 'Deaf people and BSL users', 'Services for Deaf people, with British Sign Language.'],
  ['1d3b8f10-7c2a-5b44-8e01-000000000107', 'groups', 'other-languages', 'Help in other languages', 'Help in languages other than English, without relying on family members to interpret.'],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('directory_organisations')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('email', 'text')
    .addColumn('website', 'text')
    .addColumn('partner_organisation_id', 'text', (col) => col.references('organisations.id'))
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('directory_organisations_partner').on('directory_organisations').column('partner_organisation_id').execute();

  await db.schema
    .createTable('directory_locations')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('organisation_id', 'text', (col) => col.notNull().references('directory_organisations.id'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('location_type', 'text', (col) => col.notNull())
    .addColumn('confidential', 'integer', (col) => col.notNull().defaultTo(0))
    // Public addresses in the clear; a confidential address only ever encrypted, with these columns left empty.
    .addColumn('address_1', 'text')
    .addColumn('address_2', 'text')
    .addColumn('city', 'text')
    .addColumn('postal_code', 'text')
    .addColumn('confidential_address_enc', 'text')
    .addColumn('area_code', 'text', (col) => col.references('areas.code'))
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('accessibility', 'text')
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('directory_locations_organisation').on('directory_locations').column('organisation_id').execute();

  await db.schema
    .createTable('directory_services')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('organisation_id', 'text', (col) => col.notNull().references('directory_organisations.id'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('offers', 'text', (col) => col.notNull())
    .addColumn('eligibility', 'text', (col) => col.notNull())
    .addColumn('minimum_age', 'integer')
    .addColumn('maximum_age', 'integer')
    .addColumn('referral_self', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('referral_professional', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('referral_details', 'text', (col) => col.notNull())
    .addColumn('languages', 'text', (col) => col.notNull())
    .addColumn('accessibility', 'text', (col) => col.notNull())
    .addColumn('opening_notes', 'text', (col) => col.notNull())
    .addColumn('url', 'text')
    .addColumn('email', 'text')
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('accepts_callbacks', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('publication', 'text', (col) => col.notNull())
    .addColumn('has_unpublished_changes', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('published_at', 'text')
    .addColumn('last_reviewed_at', 'text')
    .addColumn('review_flagged_at', 'text')
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('directory_services_organisation').on('directory_services').column('organisation_id').execute();
  await db.schema.createIndex('directory_services_review').on('directory_services').columns(['publication', 'last_reviewed_at']).execute();

  await db.schema
    .createTable('directory_phones')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('service_id', 'text', (col) => col.notNull().references('directory_services.id').onDelete('cascade'))
    .addColumn('number', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('directory_phones_service').on('directory_phones').column('service_id').execute();

  await db.schema
    .createTable('directory_contacts')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('service_id', 'text', (col) => col.notNull().references('directory_services.id').onDelete('cascade'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('position', 'integer', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('directory_contacts_service').on('directory_contacts').column('service_id').execute();

  await db.schema
    .createTable('directory_schedules')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('service_id', 'text', (col) => col.notNull().references('directory_services.id').onDelete('cascade'))
    .addColumn('byday', 'text', (col) => col.notNull())
    .addColumn('opens_at', 'text', (col) => col.notNull())
    .addColumn('closes_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('directory_schedules_service').on('directory_schedules').column('service_id').execute();

  await db.schema
    .createTable('directory_service_areas')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('service_id', 'text', (col) => col.notNull().references('directory_services.id').onDelete('cascade'))
    .addColumn('area_code', 'text', (col) => col.notNull().references('areas.code'))
    .addUniqueConstraint('directory_service_areas_unique', ['service_id', 'area_code'])
    .execute();

  await db.schema
    .createTable('directory_taxonomies')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('code', 'text', (col) => col.notNull().unique())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('directory_taxonomy_terms')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('taxonomy_id', 'text', (col) => col.notNull().references('directory_taxonomies.id'))
    .addColumn('code', 'text', (col) => col.notNull().unique())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('directory_service_terms')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('service_id', 'text', (col) => col.notNull().references('directory_services.id').onDelete('cascade'))
    .addColumn('term_id', 'text', (col) => col.notNull().references('directory_taxonomy_terms.id'))
    .addUniqueConstraint('directory_service_terms_unique', ['service_id', 'term_id'])
    .execute();

  await db.schema
    .createTable('directory_service_at_location')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('service_id', 'text', (col) => col.notNull().references('directory_services.id').onDelete('cascade'))
    .addColumn('location_id', 'text', (col) => col.notNull().references('directory_locations.id'))
    .addUniqueConstraint('directory_service_at_location_unique', ['service_id', 'location_id'])
    .execute();
  await db.schema.createIndex('directory_service_at_location_location').on('directory_service_at_location').column('location_id').execute();

  // What the public sees: the service as it was when last published, as one document. Locations and
  // organisations are joined live, so marking a location confidential takes effect at once.
  await db.schema
    .createTable('directory_published_services')
    .addColumn('service_id', 'text', (col) => col.primaryKey().references('directory_services.id').onDelete('cascade'))
    .addColumn('document', 'text', (col) => col.notNull())
    .addColumn('published_at', 'text', (col) => col.notNull())
    .execute();

  // Bumped on every change the public could see; each instance reloads its in-memory directory when it moves.
  await db.schema
    .createTable('directory_generation')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('generation', 'integer', (col) => col.notNull())
    .execute();
  await db.insertInto('directory_generation').values({ id: 1, generation: 1 }).execute();

  await db.schema
    .createTable('directory_history')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('record_type', 'text', (col) => col.notNull())
    .addColumn('record_id', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('at', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('changes', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('directory_history_record').on('directory_history').columns(['record_type', 'record_id', 'at']).execute();

  await db.schema
    .createTable('directory_postcode_points')
    .addColumn('postcode', 'text', (col) => col.primaryKey())
    .addColumn('latitude', 'double precision', (col) => col.notNull())
    .addColumn('longitude', 'double precision', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('directory_callback_requests')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('service_id', 'text', (col) => col.notNull().references('directory_services.id'))
    .addColumn('name_enc', 'text')
    .addColumn('phone_enc', 'text', (col) => col.notNull())
    .addColumn('safe_times_enc', 'text', (col) => col.notNull())
    .addColumn('leave_message', 'text', (col) => col.notNull())
    .addColumn('safe_word_enc', 'text')
    .addColumn('notes_enc', 'text')
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('handled_by', 'text')
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('directory_callback_requests_service').on('directory_callback_requests').columns(['service_id', 'status']).execute();

  for (const taxonomy of TAXONOMIES) await db.insertInto('directory_taxonomies').values(taxonomy).execute();
  let position = 0;
  for (const [id, taxonomyCode, code, name, description] of TERMS) {
    const taxonomy = TAXONOMIES.find((candidate) => candidate.code === taxonomyCode);
    position += 1;
    await db.insertInto('directory_taxonomy_terms').values({ id, taxonomy_id: taxonomy?.id, code, name, description, position }).execute();
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'directory_callback_requests',
    'directory_postcode_points',
    'directory_history',
    'directory_generation',
    'directory_published_services',
    'directory_service_at_location',
    'directory_service_terms',
    'directory_taxonomy_terms',
    'directory_taxonomies',
    'directory_service_areas',
    'directory_schedules',
    'directory_contacts',
    'directory_phones',
    'directory_services',
    'directory_locations',
    'directory_organisations',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
