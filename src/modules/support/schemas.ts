import { z } from 'zod';
import { LANGUAGES } from '../../platform/i18n/translator.js';
import { formVersion } from '../../platform/db/versioning.js';
import { RECORD_ID } from '../../platform/db/ids.js';
import { CAPTIONS_MAX_BYTES, headOf, isMp4, isUploadedFile, readCaptions, type UploadedFile } from './video-files.js';

export const SECTIONS = ['home', 'help', 'professionals', 'about'] as const;
export type Section = (typeof SECTIONS)[number];
export const LAYOUTS = ['standard', 'steps'] as const;
export type PageLayout = (typeof LAYOUTS)[number];

const languageCodes = LANGUAGES.map((language) => language.code) as [string, ...string[]];

/** Addresses of content pages: one path segment, lower case words joined by hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Paths the content pages may not take, because other parts of the site answer there.
 * Checked when an editor creates a page, so a page can never shadow the finder or staff sign-in.
 */
export const RESERVED_SLUGS = new Set(['app', 'api', 'assets', 'media', 'services', 'service', 'robots-txt', 'sitemap', 'home', 'search', 'call-back', 'callback']);

const trimmed = (max: number, empty: string, tooLong: string) => z.string({ error: empty }).trim().min(1, empty).max(max, tooLong);

export const pageTextForm = z.object({
  title: trimmed(120, 'Enter a title', 'Title must be 120 characters or fewer'),
  summary: trimmed(300, 'Enter a summary', 'Summary must be 300 characters or fewer'),
  body: trimmed(40_000, 'Enter the page text', 'Page text must be 40,000 characters or fewer'),
  changeNote: trimmed(200, 'Say what you changed, for the page history', 'Change note must be 200 characters or fewer'),
  /** The slug of the video to show, or `none`; left out, the page keeps the one it has. */
  video: z.string().trim().max(80).optional(),
  version: formVersion,
  /** The version of the text the form opened with: after someone else saves first, only what was changed from it is listed. */
  openedRevision: z
    .string()
    .optional()
    .transform((value) => (value && RECORD_ID.test(value) ? value : undefined)),
});
/** What is saved: which version the form opened matters only when someone else saved first. */
export type PageTextInput = Omit<z.infer<typeof pageTextForm>, 'openedRevision'>;

export const newPageForm = z.object({
  slug: z
    .string({ error: 'Enter the page address' })
    .trim()
    .toLowerCase()
    .min(1, 'Enter the page address')
    .max(60, 'Page address must be 60 characters or fewer')
    .regex(SLUG_PATTERN, 'Page address must use only lower case letters, numbers and hyphens, like staying-safe')
    .refine((slug) => !RESERVED_SLUGS.has(slug), 'That page address is used by another part of the site; choose another'),
  lang: z.enum(languageCodes, { error: 'Choose a language' }),
  section: z.enum(SECTIONS, { error: 'Choose where the page is listed' }),
});
export type NewPageInput = z.infer<typeof newPageForm>;

export const publishForm = z.object({ version: formVersion });

export const restoreForm = z.object({ version: formVersion });

const optionalText = (max: number, message: string) => z.string().trim().max(max, message).default('');

/**
 * A number a person in the UK can dial as shown: an emergency or short code (999, 101, 111), a 116 helpline, a full
 * number of 10 or 11 digits from 0, or any of those after the text relay prefix 18001. Every public page shows it.
 */
function isDiallable(digits: string): boolean {
  const number = digits.startsWith('18001') && digits.length > 5 ? digits.slice(5) : digits;
  return /^(?:[19]\d{2}|116\d{3}|0\d{9,10})$/.test(number);
}

export const helplineForm = z.object({
  displayNumber: z
    .string({ error: 'Enter the number as it should be shown' })
    .trim()
    .min(2, 'Enter the number as it should be shown')
    .max(40, 'Number must be 40 characters or fewer')
    .regex(/^[0-9 ]+$/, 'Number must contain only digits and spaces, like 0808 2000 247')
    .refine((number) => isDiallable(number.replace(/ /g, '')), 'Enter a whole UK number, like 0808 2000 247, a short one like 999 or 116 123, or a text relay number like 18001 101'),
  nameEn: trimmed(80, 'Enter the name of the line in English', 'Name in English must be 80 characters or fewer'),
  availabilityEn: optionalText(300, 'When it is open (English) must be 300 characters or fewer'),
  nameEasyRead: optionalText(80, 'Name in easy read must be 80 characters or fewer'),
  availabilityEasyRead: optionalText(300, 'When it is open (easy read) must be 300 characters or fewer'),
  namePl: optionalText(80, 'Name in Polish must be 80 characters or fewer'),
  availabilityPl: optionalText(300, 'When it is open (Polish) must be 300 characters or fewer'),
  sourceNote: trimmed(300, 'Say where the number comes from', 'Source must be 300 characters or fewer'),
  checked: z.enum(['yes', 'no'], { error: 'Say whether you have checked this number today' }),
  version: formVersion,
});
export type HelplineInput = z.infer<typeof helplineForm>;

/** Which button of the new-number check was pressed: none on the form itself. */
export const helplineStep = z.object({ step: z.enum(['confirmed', 'change']).optional().catch(undefined) });

/** The digits a tap-to-call link dials: the number as shown, without its spaces. */
export function dialOf(displayNumber: string): string {
  return displayNumber.replace(/\D/g, '');
}

/** Enough of an MP4 file to read the brands in its first box. */
const MP4_HEAD_BYTES = 4096;

/** A file field: the file, or the first thing wrong with it (none chosen, too big, not what it should be). */
function fileField<T>(check: (file: UploadedFile | undefined) => { value: T } | { problem: string }) {
  return z.unknown().transform((value, context) => {
    // A form sent with no file chosen still carries the field, with no name and nothing in it.
    const file = isUploadedFile(value) && (value.fileName !== '' || value.size > 0) ? value : undefined;
    const result = check(file);
    if ('value' in result) return result.value;
    context.addIssue({ code: 'custom', message: result.problem });
    return z.NEVER;
  });
}

export function videoUploadForm(maxMegabytes: number) {
  return z.object({
    description: trimmed(200, 'Say what the video shows', 'What the video shows must be 200 characters or fewer'),
    video: fileField<UploadedFile>((file) => {
      if (!file) return { problem: 'Select the video file' };
      if (file.truncated) return { problem: `The video must be ${String(maxMegabytes)} MB or smaller` };
      if (file.size === 0) return { problem: 'The selected video file is empty' };
      if (!isMp4(headOf(file, MP4_HEAD_BYTES))) return { problem: 'The video must be an MP4 file' };
      return { value: file };
    }),
    captions: fileField<string>((file) => {
      if (!file) return { problem: 'Select the captions file' };
      if (file.truncated || file.size > CAPTIONS_MAX_BYTES) return { problem: 'The captions file must be 1 MB or smaller' };
      if (file.size === 0) return { problem: 'The selected captions file is empty' };
      const captions = readCaptions(Buffer.concat(file.chunks));
      return 'text' in captions ? { value: captions.text } : captions;
    }),
  });
}
