import type { Option } from '../options.js';
import type { RouteStatus } from '../tables.js';

/** Coded answers on the receiving side, with the words shown for them. Codes are stored; words can change. */

export const DECLINE_REASONS = [
  { value: 'no_capacity', text: 'We have no capacity to take this referral' },
  { value: 'outside_area', text: 'The person lives outside the area we cover' },
  { value: 'not_eligible', text: 'The person does not meet our service’s criteria' },
  { value: 'better_suited', text: 'Another service is better suited to their needs' },
  { value: 'already_supported', text: 'The person is already supported by another service' },
  { value: 'conflict_of_interest', text: 'Conflict of interest (for example, we know the person causing harm)' },
  { value: 'other', text: 'Another reason' },
] as const satisfies readonly Option[];
export type DeclineReason = (typeof DECLINE_REASONS)[number]['value'];

export const CONTACT_METHODS = [
  { value: 'phone', text: 'Phone call' },
  { value: 'text', text: 'Text message' },
  { value: 'email', text: 'Email' },
  { value: 'in_person', text: 'In person' },
  { value: 'video', text: 'Video call' },
  { value: 'through_agency', text: 'Through another agency (for example, the referrer)' },
] as const satisfies readonly Option[];
export type ContactMethod = (typeof CONTACT_METHODS)[number]['value'];

export const OUTCOMES = [
  { value: 'engaged', text: 'Engaged with support', hint: 'They have accepted support. The referral stays open.' },
  { value: 'declined_support', text: 'Declined support', hint: 'They were offered support and said no. This closes the referral for your service.' },
  { value: 'unable_to_contact', text: 'Unable to contact', hint: 'Every safe way of reaching them has been tried, at least 3 times on at least 2 different days. This closes the referral for your service.' },
  { value: 'closed', text: 'Closed after support', hint: 'Support has ended. Select what it achieved.' },
] as const satisfies readonly (Option & { hint: string })[];
export type OutcomeCode = (typeof OUTCOMES)[number]['value'];

export const CLOSURE_OUTCOMES = [
  { value: 'safety_plan', text: 'Safety plan in place' },
  { value: 'safe_accommodation', text: 'Moved to safe accommodation' },
  { value: 'referred_on', text: 'Referred on to another service' },
  { value: 'protective_order', text: 'Protective order obtained (for example, a non-molestation order)' },
  { value: 'criminal_justice', text: 'Supported through the criminal justice process' },
  { value: 'risk_reduced', text: 'Risk reduced' },
  { value: 'moved_area', text: 'Moved out of the area' },
  { value: 'other', text: 'Another outcome' },
] as const satisfies readonly Option[];
export type ClosureOutcome = (typeof CLOSURE_OUTCOMES)[number]['value'];

export const ROUTE_STATUS_LABELS: Record<RouteStatus, string> = {
  new: 'New',
  accepted: 'Accepted',
  in_contact: 'In contact',
  closed: 'Closed',
  declined: 'Declined',
  withdrawn: 'Withdrawn',
};

/** GOV.UK tag colours per status; overdue is shown separately in red with the word "Overdue". */
export const ROUTE_STATUS_TAGS: Record<RouteStatus, string> = {
  new: 'govuk-tag--blue',
  accepted: 'govuk-tag--turquoise',
  in_contact: 'govuk-tag--green',
  closed: 'govuk-tag--grey',
  declined: 'govuk-tag--orange',
  withdrawn: 'govuk-tag--grey',
};

export function textOf(options: readonly Option[], value: string | null | undefined): string {
  return options.find((option) => option.value === value)?.text ?? (value ?? '');
}
