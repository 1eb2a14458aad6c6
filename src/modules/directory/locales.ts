import { createTranslator, loadCatalogues, localesOf } from '../../platform/i18n/translator.js';

/** The directory's translation files (keys prefixed `directory.`). */
export const DIRECTORY_LOCALES = localesOf(import.meta.url);

/** For text built outside a template, such as form errors, in the reader's language. */
export const directoryTranslator = createTranslator(loadCatalogues([DIRECTORY_LOCALES]));
