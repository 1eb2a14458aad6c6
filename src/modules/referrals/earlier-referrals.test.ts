import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { signIn } from '../../../test/support/visitor.js';
import { londonDay } from '../../platform/time/london.js';
import { fillReferral, formAnswers, sendDraft } from './test-support/journey.js';

describe('earlier referrals of the same person', () => {
  let platform: TestPlatform;
  let firstReference: string;

  beforeAll(async () => {
    platform = await createTestPlatform();
    const practitioner = await signIn(platform, 'practitioner@demo.invalid');
    // A MARAC referral (15 "yes") in Maidstone: MARAC Hub first, so the Hub is who to contact.
    const sent = await sendDraft(practitioner, await fillReferral(practitioner, formAnswers({ yes: 15, person: { lastName: 'Dup-Romeo', district: 'maidstone', postcode: 'ME15 6ZZ' } })));
    const outcome = await platform.services.referrals.outcomeFor(
      { userId: (await platform.services.users.findByEmail('practitioner@demo.invalid'))?.id ?? '', organisationId: '', roles: ['practitioner'] },
      String(sent.headers.location).split('/')[3] ?? '',
      { ip: '127.0.0.1', requestId: 'test' },
    );
    firstReference = outcome.reference;
  });
  afterAll(() => platform.close());

  async function startWithPerson(email: string, person: Record<string, string>) {
    const visitor = await signIn(platform, email);
    await visitor.get('/app/referrals/new');
    const draft = String((await visitor.post('/app/referrals/new', {})).headers.location).replace(/\/person$/, '');
    const saved = await visitor.post(`${draft}/person`, { ...formAnswers()['person'], ...person });
    return { visitor, draft, saved };
  }

  it('tells a second referrer, once name and date of birth are given, who to contact, and nothing else', async () => {
    const { visitor, draft, saved } = await startWithPerson('service@demo.invalid', { lastName: 'Dup-Romeo', district: 'maidstone', postcode: '' , phone: '' });
    expect(saved.headers.location).toBe(`${draft}/recent-referral`);
    const warning = await visitor.get(`${draft}/recent-referral`);
    expect(warning.statusCode).toBe(200);
    expect(warning.body).toContain('This person was referred recently');
    expect(warning.body).toContain('Kent and Medway MARAC Hub');
    for (const detail of [firstReference, 'High', 'Visible high risk', 'Demo Practitioner', 'Kent Police', 'ME15']) expect(warning.body).not.toContain(detail);
  });

  it('matches a name spelt differently but sounding alike, with the same date of birth', async () => {
    const { visitor, draft } = await startWithPerson('service@demo.invalid', { lastName: 'Dupp-Romeo', district: 'maidstone', phone: '', postcode: '' });
    expect((await visitor.get(`${draft}/recent-referral`)).body).toContain('This person was referred recently');
  });

  it('matches a name that sounds alike but is spelt from another letter (Katherine, Catherine), with the same date of birth', async () => {
    const practitioner = await signIn(platform, 'practitioner@demo.invalid');
    await sendDraft(practitioner, await fillReferral(practitioner, formAnswers({ yes: 15, person: { firstName: 'Catherine', lastName: 'Dup-Whiskey', district: 'swale', postcode: 'ME10 9ZZ', phone: '07700 900661' } })));
    const { visitor, draft } = await startWithPerson('service@demo.invalid', { firstName: 'Katherine', lastName: 'Dup-Whiskey', district: 'swale', phone: '07700 900777', postcode: '' });
    expect((await visitor.get(`${draft}/recent-referral`)).body).toContain('This person was referred recently');
  });

  it('goes straight on for someone not referred before', async () => {
    const { visitor, draft } = await startWithPerson('service@demo.invalid', { lastName: 'Fresh-Sierra', 'dateOfBirth-year': '1970', phone: '07700 900999', postcode: 'ME1 1ZZ' });
    const next = await visitor.get(`${draft}/recent-referral`);
    expect(next.statusCode).toBe(303);
    expect(next.headers.location).toBe(`${draft}/safe-contact`);
  });

  it('on sending, warns again and counts a repeat only for a further incident between the same two people', async () => {
    const practitioner = await signIn(platform, 'practitioner@demo.invalid');
    const person = { lastName: 'Dup-Romeo', district: 'maidstone', postcode: 'ME15 6ZZ' };
    const draft = await fillReferral(practitioner, formAnswers({ yes: 2, person }));
    // Before sending too: the check page names who received the earlier referral.
    expect((await practitioner.get(`${draft}/check`)).body).toContain('This person was referred in the last 12 months');
    const sameIncident = await sendDraft(practitioner, draft);
    const sameIncidentPage = await practitioner.get(String(sameIncident.headers.location));
    expect(sameIncidentPage.body).toContain('every incident on this referral happened before that referral or more than 12 months after it');
    expect(sameIncidentPage.body).toContain('This person was referred in the last 12 months');

    const [year, month, day] = londonDay(new Date()).split('-');
    const furtherIncident = { 'incidents-0-date-day': String(Number(day)), 'incidents-0-date-month': String(Number(month)), 'incidents-0-date-year': year ?? '' };
    const repeat = await sendDraft(practitioner, await fillReferral(practitioner, formAnswers({ yes: 2, person, incidents: furtherIncident })));
    const repeatPage = await practitioner.get(String(repeat.headers.location));
    expect(repeatPage.body).toContain('Repeat referral');
    expect(repeatPage.body).toContain('this referral reports a further incident within 12 months of that referral, so it is a repeat referral whatever the score');

    const otherHarm = await sendDraft(
      practitioner,
      await fillReferral(practitioner, formAnswers({ yes: 2, person, incidents: furtherIncident, 'person-causing-harm': { firstName: 'Different', lastName: 'Person-Tango', relationship: 'family_member' } })),
    );
    const otherPage = await practitioner.get(String(otherHarm.headers.location));
    expect(otherPage.body).not.toContain('repeat referral whatever the score');
    expect(otherPage.body).toContain('does not meet any MARAC criterion');
    expect(otherPage.body).toContain('No MARAC referral for the same person and the same person causing harm was found in the 12 months before any incident on this referral.');
  });

  it('counts a repeat when one agency knew the person causing harm by first name only', async () => {
    const practitioner = await signIn(platform, 'practitioner@demo.invalid');
    const person = { lastName: 'Dup-Victor', district: 'maidstone', postcode: 'ME15 7ZZ' };
    const firstNameOnly = { firstName: 'Testdave', lastName: '', relationship: 'ex_partner' };
    await sendDraft(practitioner, await fillReferral(practitioner, formAnswers({ yes: 15, person, 'person-causing-harm': firstNameOnly })));
    const [year, month, day] = londonDay(new Date()).split('-');
    const furtherIncident = { 'incidents-0-date-day': String(Number(day)), 'incidents-0-date-month': String(Number(month)), 'incidents-0-date-year': year ?? '' };
    const fullName = { firstName: 'Testdave', lastName: 'Harm-Xray', relationship: 'ex_partner' };
    const repeat = await sendDraft(practitioner, await fillReferral(practitioner, formAnswers({ yes: 2, person, incidents: furtherIncident, 'person-causing-harm': fullName })));
    expect((await practitioner.get(String(repeat.headers.location))).body).toContain('this referral reports a further incident within 12 months of that referral, so it is a repeat referral whatever the score');
  });
});
