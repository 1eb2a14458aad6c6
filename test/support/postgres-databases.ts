import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Runs work on a connection to the server's own database, for creating and dropping others. */
export async function withAdmin<T>(serverUrl: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** A new database for one test (empty, or a copy of a template); its URL. */
export async function createDatabase(serverUrl: string, template?: string): Promise<string> {
  const name = `dapp_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(serverUrl, (admin) => admin.query(`create database ${name}${template ? ` template ${template}` : ''}`));
  return databaseUrl(serverUrl, name);
}

export async function dropDatabase(serverUrl: string, url: string): Promise<void> {
  await withAdmin(serverUrl, (admin) => admin.query(`drop database if exists ${new URL(url).pathname.slice(1)} with (force)`));
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
