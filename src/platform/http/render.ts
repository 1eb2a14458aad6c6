import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type nunjucks from 'nunjucks';
import type { Csrf } from './csrf.js';
import type { FormErrors } from '../views/form-errors.js';
import { onProfessionalSide } from './surfaces.js';
import { DEFAULT_LANGUAGE, isLanguage, langAttribute, type LanguageCode, languageOf, LANGUAGES, localHref, type Translator } from '../i18n/translator.js';

/** Extra context every page of a surface needs (navigation, the signed-in person); modules add their own. */
export type PageContextProvider = (request: FastifyRequest) => Record<string, unknown>;

export interface RenderOptions {
  readonly views: nunjucks.Environment;
  readonly csrf: Csrf;
  readonly pageContext: PageContextProvider;
  readonly translator: Translator;
}

/** The reader's language, from `?lang=` on the address; anything unknown is English. */
export function requestLanguage(request: FastifyRequest): LanguageCode {
  // An address on the professional side edited to ask for Polish must not mislabel its English.
  if (onProfessionalSide(request)) return DEFAULT_LANGUAGE;
  const asked = (request.query as Record<string, unknown> | undefined)?.['lang'];
  // "?lang=pl&lang=pl" (a link copied twice over) still asks for Polish.
  const requested: unknown = Array.isArray(asked) ? asked[0] : asked;
  return isLanguage(requested) ? requested : DEFAULT_LANGUAGE;
}

/**
 * reply.render: the only way a page is produced. The CSRF token is a function so that a page without a form
 * never sets the anonymous form cookie (the public site sets no cookie unless a form needs one).
 */
export function registerRendering(app: FastifyInstance, options: RenderOptions): void {
  // Page-wide values a module adds in a hook (the public help-now numbers, say), for every page of its surface.
  app.decorateRequest('pageLocals', undefined);
  app.decorateReply('render', function render(this: FastifyReply, template: string, context: Record<string, unknown> = {}) {
    const request = this.request;
    const lang = requestLanguage(request);
    const currentPath = request.url.split('?')[0] ?? '/';
    const html = options.views.render(template, {
      ...options.pageContext(request),
      cspNonce: request.cspNonce,
      csrfToken: () => options.csrf.tokenFor(request, this),
      currentPath,
      lang,
      htmlLang: languageOf(lang).htmlLang,
      /** For text kept only in English (the directory's records) on a page in another language: ` lang="en"`. */
      inEnglish: langAttribute('en', lang) ? ' lang="en"' : '',
      languages: LANGUAGES,
      t: options.translator.forLanguage(lang),
      href: (target: string, params?: Record<string, string | undefined>) => localHref(lang, target, params),
      /**
       * This same page in another language: the language switcher. Not its query, which anyone can write into a link
       * (a postcode, a phone number) and which no page reads but the finder's, which gives its own.
       */
      languageHref: (code: LanguageCode) => localHref(code, currentPath),
      ...request.pageLocals,
      ...context,
    });
    return this.type('text/html; charset=utf-8').send(html);
  });

  app.decorateReply('renderForm', function renderForm(this: FastifyReply, template: string, errors: FormErrors, context: Record<string, unknown> = {}) {
    return this.code(400).render(template, { ...context, errors });
  });
}
