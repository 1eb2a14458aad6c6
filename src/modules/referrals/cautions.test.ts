import { describe, expect, it } from 'vitest';
import { syntheticInput } from './inbox/testing.js';
import type { ReferralOutcome } from './outcome.js';
import { cautionsFor, postcodeDistrictOf } from './cautions.js';
import { readRoutingFile } from './rules/seed-file.js';
import type { ReferralRules } from './service.js';

const synthetic = syntheticInput({ district: 'thanet', yes: 3, name: 'Cautions' });
// Three "yes" answers, none to a standalone indicator (q2, extreme fear, is one).
const input = { ...synthetic, dash: { ...synthetic.dash, q2: { answer: 'no' as const, note: null, source: null }, q4: { answer: 'yes' as const, note: null, source: null } } };
const seeded = readRoutingFile();
const districts: ReferralRules = {
  active: seeded.ruleSets.map((rules, index) => ({ id: String(index), maracArea: rules.maracArea, version: 1, status: 'active', rules })),
  districts: [
    { code: 'thanet', name: 'Thanet', authority: 'Kent County Council', maracArea: 'kent' },
    { code: 'medway', name: 'Medway', authority: 'Medway Council', maracArea: 'medway' },
  ],
};

const sentAt = '2026-12-01T10:00:00.000Z';
const outcome = (riskLevel: 'standard' | 'medium' | 'high', routes: ReadonlyArray<{ kind: string }> = []) => ({ riskLevel, routes, maracCriteriaMet: riskLevel === 'high', submittedAt: sentAt }) as Pick<ReferralOutcome, 'riskLevel' | 'routes' | 'maracCriteriaMet' | 'submittedAt'>;

