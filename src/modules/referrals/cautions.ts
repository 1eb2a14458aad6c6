import type { ReferralOutcome } from './outcome.js';
import { questionWords, wouldGoToMaracOnJudgement } from './rules/engine.js';
import type { ReferralInput } from './schemas.js';
import type { ReferralRules } from './service.js';
import { NONE_EARLIER, routingInputOf } from './submission.js';

/** "ME4" of "me4 4tr": the postcode district the reference data lists districts for. */
export function postcodeDistrictOf(postcode: string): string {
  return postcode.toUpperCase().replace(/\s+/g, '').slice(0, -3);
}

/**
 * What a practitioner should look at again before sending: answers that will leave the receiving services unable to
 * act safely, a sharing decision that needs its reason, or a district that may not be where they live. Each says what
 * to do; none stops the referral being sent. `postcodeListedIn` is the districts the reference data lists the
 * person's postcode district in (none when there is no postcode, or it is not listed).
 */
export function cautionsFor(input: ReferralInput, outcome: Pick<ReferralOutcome, 'riskLevel' | 'routes' | 'maracCriteriaMet' | 'submittedAt'>, rules: ReferralRules, postcodeListedIn: readonly string[]): string[] {
  const cautions: string[] = [];
  const { safeContact, consent } = input;
  const indicators = standaloneIndicatorsUnweighed(input, outcome, rules);
  if (indicators) cautions.push(indicators);
  const elsewhere = districtMismatch(input, rules.districts, postcodeListedIn);
  if (elsewhere) cautions.push(elsewhere);
  if (safeContact.safeToContact !== 'yes' && !safeContact.phone && !safeContact.email) {
    cautions.push(
      `You have ${safeContact.safeToContact === 'no' ? 'said it is not safe' : 'not said whether it is safe'} to contact them, and gave no safe phone number or email address: the services will have to arrange contact through you. Add a safe way to reach them if there is one.`,
    );
  }
  const childrenToldAlready = outcome.routes.some((route) => route.kind === 'children_safeguarding');
  if (input.childrenInHousehold === 'not_known' && !childrenToldAlready) {
    cautions.push('You do not know whether children live in the household, so children’s safeguarding is not told about this referral. Find out if you can, and change your answer.');
  }
  if (input.dash['q9']?.answer === 'not_known' && !childrenToldAlready) {
    cautions.push(`You do not know the answer to ${questionWords('q9')}. If they are pregnant or have had a baby in the last 18 months, children’s safeguarding is told: ask again when it is safe to, and change your answer.`);
  }
  const unjudged = suicideRiskUnjudged(input, outcome, rules);
  if (unjudged) cautions.push(unjudged);
  // A duty to safeguard a child or an adult at risk, crime, or vital interests stand whatever the checklist says;
  // "serious harm" (or no reason yet) sits uneasily with a score below high risk.
  if (consent.status !== 'given' && outcome.riskLevel !== 'high' && (consent.lawfulBasis === null || consent.lawfulBasis === 'risk_of_serious_harm')) {
    cautions.push(
      `${CONSENT_NOT_GIVEN[consent.status]}, and the risk is ${outcome.riskLevel === 'medium' ? 'medium' : 'standard'}, not high. Sharing without consent to protect someone from serious harm needs that risk to be real: check the reason you gave, or ask them first if it is safe to.`,
    );
  }
  return cautions;
}

/** The rule set of the MARAC area the referral's district is in. */
const ruleSetFor = (input: ReferralInput, rules: ReferralRules) => rules.active.find((candidate) => candidate.rules.districts.includes(input.district));

/** How a referral stands without consent, in the words that open the caution about it. */
const CONSENT_NOT_GIVEN: Readonly<Record<Exclude<ReferralInput['consent']['status'], 'given'>, string>> = {
  not_given: 'They did not agree to this referral',
  not_asked: 'They have not been asked whether they agree to this referral',
  not_recorded: 'The referral does not say whether they agreed to it',
};

/**
 * A "yes" to a question the area names as a standalone indicator (strangulation, a weapon, extreme fear, another
 * person feared) can show a high risk whatever the score: below every criterion, and with no judgement given, the
 * referrer is asked to weigh it, first, rather than find it inside the criteria's wording. Not where judgement would
 * change nothing: the rules send a person under 16 to children's safeguarding, not MARAC.
 */
