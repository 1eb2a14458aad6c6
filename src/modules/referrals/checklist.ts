import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const CHECKLIST_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../seed/dash-checklist.json');

const checklistSchema = z.strictObject({
  $comment: z.string().optional(),
  instrument: z.string().min(1),
  version: z.string().min(1),
  name: z.string().min(1),
  pages: z.array(z.strictObject({ slug: z.string().regex(/^[a-z0-9-]+$/), title: z.string().min(1), questions: z.array(z.string()).min(1) })).min(1),
  questions: z.array(z.strictObject({ key: z.string().regex(/^q\d+$/), topic: z.string().min(1), text: z.string().min(1), hint: z.string().optional() })).length(24),
});

export type Checklist = z.infer<typeof checklistSchema>;
export type ChecklistQuestion = Checklist['questions'][number];

/** The DASH questions in the partnership's own words (seed/dash-checklist.json), read once. */
export const CHECKLIST: Checklist = (() => {
  const checklist = checklistSchema.parse(JSON.parse(fs.readFileSync(CHECKLIST_FILE, 'utf8')));
  const keys = checklist.questions.map((question) => question.key);
  const onPages = checklist.pages.flatMap((page) => page.questions);
  if (new Set(keys).size !== 24 || onPages.length !== 24 || onPages.some((key) => !keys.includes(key))) {
    throw new Error('seed/dash-checklist.json: every question q1..q24 must appear once, and on exactly one page.');
  }
  return checklist;
})();

export const DASH_KEYS: readonly string[] = CHECKLIST.questions.map((question) => question.key);

export function questionOf(key: string): ChecklistQuestion | undefined {
  return CHECKLIST.questions.find((question) => question.key === key);
}
