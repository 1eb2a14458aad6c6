import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const HOLIDAYS_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../seed/bank-holidays-england.json');

const holidaysFileSchema = z.strictObject({
  $comment: z.string().optional(),
  division: z.string().min(1),
  holidays: z.array(z.strictObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), title: z.string().min(1) })).min(1),
});

/** Reads a bank-holiday file (seed/bank-holidays-england.json by default) into a set of YYYY-MM-DD days. */
export function readBankHolidays(file: string = HOLIDAYS_FILE): ReadonlySet<string> {
  const parsed = holidaysFileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${path.basename(file)} is not a valid bank holidays file: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  return new Set(parsed.data.holidays.map((holiday) => holiday.date));
}

/** England's bank holidays, read once: first-contact targets count working days around them. */
export const ENGLAND_BANK_HOLIDAYS: ReadonlySet<string> = readBankHolidays();
