import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLATFORM_ENCRYPTED_COLUMNS } from '../../src/platform/crypto/encrypted-columns.js';
import { DEMO_PERSONAS } from '../../src/platform/seed/demo-users.js';
import { MODULES } from '../../src/modules/index.js';
import { createTestPlatform, DIALECT, type TestPlatform } from '../support/platform.js';
import { signIn } from '../support/visitor.js';

/** Distinctive, obviously synthetic people, so a hit in the raw bytes cannot be a coincidence. */
const SYNTHETIC_PEOPLE = [
  { name: 'Perpetua Quillfeather-Zanzibar', email: 'perpetua.zanzibar@example.invalid', phone: '07700 900123' },
  { name: 'Barnaby Thistlewood-Ormsby', email: 'barnaby.ormsby@example.invalid', phone: '+44 7700 900987' },
];

/** A value shorter than this could occur in the file by chance (or as reference data), so it is not searched. */
const SHORTEST_SEARCHED = 8;

/**
 * Opens the SQLite database file and its write-ahead log as bytes, as someone with a copy of the disk would, and
 * looks for every identifying value the platform holds: the people seeded here, the demo personas, and every
 * value of every column a module declares encrypted (so records added by later modules are searched too).
 */
describe.skipIf(DIALECT === 'postgres')('identifying data at rest in the SQLite file (skipped on PostgreSQL: the server owns its files)', () => {
  let platform: TestPlatform;
  let haystack = '';
  const searched = new Map<string, string>();

  beforeAll(async () => {
    platform = await createTestPlatform();
    const { services } = platform;
    const organisation = await services.reference.getOrganisationBySlug('kent-county-council');
    if (!organisation) throw new Error('reference data missing');
    const admin = await services.users.findByEmail('admin@demo.invalid');
    if (!admin) throw new Error('demo admin missing');
    const [first, second] = SYNTHETIC_PEOPLE;
    if (!first || !second) throw new Error('synthetic people missing');
    await services.users.createActive({ organisationId: organisation.id, roles: ['practitioner'], ...first }, 'a-long-synthetic-password');
    const actor = { userId: admin.id, organisationId: admin.organisationId, roles: admin.roles };
    await services.users.invite(actor, { organisationId: organisation.id, roles: ['auditor'], ...second }, { ip: '127.0.0.1', requestId: 'raw-database-test' });
    await signIn(platform, 'admin@demo.invalid');

    for (const person of SYNTHETIC_PEOPLE) {
      searched.set(person.name, 'seeded name');
      searched.set(person.email, 'seeded email');
      searched.set(person.phone, 'seeded phone');
      searched.set(person.phone.replace(/\D/g, ''), 'seeded phone, digits only');
    }
    for (const persona of DEMO_PERSONAS) {
      searched.set(persona.name, 'demo persona name');
      searched.set(persona.email, 'demo persona email');
    }
    for (const [value, where] of await decryptedValues(platform)) if (!searched.has(value)) searched.set(value, where);

    const file = platform.sqliteFile ?? '';
    const bytes = [file, `${file}-wal`].filter((candidate) => fs.existsSync(candidate)).map((candidate) => fs.readFileSync(candidate));
    haystack = Buffer.concat(bytes).toString('latin1').toLowerCase();
  });
  afterAll(() => platform.close());

  it('keeps the file and its write-ahead log readable by the service’s own user only', () => {
    const file = platform.sqliteFile ?? '';
    expect(fs.existsSync(file) && fs.existsSync(`${file}-wal`)).toBe(true);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    for (const candidate of [file, `${file}-wal`, `${file}-shm`].filter((name) => fs.existsSync(name))) expect(fs.statSync(candidate).mode & 0o777).toBe(0o600);
  });

  it('reads a real database file in which plain reference data is visible', () => {
    expect(haystack.length).toBeGreaterThan(50_000);
    expect(haystack).toContain('kent-county-council');
    expect(searched.size).toBeGreaterThan(SYNTHETIC_PEOPLE.length * 4 + DEMO_PERSONAS.length * 2);
  });

  it('holds no seeded name, email, phone number or address in plain text, in the file or its write-ahead log', () => {
    const found = [...searched]
      .filter(([value]) => value.length >= SHORTEST_SEARCHED)
      .filter(([value]) => haystack.includes(Buffer.from(value.toLowerCase(), 'utf8').toString('latin1')))
      .map(([value, where]) => `${where}: "${value}"`);
    expect(found).toEqual([]);
  });
});

/** Every stored value of every declared encrypted column, decrypted, labelled with where it lives. */
async function decryptedValues(platform: TestPlatform): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  const declared = [...PLATFORM_ENCRYPTED_COLUMNS, ...MODULES.flatMap((module) => module.encryptedColumns ?? [])];
  for (const { table, columns } of declared) {
    for (const column of columns) {
      const result = await sql<{ value: string | null }>`select ${sql.ref(column)} as value from ${sql.table(table)}`.execute(platform.services.db.kysely);
      for (const { value } of result.rows) {
        if (!value) continue;
        const plain = platform.services.crypto.decrypt(value);
        // Long texts are searched line by line: a note is found even if only one line leaked.
        for (const part of plain.split(/\n+/).map((line) => line.trim()).filter(Boolean)) values.set(part, `${table}.${column}`);
      }
    }
  }
  return values;
}
