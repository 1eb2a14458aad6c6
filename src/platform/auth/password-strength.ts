import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

/**
 * zxcvbn-ts's score from 0 to 4; 3 and above resists an offline attack on a stolen, slowly hashed password. Below it
 * are common passwords and their variants, keyboard runs, repeats, dates, and the person's own name or address.
 */
const GOOD_ENOUGH = 3;

let estimator: Promise<ZxcvbnFactory> | undefined;

/** Loaded when a password is first chosen, not at start-up: the dictionaries are several megabytes. */
function loadEstimator(): Promise<ZxcvbnFactory> {
  estimator ??= (async () => {
    const [core, common, english] = await Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common'), import('@zxcvbn-ts/language-en')]);
    // The library's words for a password built from the person's details are not plain English.
    const translations = { ...english.translations, warnings: { ...english.translations.warnings, userInputs: 'Your name and email address are easy to guess.' } };
    return new core.ZxcvbnFactory({ dictionary: { ...common.dictionary, ...english.dictionary }, graphs: common.adjacencyGraphs, translations });
  })();
  return estimator;
}

/**
 * Why a new password would be easy to guess, in words for the person choosing it, or undefined when it would not
 * (NCSC: refuse the passwords attackers try first). `personal` holds their own details: name and email address.
 */
export async function easyToGuess(password: string, personal: readonly string[]): Promise<string | undefined> {
  const details = personal.map((detail) => detail.toLowerCase());
  const words = [...details, ...details.flatMap((detail) => detail.split(/[^\p{L}\p{N}]+/u))].filter((word) => word.length >= 3);
  const result = (await loadEstimator()).check(password, words);
  if (result.score >= GOOD_ENOUGH) return undefined;
  const why = result.feedback.warning ? ` ${result.feedback.warning}` : '';
  return `Choose a password that is harder to guess.${why} Three or more random words together make a strong password.`;
}
