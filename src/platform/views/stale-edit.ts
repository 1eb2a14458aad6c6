import type { FormErrors } from './form-errors.js';

/** An error about the whole form (not one answer), for the summary only; the link moves focus to the first field. */
export function formLevelError(text: string, firstField: string): FormErrors {
  return { summary: [{ text, href: `#${firstField}` }], byField: {} };
}

export const STALE_MESSAGE = (thing: string) =>
  `Someone else changed this ${thing} while you were editing it, so your changes were not saved. The form now shows the latest details: make your changes again.`;

export interface UnsavedChange {
  readonly label: string;
  readonly value: string;
}

export interface StaleEdit {
  readonly errors: FormErrors;
  /** What the editor typed that differs from the latest details, so long text is not lost: shown beside the form. */
  readonly unsaved: readonly UnsavedChange[];
}

const textOf = (value: unknown): string => (Array.isArray(value) ? value.map(textOf).join(', ') : typeof value === 'string' ? value.trim() : '');

/**
 * Someone saved first. The form is shown again with the latest details (saving it again cannot undo their change
 * unseen), and each labelled answer the editor changed (it differs from `opened`, the details as their form showed
 * them) and that differs from the latest is listed to copy back. An answer they left alone is not listed: copied
 * back, it would undo the other person's change.
 */
export function staleEdit(
  thing: string,
  firstField: string,
  typed: Readonly<Record<string, unknown>>,
  latest: Readonly<Record<string, unknown>>,
  labels: Readonly<Record<string, string>>,
  opened: Readonly<Record<string, unknown>> = latest,
): StaleEdit {
  const unsaved = Object.entries(labels)
    .map(([field, label]) => ({ label, value: textOf(typed[field]), latest: textOf(latest[field]), opened: textOf(opened[field]) }))
    .filter((change) => change.value !== '' && change.value !== change.latest && change.value !== change.opened)
    .map(({ label, value }) => ({ label, value }));
  const keptNote = unsaved.length > 0 ? ' What you typed is under “Your changes that were not saved”.' : '';
  return { errors: formLevelError(STALE_MESSAGE(thing) + keptNote, firstField), unsaved };
}
