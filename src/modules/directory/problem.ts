import { UserFacingError } from '../../platform/http/errors.js';

/** A refusal tied to the form field that needs attention, or to another record's page (`href`) where it is fixed. */
export interface Problem {
  readonly field: string;
  readonly text: string;
  readonly href?: string;
}

/** Refusals a person can act on, each tied to the form field or section that needs attention. */
export class DirectoryProblem extends UserFacingError {
  constructor(readonly problems: readonly Problem[]) {
    super(400, problems.map((problem) => problem.text).join(' '));
  }
}

/** Said wherever text the public would see names a confidential location's address. */
export const CONFIDENTIAL_TEXT = 'This names the address, street or postcode of a confidential location. Remove it: the public must never see where a refuge is';
