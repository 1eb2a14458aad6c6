import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('routing_rule_sets')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('marac_area', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('rules', 'text', (col) => col.notNull())
    .addColumn('change_note', 'text', (col) => col.notNull())
    .addColumn('created_by_user_id', 'text', (col) => col.references('users.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('activated_at', 'text')
    .addColumn('activated_by_user_id', 'text', (col) => col.references('users.id'))
    .addColumn('retired_at', 'text')
    .addUniqueConstraint('routing_rule_sets_area_version', ['marac_area', 'version'])
    .execute();
  await db.schema.createIndex('routing_rule_sets_status').on('routing_rule_sets').columns(['marac_area', 'status']).execute();

  await db.schema
    .createTable('referrals')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('reference', 'text', (col) => col.notNull().unique())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('referrer_user_id', 'text', (col) => col.references('users.id'))
    .addColumn('referrer_organisation_id', 'text', (col) => col.notNull().references('organisations.id'))
    .addColumn('api_key_id', 'text')
    .addColumn('referrer_name_enc', 'text')
    .addColumn('referrer_phone_enc', 'text')
    .addColumn('referrer_email_enc', 'text')
    .addColumn('district', 'text', (col) => col.notNull())
    .addColumn('marac_area', 'text', (col) => col.notNull())
    .addColumn('rule_set_id', 'text', (col) => col.notNull().references('routing_rule_sets.id'))
    .addColumn('rule_set_version', 'integer', (col) => col.notNull())
    .addColumn('safe_to_contact', 'text', (col) => col.notNull())
    .addColumn('safe_phone_enc', 'text')
    .addColumn('safe_email_enc', 'text')
    .addColumn('safe_times_enc', 'text')
    .addColumn('may_leave_message', 'text', (col) => col.notNull())
    .addColumn('contact_notes_enc', 'text')
    .addColumn('interpreter_language', 'text')
    .addColumn('children_in_household', 'text', (col) => col.notNull())
    .addColumn('other_dependants', 'text', (col) => col.notNull())
    .addColumn('needs', 'text', (col) => col.notNull())
    .addColumn('professional_judgement', 'integer', (col) => col.notNull())
    .addColumn('professional_judgement_reasons_enc', 'text')
    .addColumn('incident_dates', 'text', (col) => col.notNull())
    .addColumn('consent', 'text', (col) => col.notNull())
    .addColumn('lawful_basis', 'text')
    .addColumn('consent_notes_enc', 'text')
    .addColumn('equality_gender', 'text')
    .addColumn('equality_age_band', 'text')
    .addColumn('equality_ethnicity', 'text')
    .addColumn('equality_sexual_orientation', 'text')
    .addColumn('equality_disability', 'text')
    .addColumn('equality_religion', 'text')
    .addColumn('score', 'integer', (col) => col.notNull())
    .addColumn('risk_level', 'text', (col) => col.notNull())
    .addColumn('marac', 'integer', (col) => col.notNull())
    .addColumn('recent_referral_id', 'text')
    .addColumn('repeat_of_referral_id', 'text')
    .addColumn('submitted_at', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('referrals_referrer').on('referrals').columns(['referrer_user_id', 'submitted_at']).execute();
  await db.schema.createIndex('referrals_organisation').on('referrals').columns(['referrer_organisation_id', 'submitted_at']).execute();
  await db.schema.createIndex('referrals_submitted').on('referrals').column('submitted_at').execute();
  await db.schema.createIndex('referrals_district').on('referrals').columns(['district', 'submitted_at']).execute();

  await db.schema
    .createTable('referral_people')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('referral_id', 'text', (col) => col.notNull().references('referrals.id').onDelete('cascade'))
    .addColumn('role', 'text', (col) => col.notNull())
    .addColumn('first_name_enc', 'text', (col) => col.notNull())
    .addColumn('last_name_enc', 'text')
    .addColumn('other_names_enc', 'text')
    .addColumn('date_of_birth_enc', 'text')
    .addColumn('address_enc', 'text')
    .addColumn('postcode_enc', 'text')
    .addColumn('phone_enc', 'text')
    .addColumn('email_enc', 'text')
    .addColumn('relationship', 'text')
    .addColumn('gender', 'text')
    .addColumn('notes_enc', 'text')
    .addColumn('name_index', 'text')
    .addColumn('name_phonetic_index', 'text')
    .addColumn('dob_index', 'text')
    .addColumn('phone_index', 'text')
    .addColumn('postcode_index', 'text')
    .addColumn('submitted_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('referral_people_referral').on('referral_people').column('referral_id').execute();
  for (const column of ['name_index', 'name_phonetic_index', 'dob_index', 'phone_index', 'postcode_index']) {
    await db.schema.createIndex(`referral_people_${column}`).on('referral_people').columns(['role', column, 'submitted_at']).execute();
  }

  await db.schema
    .createTable('referral_dependants')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('referral_id', 'text', (col) => col.notNull().references('referrals.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('name_enc', 'text', (col) => col.notNull())
    .addColumn('date_of_birth_enc', 'text')
    .addColumn('relationship_enc', 'text')
    .addColumn('setting_enc', 'text')
    .addColumn('notes_enc', 'text')
    .addColumn('lives_in_household', 'integer', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('referral_dependants_referral').on('referral_dependants').column('referral_id').execute();

  await db.schema
    .createTable('dash_assessments')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('referral_id', 'text', (col) => col.notNull().references('referrals.id').onDelete('cascade'))
    .addColumn('instrument', 'text', (col) => col.notNull())
    .addColumn('instrument_version', 'text', (col) => col.notNull())
    .addColumn('assessed_on', 'text', (col) => col.notNull())
    .addColumn('yes_count', 'integer', (col) => col.notNull())
    .addColumn('completed_by_user_id', 'text', (col) => col.references('users.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('dash_assessments_referral').on('dash_assessments').columns(['referral_id', 'created_at']).execute();

  await db.schema
    .createTable('dash_answers')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('assessment_id', 'text', (col) => col.notNull().references('dash_assessments.id').onDelete('cascade'))
    .addColumn('question', 'text', (col) => col.notNull())
    .addColumn('answer', 'text', (col) => col.notNull())
    .addColumn('note_enc', 'text')
    .addColumn('source_enc', 'text')
    .addUniqueConstraint('dash_answers_question', ['assessment_id', 'question'])
    .execute();

  await db.schema
    .createTable('referral_criteria')
    .addColumn('referral_id', 'text', (col) => col.notNull().references('referrals.id').onDelete('cascade'))
    .addColumn('criterion', 'text', (col) => col.notNull())
    .addColumn('explanation', 'text', (col) => col.notNull())
    .addColumn('details', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('referral_criteria_pk', ['referral_id', 'criterion'])
    .execute();
  await db.schema.createIndex('referral_criteria_criterion').on('referral_criteria').column('criterion').execute();

  await db.schema
    .createTable('referral_routes')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('referral_id', 'text', (col) => col.notNull().references('referrals.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (col) => col.notNull().references('organisations.id'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('rules_fired', 'text', (col) => col.notNull())
    .addColumn('rule_set_id', 'text', (col) => col.notNull().references('routing_rule_sets.id'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('first_contact_due_at', 'text')
    .addColumn('first_contact_at', 'text')
    .addColumn('first_contact_by_user_id', 'text', (col) => col.references('users.id'))
    .addColumn('accepted_at', 'text')
    .addColumn('accepted_by_user_id', 'text', (col) => col.references('users.id'))
    .addColumn('declined_at', 'text')
    .addColumn('declined_by_user_id', 'text', (col) => col.references('users.id'))
    .addColumn('decline_reason_enc', 'text')
    .addColumn('rerouted_from_route_id', 'text')
    .addColumn('outcome', 'text')
    .addColumn('outcome_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('last_chased_at', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('referral_routes_referral').on('referral_routes').column('referral_id').execute();
  await db.schema.createIndex('referral_routes_inbox').on('referral_routes').columns(['organisation_id', 'status', 'created_at']).execute();
  await db.schema.createIndex('referral_routes_due').on('referral_routes').columns(['status', 'first_contact_due_at']).execute();

  await db.schema
    .createTable('referral_events')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('referral_id', 'text', (col) => col.notNull().references('referrals.id').onDelete('cascade'))
    .addColumn('route_id', 'text')
    .addColumn('at', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('actor_user_id', 'text')
    .addColumn('actor_organisation_id', 'text')
    .addColumn('details', 'text', (col) => col.notNull())
    .addColumn('note_enc', 'text')
    .execute();
  await db.schema.createIndex('referral_events_referral').on('referral_events').columns(['referral_id', 'at']).execute();

  await db.schema
    .createTable('referral_drafts')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull().references('users.id').onDelete('cascade'))
    .addColumn('organisation_id', 'text', (col) => col.notNull().references('organisations.id'))
    .addColumn('answers_enc', 'text', (col) => col.notNull())
    .addColumn('last_page', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('referral_drafts_user').on('referral_drafts').columns(['user_id', 'updated_at']).execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('organisation_id', 'text', (col) => col.notNull().references('organisations.id'))
    .addColumn('label', 'text', (col) => col.notNull())
    .addColumn('prefix', 'text', (col) => col.notNull())
    .addColumn('key_hash', 'text', (col) => col.notNull().unique())
    .addColumn('created_by_user_id', 'text', (col) => col.references('users.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by_user_id', 'text', (col) => col.references('users.id'))
    .execute();
  await db.schema.createIndex('api_keys_organisation').on('api_keys').column('organisation_id').execute();

  await db.schema
    .createTable('idempotency_keys')
    .addColumn('organisation_id', 'text', (col) => col.notNull().references('organisations.id'))
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('body_hash', 'text', (col) => col.notNull())
    .addColumn('status_code', 'integer', (col) => col.notNull())
    .addColumn('response', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['organisation_id', 'key'])
    .execute();
  await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').column('created_at').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'idempotency_keys',
    'api_keys',
    'referral_drafts',
    'referral_events',
    'referral_routes',
    'referral_criteria',
    'dash_answers',
    'dash_assessments',
    'referral_dependants',
    'referral_people',
    'referrals',
    'routing_rule_sets',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
