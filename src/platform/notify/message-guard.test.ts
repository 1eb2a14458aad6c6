import { describe, expect, it } from 'vitest';
import { checkEmail, UnsafeEmailError } from './message-guard.js';

const BASE = 'https://partnership.example.org';
const ok = { to: 'someone@example.org', subject: 'You have been invited', body: `Open this link within 7 days:\n${BASE}/app/invitation/abc123\n\nIf you were not expecting this, ignore it.` };

function refusal(change: Partial<typeof ok>, base = BASE): string {
  try {
    checkEmail({ ...ok, ...change }, base);
  } catch (error: unknown) {
    if (error instanceof UnsafeEmailError) return error.message;
    throw error;
  }
  return 'accepted';
}

describe('the email guard', () => {
  it('accepts plain text that links to the platform, and normalises line endings', () => {
    expect(checkEmail({ ...ok, body: 'Line one\r\nSee https://partnership.example.org/app/referrals.' }, BASE).body).toBe('Line one\nSee https://partnership.example.org/app/referrals.');
    expect(refusal({ body: `Time: 10:30. Reference: AB-12. Go to ${BASE}/app` })).toBe('accepted');
  });

  it('accepts links under a base address that has a path, and only under it', () => {
    expect(refusal({ body: 'https://example.org/partnership/app/x' }, 'https://example.org/partnership')).toBe('accepted');
    expect(refusal({ body: 'https://example.org/other/app/x' }, 'https://example.org/partnership')).toMatch(/only link to pages of this platform/);
  });

  it.each([
    ['a link to another site', 'Details at https://elsewhere.example.com/case/1'],
    ['a look-alike host', 'https://partnership.example.org.evil.example/app'],
    ['credentials in a link', 'https://user:pass@partnership.example.org/app'],
    ['plain http to an https site', 'http://partnership.example.org/app'],
    ['a www. address', 'See www.elsewhere.example.com'],
    ['a bare host with a path', 'See elsewhere.example.com/case'],
    ['a mailto link', 'Write to mailto:someone'],
    ['a data URL', 'data:text/html;base64,PGI+'],
  ])('refuses %s', (_label, body) => {
    expect(refusal({ body })).toMatch(/only link to pages of this platform|must not hold email addresses/);
  });

  it('refuses HTML and markup', () => {
    expect(refusal({ body: '<p>Hello</p>' })).toMatch(/plain text, not HTML/);
    expect(refusal({ body: 'Click <here>' })).toMatch(/plain text, not HTML/);
  });

  it('refuses email addresses in the body, which would identify someone', () => {
    expect(refusal({ body: 'The referral for victim@example.org is ready' })).toMatch(/must not hold email addresses/);
  });

  it('refuses long bodies, empty bodies and hidden characters', () => {
    expect(refusal({ body: 'a'.repeat(1501) })).toMatch(/1 to 1500 characters/);
    expect(refusal({ body: '   ' })).toMatch(/1 to 1500 characters/);
    expect(refusal({ body: 'Open\u202Egro.elpmaxe' })).toMatch(/not plain text/);
  });

  it('refuses a subject over two lines, with links or addresses', () => {
    expect(refusal({ subject: 'Hello\nBcc: someone@example.org' })).toMatch(/one line/);
    expect(refusal({ subject: 'See https://partnership.example.org/app' })).toMatch(/markup, links or email addresses/);
    expect(refusal({ subject: '' })).toMatch(/subject must be 1 to 150/);
  });

  it('refuses anything but one recipient address', () => {
    expect(refusal({ to: 'a@example.org, b@example.org' })).toMatch(/single email address/);
    expect(refusal({ to: 'a@example.org\r\nBcc: b@example.org' })).toMatch(/single email address/);
  });
});
