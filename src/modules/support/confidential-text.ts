import { UserFacingError } from '../../platform/http/errors.js';
import { CONFIDENTIAL_TEXT } from '../directory/problem.js';

/** Which of these fields name a refuge's (confidential) address: text that must never reach the public site. */
export type FieldsNamingConfidentialAddress = (fields: ReadonlyArray<readonly [field: string, text: string]>) => Promise<string[]>;

/** Text an editor typed that names a refuge's address: refused, field by field, before it is saved or published. */
export class ConfidentialAddressInText extends UserFacingError {
  constructor(readonly fields: readonly string[]) {
    super(400, CONFIDENTIAL_TEXT, 'This names a confidential address');
  }
}

/** Throws ConfidentialAddressInText when any of the fields names a confidential address. */
export async function refuseConfidentialAddresses(check: FieldsNamingConfidentialAddress, fields: ReadonlyArray<readonly [string, string]>): Promise<void> {
  const named = await check(fields);
  if (named.length > 0) throw new ConfidentialAddressInText(named);
}
