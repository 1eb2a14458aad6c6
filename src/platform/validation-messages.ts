import { z } from 'zod';
import type { $ZodRawIssue } from 'zod/v4/core';

type Issue = $ZodRawIssue;

const KINDS: Readonly<Record<string, string>> = { string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', object: 'an object', array: 'a list', date: 'a date' };

/** For every other check without words of its own (a refinement, a union, a multiple of). */
const NOT_ACCEPTED = 'Check this answer: it is not one that is accepted';

/** The message for a value left out altogether, by which isMissing knows it. */
const REQUIRED = 'This is required';

/** A value left out altogether (not one given wrongly), where the schema said nothing of its own about it. */
export function isMissing(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'invalid_type' && issue.message === REQUIRED;
}

/**
 * Plain words for a check whose schema gives no message of its own. Zod's defaults ("Too big: expected string to
 * have <=254 characters") are written for developers, and reach people through the error summary and the API's
 * problem documents. A schema's own message, naming the field, always comes first.
 */
export function plainMessage(issue: Issue): string | undefined {
  switch (issue.code) {
    case 'too_big':
      if (issue.origin === 'string') return `Enter ${String(issue.maximum)} characters or fewer`;
      if (issue.origin === 'array' || issue.origin === 'set') return `Give ${String(issue.maximum)} or fewer`;
      return issue.inclusive === false ? `Enter a number less than ${String(issue.maximum)}` : `Enter a number no more than ${String(issue.maximum)}`;
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? 'Enter a value' : `Enter at least ${String(issue.minimum)} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `Give at least ${String(issue.minimum)}`;
      return issue.inclusive === false ? `Enter a number more than ${String(issue.minimum)}` : `Enter a number no less than ${String(issue.minimum)}`;
    case 'invalid_type':
      return issue.input === undefined ? REQUIRED : `This must be ${KINDS[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length <= 10 ? `Use one of: ${issue.values.map(String).join(', ')}` : 'Use one of the values this field allows';
    case 'invalid_format':
      return issue.format === 'email' ? 'Enter an email address in the correct format, like name@example.org' : 'Enter this in the correct format';
    case 'unrecognized_keys':
      return `Remove ${issue.keys.join(', ')}: ${issue.keys.length === 1 ? 'it is' : 'they are'} not part of this`;
    default:
      return NOT_ACCEPTED;
  }
}

/** Once per process, before any schema is checked (buildApp does it). */
export function usePlainValidationMessages(): void {
  z.config({ customError: plainMessage });
}

/**
 * For a rule across fields: it runs even when other fields of the form failed, as long as the ones it reads did not
 * (Zod skips it otherwise), so the error summary lists every problem the first time, not in rounds.
 */
export function whenFieldsValid(...fields: readonly string[]): z.core.$ZodSuperRefineParams {
  return { when: (payload) => typeof payload.value === 'object' && payload.value !== null && !payload.issues.some((issue) => fields.includes(String(issue.path?.[0]))) };
}