function standaloneIndicatorsUnweighed(input: ReferralInput, outcome: Pick<ReferralOutcome, 'maracCriteriaMet' | 'submittedAt'>, rules: ReferralRules): string | undefined {
  if (outcome.maracCriteriaMet || input.professionalJudgement.applies) return undefined;
  const ruleSet = ruleSetFor(input, rules);
  if (!ruleSet) return undefined;
  const answeredYes = (ruleSet.rules.criteria.professionalJudgement.indicators ?? []).filter((question) => input.dash[question]?.answer === 'yes');
  if (answeredYes.length === 0) return undefined;
  const routing = routingInputOf(input, { districtName: input.district, referredAt: outcome.submittedAt, earlier: NONE_EARLIER });
  if (!wouldGoToMaracOnJudgement(ruleSet.rules, routing)) return undefined;
  return `The checklist says “yes” to ${answeredYes.map(questionWords).join(' and ')}: ${answeredYes.length === 1 ? 'a standalone indicator' : 'standalone indicators'} of high risk, whatever the score. As it stands the referral does not go to MARAC. If you judge the risk is high, change your answer on professional judgement and give your reasons.`;
}

/**
 * A checklist "yes" that prompts the area's local criterion (question 5, low mood or suicidal thoughts) with the
 * referrer's own judgement of that risk left open: the judgement, not the "yes", meets the criterion.
 */
function suicideRiskUnjudged(input: ReferralInput, outcome: Pick<ReferralOutcome, 'maracCriteriaMet'>, rules: ReferralRules): string | undefined {
  if (outcome.maracCriteriaMet || input.suicideSelfHarmRisk === 'yes' || input.suicideSelfHarmRisk === 'no') return undefined;
  const local = ruleSetFor(input, rules)?.rules.criteria.suicideSelfHarm;
  const prompts = local?.enabled ? local.questions.filter((question) => input.dash[question]?.answer === 'yes') : [];
  if (prompts.length === 0) return undefined;
  return `The checklist says “yes” to ${prompts.map(questionWords).join(' and ')}, but you have not judged whether they are at high risk of suicide or self-harm because of the abuse. If they are, the referral goes to MARAC: answer that question when you can.`;
}

/** The districts the reference data lists the person's postcode district in: none without a postcode, or outside Kent and Medway. */
export async function postcodeListedIn(input: ReferralInput, lookup: (outward: string) => Promise<{ readonly areaList: readonly string[] } | undefined>): Promise<readonly string[]> {
  return input.person.postcode ? ((await lookup(postcodeDistrictOf(input.person.postcode)))?.areaList ?? []) : [];
}

/**
 * A postcode whose district is listed in other districts than the one chosen ("ME4" with Thanet) would send the
 * referral to the wrong MARAC and council: said, not refused, as the list is coarse (a postcode district crosses
 * district and county lines: TN27 holds Headcorn, in Maidstone). A postcode listed nowhere is outside Kent and
 * Medway: the case belongs to the MARAC where the person lives, unless they are staying here (in a refuge, say).
 */
function districtMismatch(input: ReferralInput, districts: ReferralRules['districts'], listedIn: readonly string[]): string | undefined {
  const chosen = districts.find((district) => district.code === input.district);
  if (!input.person.postcode || !chosen || listedIn.includes(chosen.code)) return undefined;
  const postcode = postcodeDistrictOf(input.person.postcode);
  const goesTo = `the referral goes to the MARAC and council for ${chosen.name}`;
  if (listedIn.length === 0) {
    return `The postcode ${postcode} is not in Kent or Medway, but ${goesTo}, the district you chose. If they live outside Kent and Medway, the MARAC where they live should hear the case: refer it there instead. If they are staying in ${chosen.name} (in a refuge, say), carry on.`;
  }
  const names = listedIn.map((code) => districts.find((district) => district.code === code)?.name ?? code);
  return `The postcode ${postcode} is listed in ${names.join(' or ')}, not ${chosen.name}, the district you chose: ${goesTo}. Check the district they live in.`;
}
