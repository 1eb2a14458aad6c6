import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formPages, type PageContext } from './pages.js';

const context: PageContext = { today: () => '2026-11-25', districts: [{ code: 'thanet', name: 'Thanet', authority: 'Kent County Council', maracArea: 'kent' }] };

describe('referral form pages', () => {
  it('turn any posted body into data or error messages, never an exception', () => {
    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }), fc.constantFrom('yes', 'no', 'not_known', '', '2026', '13', 'thanet'));
    const key = fc.oneof(fc.constantFrom('firstName', 'lastName', 'district', 'dateOfBirth-day', 'dateOfBirth-month', 'dateOfBirth-year', 'childrenInHousehold', 'children-0-name', 'children-99-dateOfBirth-day', 'q1', 'q1-note', 'needs', 'applies', 'reasons', 'status', 'lawfulBasis', 'incidents-3-date-year'), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(fc.constantFrom(...formPages(context)), fc.dictionary(key, value, { maxKeys: 12 }), (page, body) => {
        const result = page.parse(body, context);
        if (!result.ok) {
          expect(result.errors.summary.length).toBeGreaterThan(0);
          for (const item of result.errors.summary) expect(item.href).toMatch(/^#[\w-]+$/);
        }
      }),
    );
  });

  it('gives saved answers back as the same form values', () => {
    const person = formPages(context).find((page) => page.slug === 'person');
    const parsed = person?.parse({ firstName: ' Test ', lastName: 'Person', 'dateOfBirth-day': '7', 'dateOfBirth-month': '3', 'dateOfBirth-year': '1990', postcode: 'ct91zz', district: 'thanet' }, context);
    expect(parsed?.ok && parsed.data).toMatchObject({ firstName: 'Test', dateOfBirth: '1990-03-07', postcode: 'CT9 1ZZ', district: 'thanet' });
    if (parsed?.ok) expect(person?.values(parsed.data)).toMatchObject({ 'dateOfBirth-day': '7', 'dateOfBirth-month': '3', 'dateOfBirth-year': '1990' });
  });

  it('refuses “son or daughter aged 16 or over” for someone whose date of birth makes them younger', () => {
    const harm = formPages(context).find((page) => page.slug === 'person-causing-harm');
    const child = (year: string) => harm?.parse({ firstName: 'Test Son', relationship: 'child_over_16', 'dateOfBirth-day': '6', 'dateOfBirth-month': '6', 'dateOfBirth-year': year }, context);
    const under16 = child('2011');
    expect(under16?.ok).toBe(false);
    if (under16 && !under16.ok) expect(under16.errors.summary).toEqual([{ text: 'Their date of birth shows they are under 16: choose “Family member”, or check the date of birth', href: '#relationship' }]);
    expect(child('2010')?.ok).toBe(true);
  });

  it('refuses a child in the household who is 18 or over, pointing at that child’s date of birth', () => {
    const household = formPages(context).find((page) => page.slug === 'household');
    const withChildBorn = (year: string) =>
      household?.parse({ childrenInHousehold: 'yes', 'children-0-name': 'Test Child', 'children-1-name': 'Test Grown', 'children-1-dateOfBirth-day': '25', 'children-1-dateOfBirth-month': '11', 'children-1-dateOfBirth-year': year, otherDependants: 'no' }, context);
    const eighteen = withChildBorn('2008');
    expect(eighteen?.ok).toBe(false);
    if (eighteen && !eighteen.ok) expect(eighteen.errors.summary).toEqual([{ text: expect.stringContaining('A child must be under 18 today') as unknown, href: '#children-1-dateOfBirth-day' }]);
    const seventeen = household?.parse({ childrenInHousehold: 'yes', 'children-0-name': 'Test Child', 'children-0-dateOfBirth-day': '26', 'children-0-dateOfBirth-month': '11', 'children-0-dateOfBirth-year': '2008', otherDependants: 'no' }, context);
    expect(seventeen?.ok).toBe(true);
  });
});
