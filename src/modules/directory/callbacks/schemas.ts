import { z } from 'zod';
import { PHONE_MAX_LENGTH, phoneField } from '../../../platform/phone-text.js';
import { SAFE_TIME_OPTIONS } from './service.js';

const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .transform((value) => value || null)
    .optional()
    .transform((value) => value ?? null);

const isSafeTime = (value: string): value is (typeof SAFE_TIME_OPTIONS)[number] => (SAFE_TIME_OPTIONS as readonly string[]).includes(value);

/** A checkbox group arrives as nothing, one string or several; a value that is not one of its boxes is the group's error. */
const checkboxes = z.preprocess(
  (value) => (value === undefined ? [] : [value].flat()),
  z
    .array(z.string())
    .refine((values) => values.every(isSafeTime), 'directory.callback.error.times')
    .transform((values) => values.filter(isSafeTime)),
);

/** The public call-back form. Messages are translation keys: the page words them in the reader's language. */
export const callbackForm = z
  // In the order of the page, which the error summary follows.
  .object({
    phone: phoneField(
      z
        .string({ error: 'directory.callback.error.phone' })
        .min(1, 'directory.callback.error.phone')
        .max(PHONE_MAX_LENGTH, 'directory.callback.error.phoneFormat')
        .refine((value) => /^\+?[\d\s().-]+$/.test(value) && /^\d{10,15}$/.test(value.replace(/\D/g, '')), 'directory.callback.error.phoneFormat'),
    ),
    safeTimes: checkboxes,
    safeTimesDetail: optionalText(500, 'directory.callback.error.timesDetail'),
    leaveMessage: z.enum(['yes', 'no'], { message: 'directory.callback.error.message' }),
    name: optionalText(100, 'directory.callback.error.name'),
    safeWord: optionalText(50, 'directory.callback.error.safeWord'),
    notes: optionalText(1000, 'directory.callback.error.notes'),
  })
  // Checked even when other answers are wrong, so the person sees every problem at once.
  .refine((form) => (Array.isArray(form.safeTimes) && form.safeTimes.length > 0) || Boolean(form.safeTimesDetail), {
    message: 'directory.callback.error.times',
    path: ['safeTimes'],
    when: () => true,
  });

export type CallbackForm = z.infer<typeof callbackForm>;
