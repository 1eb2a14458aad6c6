/** The most any request body may hold (a form, a JSON document): far above any form's answers, far below harm. */
export const BODY_LIMIT_BYTES = 256 * 1024;
