import type { ReferralOutcome } from '../outcome.js';
import { districtMismatch, type ReferralInput } from '../schemas.js';
import type { District } from '../service.js';

/**
 * What a practitioner should look at again before sending: answers that will leave the receiving services unable to
 * act safely, or a sharing decision that needs its reason. Each says what to do; none stops the referral being sent.
 */
export function cautionsFor(input: ReferralInput, outcome: Pick<ReferralOutcome, 'riskLevel'>, districts: readonly District[]): string[] {
  const cautions: string[] = [];
  const { safeContact, consent } = input;
  const elsewhere = districtMismatch(input.person.postcode, input.district, districts);
  if (elsewhere) cautions.push(elsewhere);
  if (safeContact.safeToContact !== 'yes' && !safeContact.phone && !safeContact.email) {
    cautions.push(
      `You have ${safeContact.safeToContact === 'no' ? 'said it is not safe' : 'not said whether it is safe'} to contact them, and gave no safe phone number or email address: the services will have to arrange contact through you. Add a safe way to reach them if there is one.`,
    );
  }
  if (consent.status !== 'given' && outcome.riskLevel !== 'high') {
    cautions.push(
      `They have not agreed to this referral, and the risk is ${outcome.riskLevel === 'medium' ? 'medium' : 'standard'}, not high. Sharing without consent is usually justified only to protect someone from serious harm: check the lawful reason you gave, or ask them first if it is safe to.`,
    );
  }
  return cautions;
}
