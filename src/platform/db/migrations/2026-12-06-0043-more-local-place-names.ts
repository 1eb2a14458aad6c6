import type { Kysely } from 'kysely';
import { addTownNames } from './2026-12-05-0039-local-place-names.js';

// Frozen in time: this migration must never import application code.
// More names people search by, added to seed/areas.csv on 6 December 2026: the full names of the two Minsters, the
// old name of Folkestone & Hythe's district, and places in Medway and Thanet a finder probe typed and we did not know.
const ADDED: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['swale', ['Minster-on-Sea']],
  ['thanet', ['Minster-in-Thanet', 'Isle of Thanet']],
  ['medway', ['Walderslade', 'Hoo', 'Lordswood', 'Twydall']],
  ['folkestone-hythe', ['Shepway']],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations work on the database as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await addTownNames(db, ADDED);
}
