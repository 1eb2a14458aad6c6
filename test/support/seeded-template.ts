import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import { createDatabase, databaseUrl, withAdmin } from './postgres-databases.js';

/**
 * Seeding through the services (encryption, history, the audit chain) is most of a test file's setup: about half a
 * second on SQLite and a second and a half on PostgreSQL, for every file. A test that takes the default data gets a
 * copy instead: of a data folder (its keys, and the SQLite file) and, on PostgreSQL, of a database made with the
 * same code less than ten minutes ago. Each test still has its own copy to change as it likes.
 */
export type SeedKind = 'demo' | 'reference';

/** Makes a seeded platform in the data folder given, on the PostgreSQL database given if any, and closes it. */
export type SeedBuilder = (dataDir: string, databaseUrl: string | undefined) => Promise<void>;

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUCKET_MS = 10 * 60_000;
const KEPT_BUCKETS = 6;
const PREFIX = 'dapp_tpl_';

/** Fills dataDir from the template (made first if need be); on PostgreSQL, returns the URL of the new database. */
export async function copyOfSeeded(kind: SeedKind, dataDir: string, postgresUrl: string | undefined, build: SeedBuilder): Promise<string | undefined> {
  const bucket = Math.floor(Date.now() / BUCKET_MS);
  const name = `${PREFIX}${fingerprint()}_${String(bucket)}_${kind}`;
  const folder = path.join(os.tmpdir(), `${name}_${postgresUrl ? serverOf(postgresUrl) : 'sqlite'}`);
  if (postgresUrl) await buildOnPostgres(postgresUrl, name, folder, bucket, build);
  else if (!fs.existsSync(folder)) await buildOnSqlite(folder, build);
  for (const file of fs.readdirSync(folder)) fs.copyFileSync(path.join(folder, file), path.join(dataDir, file));
  if (!postgresUrl) return undefined;
  return createDatabase(postgresUrl, name);
}

/** Two test processes may build at once; the folder appears whole, by one rename, or not at all. */
async function buildOnSqlite(folder: string, build: SeedBuilder): Promise<void> {
  const building = fs.mkdtempSync(path.join(os.tmpdir(), 'dapp-template-'));
  try {
    await build(building, undefined);
    keepOnlySeededFiles(building);
    fs.renameSync(building, folder);
  } catch (error) {
    if (!fs.existsSync(folder)) throw error;
  } finally {
    fs.rmSync(building, { recursive: true, force: true });
  }
  removeOldFolders(folder);
}

/**
 * The folder holds the keys the database was encrypted under, so one process builds both, under a lock, and both
 * must be there (a server started afresh has neither database nor, perhaps, a reason to delete the folder).
 */
async function buildOnPostgres(postgresUrl: string, name: string, folder: string, bucket: number, build: SeedBuilder): Promise<void> {
  await withAdmin(postgresUrl, async (admin) => {
    await admin.query('select pg_advisory_lock(hashtext($1))', [name]);
    try {
      const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
      if (rowCount === 1 && fs.existsSync(folder)) return;
      fs.rmSync(folder, { recursive: true, force: true });
      const building = fs.mkdtempSync(path.join(os.tmpdir(), 'dapp-template-'));
      try {
        await admin.query(`drop database if exists ${name} with (force)`);
        await admin.query(`create database ${name}`);
        await build(building, databaseUrl(postgresUrl, name));
        keepOnlySeededFiles(building);
        fs.renameSync(building, folder);
      } finally {
        fs.rmSync(building, { recursive: true, force: true });
      }
      await dropOldTemplates(admin, bucket);
      removeOldFolders(folder);
    } finally {
      await admin.query('select pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
}

/** Which server a template's folder belongs to: a database of that name on another server is another template. */
function serverOf(postgresUrl: string): string {
  const { hostname, port } = new URL(postgresUrl);
  return createHash('sha256').update(`${hostname}:${port}`).digest('hex').slice(0, 8);
}

/** The keys and the database: not the record of servers running, which belongs to the builder's process. */
function keepOnlySeededFiles(folder: string): void {
  fs.rmSync(path.join(folder, 'running'), { recursive: true, force: true });
}

async function dropOldTemplates(admin: pg.Client, bucket: number): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like '${PREFIX}%'`);
  for (const { datname } of rows) {
    if (Number(datname.split('_')[3]) < bucket - KEPT_BUCKETS) await admin.query(`drop database if exists ${datname} with (force)`);
  }
}

function removeOldFolders(current: string): void {
  const oldest = Date.now() - KEPT_BUCKETS * BUCKET_MS;
  for (const entry of fs.readdirSync(os.tmpdir())) {
    const folder = path.join(os.tmpdir(), entry);
    if (!entry.startsWith(PREFIX) || folder === current) continue;
    // Another test process may be removing the same folder at this moment.
    const made = fs.statSync(folder, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
    if (made < oldest) fs.rmSync(folder, { recursive: true, force: true });
  }
}

let cachedFingerprint: string | undefined;

/** What the seeded data is made from: the code, the seed files, this test support and the locked dependencies. */
function fingerprint(): string {
  if (cachedFingerprint) return cachedFingerprint;
  const hash = createHash('sha256');
  const sources = ['src', 'seed', 'test/support'].flatMap((folder) => fs.readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' }).map((file) => path.join(folder, file)));
  for (const file of [...sources.sort(), 'package-lock.json']) {
    const full = path.join(ROOT, file);
    if (file.endsWith('.test.ts') || !fs.statSync(full).isFile()) continue;
    hash.update(file).update(fs.readFileSync(full));
  }
  cachedFingerprint = hash.digest('hex').slice(0, 12);
  return cachedFingerprint;
}
