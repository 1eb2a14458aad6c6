import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';

const SEED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../seed');

const areaRow = z.object({
  code: z.string().min(1),
  name: z.string().min(1),
  authority: z.string().min(1),
  population_2021: z.coerce.number().int().nonnegative(),
  towns: z.string(),
});
const postcodeRow = z.object({ outward: z.string().min(2), areas: z.string().min(1) });
const organisationRow = z.object({ slug: z.string().min(1), name: z.string().min(1), kind: z.string().min(1), area: z.string() });

export type AreaSeed = z.infer<typeof areaRow>;
export type PostcodeSeed = z.infer<typeof postcodeRow>;
export type OrganisationSeed = z.infer<typeof organisationRow>;

/** Reads one of the partnership's reference files in seed/, which another partnership could replace. */
function readSeed<T>(file: string, schema: z.ZodType<T>): T[] {
  const rows: unknown[] = parse(fs.readFileSync(path.join(SEED_DIR, file), 'utf8'), { columns: true, skip_empty_lines: true, trim: true });
  return rows.map((row, index) => {
    const parsed = schema.safeParse(row);
    if (!parsed.success) throw new Error(`seed/${file} row ${String(index + 2)}: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
    return parsed.data;
  });
}

export const readAreas = () => readSeed('areas.csv', areaRow);
export const readPostcodeDistricts = () => readSeed('postcode-districts.csv', postcodeRow);
export const readOrganisations = () => readSeed('organisations.csv', organisationRow);
