/**
 * Why email carries nothing but a nudge and a link.
 *
 * Once an email leaves the platform it is out of our control: mail providers keep copies, messages are forwarded,
 * shown in full on lock screens, and read on shared or watched devices, sometimes by the person causing harm.
 * Nothing in an inbox can be recalled, access-checked or audited. So a message may say only that something is
 * waiting and link into the platform, where the reader must sign in, the policy decides what they see, and every
 * read is audited. This guard is the backstop for that rule: it cannot understand prose, but it refuses the ways
 * case detail most easily slips into an email — markup, links anywhere but this site, email addresses, long text.
 */

export class UnsafeEmailError extends Error {
  constructor(reason: string) {
    super(`Refused to queue an email: ${reason}. Emails carry plain text with a link into the platform, never case detail.`);
  }
}

export interface CheckedEmail {
  readonly to: string;
  readonly subject: string;
  readonly body: string;
}

export const MAX_SUBJECT_LENGTH = 150;
export const MAX_BODY_LENGTH = 1500;

const RECIPIENT = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;
const EMAIL_ADDRESS = /[^\s@<>()]+@[^\s@<>()]+\.[a-z]{2,}/i;
/** Anything a mail client would turn into a link: a URL with a scheme, mailto: and friends, www., or a host with a path. */
const LINK_LIKE = /\b(?:[a-z][a-z0-9+.-]*:\/\/|(?:mailto|data|javascript|vbscript|file|tel|sms|callto):)[^\s]+|\bwww\.[^\s]+|\b(?:[a-z0-9-]+\.)+[a-z]{2,}\/[^\s]*/gi;
/** Printable text and line breaks only: no control characters, no bidirectional overrides that disguise a link. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point of this pattern
const UNPRINTABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/u;

/** Returns the email with line endings normalised, or throws UnsafeEmailError saying what is wrong. */
export function checkEmail(email: CheckedEmail, baseUrl: string): CheckedEmail {
  const to = email.to.trim();
  if (!RECIPIENT.test(to) || to.length > 320) throw new UnsafeEmailError('the recipient is not a single email address');

  const subject = email.subject.trim();
  if (subject.length === 0 || subject.length > MAX_SUBJECT_LENGTH) throw new UnsafeEmailError(`the subject must be 1 to ${String(MAX_SUBJECT_LENGTH)} characters`);
  if (/[\r\n]/.test(subject) || UNPRINTABLE.test(subject)) throw new UnsafeEmailError('the subject must be one line of plain text');
  if (/[<>]/.test(subject) || subject.match(LINK_LIKE) || EMAIL_ADDRESS.test(subject)) throw new UnsafeEmailError('the subject must not hold markup, links or email addresses');

  const body = email.body.replace(/\r\n?/g, '\n');
  if (body.trim().length === 0 || body.length > MAX_BODY_LENGTH) throw new UnsafeEmailError(`the body must be 1 to ${String(MAX_BODY_LENGTH)} characters`);
  if (UNPRINTABLE.test(body)) throw new UnsafeEmailError('the body holds characters that are not plain text');
  if (/[<>]/.test(body)) throw new UnsafeEmailError('the body must be plain text, not HTML or markup');
  if (EMAIL_ADDRESS.test(body)) throw new UnsafeEmailError('the body must not hold email addresses');
  for (const link of body.match(LINK_LIKE) ?? []) {
    if (!isPlatformLink(link, baseUrl)) throw new UnsafeEmailError('the body may only link to pages of this platform (BASE_URL)');
  }
  return { to, subject, body };
}

function isPlatformLink(link: string, baseUrl: string): boolean {
  const base = new URL(baseUrl);
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return false;
  }
  if (url.origin !== base.origin || url.username || url.password) return false;
  const basePath = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return url.pathname === base.pathname || url.pathname.startsWith(basePath);
}
