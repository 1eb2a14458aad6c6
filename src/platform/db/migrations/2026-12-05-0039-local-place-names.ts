import type { Kysely } from 'kysely';

// Frozen in time: this migration must never import application code.
// Local names people search by, added to seed/areas.csv on 5 December 2026. A database seeded before keeps its areas
// (the seed never overwrites an edited row), so the names are added here where an area lacks them. A new database
// has no areas yet when this runs, and gets them from the seed.
const ADDED: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['dartford', ['Longfield', 'Ebbsfleet']],
  ['folkestone-hythe', ["St Mary's Bay"]],
  ['gravesham', ['Ebbsfleet']],
  ['swale', ['Isle of Sheppey', 'Sheppey', 'Leysdown']],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await addTownNames(db, ADDED);
}

/** Adds each name to its area's towns where the area exists and lacks it (later migrations add more the same way). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function addTownNames(db: Kysely<any>, added: ReadonlyArray<readonly [string, readonly string[]]>): Promise<void> {
  for (const [code, names] of added) {
    const row: { towns: string; version: number } | undefined = await db.selectFrom('areas').select(['towns', 'version']).where('code', '=', code).executeTakeFirst();
    if (!row) continue;
    const towns = row.towns.split(';').filter((town) => town.trim() !== '');
    const known = new Set(towns.map((town) => town.trim().toLowerCase()));
    const missing = names.filter((name) => !known.has(name.toLowerCase()));
    if (missing.length === 0) continue;
    await db
      .updateTable('areas')
      .set({ towns: [...towns, ...missing].join(';'), version: row.version + 1, updated_at: new Date().toISOString() })
      .where('code', '=', code)
      .execute();
  }
}
