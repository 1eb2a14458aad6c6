import type { z } from 'zod';
import { isMissing } from '../validation-messages.js';

export interface ErrorSummaryItem {
  readonly text: string;
  readonly href: string;
}

export interface FormErrors {
  readonly summary: ErrorSummaryItem[];
  /** Each field's inline message; `visuallyHiddenText` is GOV.UK's hidden "Error" prefix, given in another language. */
  readonly byField: Record<string, { text: string; visuallyHiddenText?: string }>;
}

/**
 * Turns Zod issues into the GOV.UK error summary list and the inline message for each field; given the form's
 * field order, the summary follows it (checks across fields otherwise come last, wherever their field is).
 */
export function formErrorsFrom(error: z.ZodError, fieldOrder?: readonly string[]): FormErrors {
  const byField: Record<string, { text: string }> = {};
  const summary: ErrorSummaryItem[] = [];
  for (const issue of error.issues) {
    const field = fieldOf(issue.path);
    if (byField[field]) continue;
    const text = formWording(issue);
    byField[field] = { text };
    summary.push({ text, href: `#${field}` });
  }
  if (fieldOrder) {
    const position = (item: ErrorSummaryItem) => {
      const index = fieldOrder.indexOf(item.href.slice(1).split('-')[0] ?? '');
      return index === -1 ? fieldOrder.length : index;
    };
    summary.sort((a, b) => position(a) - position(b));
  }
  return { summary, byField };
}

/**
 * The field an issue is about, as the page names it: `children-1-name` for a row's box. A problem with one item of a
 * list of values (a town line, a ticked box) belongs to the list's own field: GOV.UK gives the first box the field's
 * id, and no line or box has an id of its position, so a position at the end of the path is dropped.
 */
function fieldOf(path: readonly PropertyKey[]): string {
  const parts = [...path];
  while (typeof parts.at(-1) === 'number') parts.pop();
  return parts.map(String).join('-') || 'form';
}

/**
 * Every field's own message says what to do ("Enter your email address"). A field left out of the form altogether
 * (only an altered form does that) is asked for as a question; other checks are in plain words already (see
 * platform/validation-messages.ts).
 */
function formWording(issue: z.core.$ZodIssue): string {
  return isMissing(issue) ? 'Answer this question' : issue.message;
}

/** The fields in the order the schema lists them (the order of the form), so the error summary follows the page. */
export function fieldOrderOf(schema: z.ZodType): readonly string[] | undefined {
  const shape = (schema as { shape?: unknown }).shape;
  if (typeof shape === 'object' && shape !== null) return Object.keys(shape);
  // A form read through a preprocess or a transform: the object is one end of the pipe.
  const def = (schema as { def?: { type?: string; in?: z.ZodType; out?: z.ZodType } }).def;
  if (def?.type !== 'pipe' || !def.in || !def.out) return undefined;
  return fieldOrderOf(def.out) ?? fieldOrderOf(def.in);
}

/** One error for a whole form (a wrong password, say) that belongs to a particular field. */
export function singleError(field: string, text: string): FormErrors {
  return { summary: [{ text, href: `#${field}` }], byField: { [field]: { text } } };
}
