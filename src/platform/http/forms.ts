import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { fieldOrderOf, formErrorsFrom, type FormErrors } from '../views/form-errors.js';

export type FormResult<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly errors: FormErrors; readonly values: Record<string, unknown> };

/** Validates a posted form; on failure gives the GOV.UK error data and what was typed, to show again. */
export function parseForm<S extends z.ZodType>(schema: S, request: FastifyRequest): FormResult<z.infer<S>> {
  const parsed = schema.safeParse(isRecord(request.body) ? request.body : {});
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, errors: formErrorsFrom(parsed.error, fieldOrderOf(schema)), values: typedValues(request) };
}

/** What was typed into a form, to show it again: never the form's token, a password or a code. */
export function typedValues(request: FastifyRequest): Record<string, unknown> {
  const { _csrf: _token, _timedOut: _marker, ...typed } = isRecord(request.body) ? request.body : {};
  return withoutSecrets(typed);
}

/** Room for every box of the longest form, each as long as the longest box takes, many times over: more is not typing. */
const KEPT_LIMITS = { fields: 200, nameLength: 100, textLength: 20_000, listItems: 100 } as const;

/**
 * What was typed, as kept for later without being checked (a page saved unfinished, a form kept across a timed-out
 * session): text and lists of text, each cut to a generous length; fields past the limit, a name longer than any
 * form's, or anything but text are not kept.
 */
export function keptValues(typed: Record<string, unknown>): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  let fields = 0;
  for (const [name, value] of Object.entries(typed)) {
    if (fields >= KEPT_LIMITS.fields) break;
    if (name.length > KEPT_LIMITS.nameLength) continue;
    if (typeof value === 'string') kept[name] = value.slice(0, KEPT_LIMITS.textLength);
    else if (Array.isArray(value)) kept[name] = value.filter((item): item is string => typeof item === 'string').slice(0, KEPT_LIMITS.listItems).map((item) => item.slice(0, KEPT_LIMITS.textLength));
    else continue;
    fields += 1;
  }
  return kept;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Passwords and codes are never sent back to the browser. */
const SECRET_FIELD = /password$|secret$|^code$|^sealed$/i;

function withoutSecrets(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !SECRET_FIELD.test(key)));
}

export function originOfRequest(request: FastifyRequest): { ip: string; requestId: string } {
  return { ip: request.ip, requestId: request.id };
}
