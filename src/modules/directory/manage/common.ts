import type { FastifyReply, FastifyRequest } from 'fastify';
import { StaleVersionError } from '../../../platform/db/versioning.js';
import type { Actor } from '../../../platform/access/policy.js';
import { UserFacingError } from '../../../platform/http/errors.js';
import type { FormErrors } from '../../../platform/views/form-errors.js';
import type { UnsavedChange } from '../../../platform/views/stale-edit.js';
import type { Services } from '../../../services.js';
import { DirectoryProblem } from '../problem.js';
import { RECORD_ID } from '../../../platform/db/ids.js';


/** The signed-in person (the route's permission has already been checked by the access preHandler). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new UserFacingError(401, 'Sign in to continue.', 'You need to sign in');
  return request.actor;
}

/** A record id from the address; anything else is simply not found. */
export function idParam(request: FastifyRequest): string {
  const value = (request.params as Record<string, unknown>)['id'];
  if (typeof value !== 'string' || !RECORD_ID.test(value)) throw new UserFacingError(404, 'There is nothing at this address. It may have been typed wrongly.', 'Page not found');
  return value;
}

/** Rules the service refused, as GOV.UK error-summary data pointing at the fields concerned. */
export function problemErrors(problem: DirectoryProblem, page = ''): FormErrors {
  const byField: Record<string, { text: string }> = {};
  for (const item of problem.problems) byField[item.field] ??= { text: item.text };
  return { summary: problem.problems.map((item) => ({ text: item.text, href: item.href ?? `${page}#${item.field}` })), byField };
}

const NOTICES = {
  created: 'Saved as a draft. Preview it, then publish it when it is ready.',
  saved: 'Your changes are saved.',
  savedToPublish: 'Your changes are saved. The public site shows them once you publish them.',
  recordPublished: 'Published. The public site and the Open Referral feed show these details with the published services that use them.',
  savedPublished: 'Your changes are saved but not yet public. Preview them, then publish.',
  published: 'Published. The service is now on the public site and in the Open Referral feed.',
  withdrawn: 'Withdrawn. The service is no longer on the public site.',
  reviewed: 'Marked as reviewed today.',
  updated: 'Updated.',
  withheld:
    'Saved. Published text that named this address has been taken off the public site at once: services, organisations and locations (their history says why) and information pages. Change their text and publish them again; anything that could not come off is listed below.',
} as const;

/** Success messages travel as a short code in the address, never as free text. */
export function noticeOf(request: FastifyRequest): string | undefined {
  const code = (request.query as Record<string, unknown> | undefined)?.['notice'];
  return typeof code === 'string' && code in NOTICES ? NOTICES[code as keyof typeof NOTICES] : undefined;
}

/** History entries with the name of whoever made each change (names are encrypted, so looked up per person). */
export async function historyWithNames(services: Services, recordType: 'service' | 'organisation' | 'location', id: string) {
  const entries = await services.directory.records.history(recordType, id);
  const names = new Map<string, string>();
  for (const entry of entries) {
    if (entry.actor_user_id && !names.has(entry.actor_user_id)) names.set(entry.actor_user_id, (await services.users.viewer(entry.actor_user_id))?.name ?? 'A former user');
  }
  return entries.map((entry) => ({ ...entry, actorName: entry.actor_user_id ? names.get(entry.actor_user_id) : 'The system (scheduled check)' }));
}

export type FormContext = { id?: string; values: Record<string, unknown>; errors?: FormErrors; unsaved?: readonly UnsavedChange[]; restored?: true };

export const MANAGE = { config: { access: 'directory.manage' as const } };
/** A form's own page: typed into when a session ends, it is kept for its author to finish after signing in. */
export const MANAGE_KEEPING_FORM = { config: { ...MANAGE.config, keepsFormAcrossSignIn: true } };

/** "Edit service: Demo Refuge": a change form's title names the record, so tabs and history tell two apart. */
export function editTitle(kind: string, values: Record<string, unknown>): string {
  const name = typeof values['name'] === 'string' ? values['name'].trim() : '';
  return name ? `Edit ${kind}: ${name}` : `Edit ${kind}`;
}

/**
 * Saves a directory form and moves on, or shows it again: with what was typed and the problems to fix, or (when
 * someone else saved first) with the latest details and what was typed beside them.
 */
export async function saveOrShow(
  reply: FastifyReply,
  form: {
    save: () => Promise<unknown>;
    saved: () => FastifyReply | Promise<FastifyReply>;
    show: (context: Omit<FormContext, 'id'>) => Promise<FastifyReply>;
    latest: () => Promise<Omit<FormContext, 'id'>>;
    typed: Record<string, unknown>;
  },
): Promise<FastifyReply> {
  try {
    await form.save();
  } catch (error) {
    if (error instanceof DirectoryProblem) return form.show({ values: form.typed, errors: problemErrors(error) });
    if (!(error instanceof StaleVersionError)) throw error;
    const latest = await form.latest();
    reply.code(409);
    return form.show(latest);
  }
  return form.saved();
}

/** A form page: 400 with its errors, or the status already set (409 after a stale save); 200 when it first opens. */
export function showDirectoryForm(reply: FastifyReply, template: string, page: { errors?: FormErrors; unsaved?: readonly UnsavedChange[] } & Record<string, unknown>) {
  if (page.errors && !page.unsaved) return reply.renderForm(template, page.errors, page);
  return reply.render(template, page);
}