describe('what to look at again before sending', () => {
  it('is nothing for a referral with a safe way to reach them and their agreement', () => {
    expect(cautionsFor(input, outcome('standard'), districts, [])).toEqual([]);
  });

  it('says that children’s safeguarding is not told when it is not known whether children live in the household', () => {
    expect(cautionsFor({ ...input, childrenInHousehold: 'not_known' }, outcome('high'), districts, [])).toEqual(['You do not know whether children live in the household, so children’s safeguarding is not told about this referral. Find out if you can, and change your answer.']);
    // Told anyway (a pregnancy, say): nothing to point out.
    expect(cautionsFor({ ...input, childrenInHousehold: 'not_known' }, outcome('high', [{ kind: 'children_safeguarding' }]), districts, [])).toEqual([]);
  });

  it('asks again about a pregnancy not known, unless children’s safeguarding is told anyway', () => {
    const unknownPregnancy = { ...input, dash: { ...input.dash, q9: { answer: 'not_known' as const, note: null, source: null } } };
    expect(cautionsFor(unknownPregnancy, outcome('standard'), districts, [])).toEqual(['You do not know the answer to question 9 (pregnancy or new baby). If they are pregnant or have had a baby in the last 18 months, children’s safeguarding is told: ask again when it is safe to, and change your answer.']);
    expect(cautionsFor(unknownPregnancy, outcome('standard', [{ kind: 'children_safeguarding' }]), districts, [])).toEqual([]);
  });

  it('asks for the judgement of suicide or self-harm risk when question 5 is “yes” and the risk is left open', () => {
    const lowMood = { ...input, dash: { ...input.dash, q5: { answer: 'yes' as const, note: null, source: null } } };
    for (const suicideSelfHarmRisk of ['not_known', 'not_given'] as const) {
      expect(cautionsFor({ ...lowMood, suicideSelfHarmRisk }, outcome('standard'), districts, [])).toEqual([
        'The checklist says “yes” to question 5 (depressed or suicidal thoughts), but you have not judged whether they are at high risk of suicide or self-harm because of the abuse. If they are, the referral goes to MARAC: answer that question when you can.',
      ]);
    }
    // Judged either way, or going to MARAC already: nothing to ask.
    expect(cautionsFor({ ...lowMood, suicideSelfHarmRisk: 'no' }, outcome('standard'), districts, [])).toEqual([]);
    expect(cautionsFor({ ...lowMood, suicideSelfHarmRisk: 'not_known' }, outcome('high'), districts, [])).toEqual([]);
  });

  it('says when there is no safe way to reach them, whether it is unsafe or not known', () => {
    const unsafe = cautionsFor({ ...input, safeContact: { ...input.safeContact, safeToContact: 'no', phone: null, email: null } }, outcome('high'), districts, []);
    expect(unsafe).toEqual([expect.stringContaining('You have said it is not safe to contact them, and gave no safe phone number or email address')]);
    const unknown = cautionsFor({ ...input, safeContact: { ...input.safeContact, safeToContact: 'not_known', phone: null, email: null } }, outcome('high'), districts, []);
    expect(unknown).toEqual([expect.stringContaining('You have not said whether it is safe')]);
    // A safe email is a safe way: nothing to say.
    expect(cautionsFor({ ...input, safeContact: { ...input.safeContact, safeToContact: 'no', phone: null, email: 'safe@example.org' } }, outcome('high'), districts, [])).toEqual([]);
  });

  it('says when the postcode is listed in another district than the one chosen, and nothing without a postcode', () => {
    const inMedway = { ...input, person: { ...input.person, postcode: 'ME4 4TR' } };
    expect(postcodeDistrictOf('me4 4tr')).toBe('ME4');
    expect(cautionsFor(inMedway, outcome('high'), districts, ['medway'])).toEqual(['The postcode ME4 is listed in Medway, not Thanet, the district you chose: the referral goes to the MARAC and council for Thanet. Check the district they live in.']);
    expect(cautionsFor({ ...inMedway, district: 'medway' }, outcome('high'), districts, ['medway'])).toEqual([]);
    expect(cautionsFor({ ...input, person: { ...input.person, postcode: null } }, outcome('high'), districts, [])).toEqual([]);
  });

  it('says when the postcode is outside Kent and Medway, and where the case belongs', () => {
    expect(cautionsFor({ ...input, person: { ...input.person, postcode: 'SW1A 1AA' } }, outcome('high'), districts, [])).toEqual([
      'The postcode SW1A is not in Kent or Medway, but the referral goes to the MARAC and council for Thanet, the district you chose. If they live outside Kent and Medway, the MARAC where they live should hear the case: refer it there instead. If they are staying in Thanet (in a refuge, say), carry on.',
    ]);
  });

  it('asks for the reason to be checked when sharing without consent to prevent serious harm below high risk, not at high risk', () => {
    const withoutConsent = { ...input, consent: { status: 'not_asked' as const, lawfulBasis: 'risk_of_serious_harm', notes: null } };
    expect(cautionsFor(withoutConsent, outcome('medium'), districts, [])).toEqual([expect.stringContaining('the risk is medium, not high. Sharing without consent to protect someone from serious harm needs that risk to be real')]);
    // Each says how it stands: not asked is not a refusal, and a partner system that did not say is neither.
    const opening = (status: 'not_given' | 'not_asked' | 'not_recorded') => cautionsFor({ ...input, consent: { ...withoutConsent.consent, status } }, outcome('medium'), districts, [])[0]?.split(',')[0];
    expect([opening('not_given'), opening('not_asked'), opening('not_recorded')]).toEqual(['They did not agree to this referral', 'They have not been asked whether they agree to this referral', 'The referral does not say whether they agreed to it']);
    expect(cautionsFor(withoutConsent, outcome('high'), districts, [])).toEqual([]);
    // A duty to safeguard a child (or an adult at risk), crime, or vital interests do not rest on the checklist's score.
    for (const lawfulBasis of ['safeguarding_children', 'safeguarding_adult', 'prevent_detect_crime', 'vital_interests']) {
      expect(cautionsFor({ ...input, consent: { ...withoutConsent.consent, lawfulBasis } }, outcome('standard'), districts, [])).toEqual([]);
    }
  });

  it('asks for a standalone indicator answered “yes” to be weighed, first, when no criterion is met and no judgement given', () => {
    const strangled = { ...input, dash: { ...input.dash, q15: { answer: 'yes' as const, note: null, source: null }, q2: { answer: 'yes' as const, note: null, source: null } } };
    const [first, ...rest] = cautionsFor(strangled, outcome('standard'), districts, []);
    expect(first).toBe('The checklist says “yes” to question 2 (very frightened) and question 15 (strangling, choking, suffocating, drowning): standalone indicators of high risk, whatever the score. As it stands the referral does not go to MARAC. If you judge the risk is high, change your answer on professional judgement and give your reasons.');
    expect(rest).toEqual([]);
    // Weighed already (a judgement given), or met by another criterion: nothing to point out.
    expect(cautionsFor({ ...strangled, professionalJudgement: { applies: true, reasons: 'Strangulation (synthetic).' } }, outcome('standard'), districts, [])).toEqual([]);
    expect(cautionsFor(strangled, outcome('high'), districts, [])).toEqual([]);
    // Under 16, judgement would not send it to MARAC (children's safeguarding leads): it is not suggested.
    const fifteen = { ...strangled, person: { ...strangled.person, dateOfBirth: '2011-06-01' } };
    expect(cautionsFor(fifteen, outcome('standard', [{ kind: 'children_safeguarding' }]), districts, [])).toEqual([]);
    expect(cautionsFor({ ...fifteen, person: { ...fifteen.person, dateOfBirth: '2010-06-01' } }, outcome('standard'), districts, [])[0]).toContain('change your answer on professional judgement');
  });
});
