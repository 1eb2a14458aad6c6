import MarkdownIt from 'markdown-it';
import Token from 'markdown-it/lib/token.mjs';
import { localHref, type LanguageCode } from '../../platform/i18n/translator.js';

/**
 * Page text is Markdown written by partnership staff. Raw HTML is switched off (typed HTML shows as text), a
 * picture becomes a link to it named by its description (pages stay light and load nothing else), and links may
 * only go to web pages, email, phone numbers or our own pages. Elements get GOV.UK classes here, so the stored text
 * stays plain.
 */
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: true });

const SAFE_LINK = /^(https?:\/\/|mailto:|tel:|sms:|\/(?!\/)|#)/i;
markdown.validateLink = (url: string) => SAFE_LINK.test(url.trim());

const CLASSES: Record<string, string> = {
  paragraph_open: 'govuk-body',
  bullet_list_open: 'govuk-list govuk-list--bullet',
  ordered_list_open: 'govuk-list govuk-list--number',
  blockquote_open: 'govuk-inset-text',
  table_open: 'govuk-table',
  thead_open: 'govuk-table__head',
  tbody_open: 'govuk-table__body',
  tr_open: 'govuk-table__row',
  th_open: 'govuk-table__header',
  td_open: 'govuk-table__cell',
  hr: 'govuk-section-break govuk-section-break--l govuk-section-break--visible',
};

const HEADING_CLASSES: Record<string, string> = { h2: 'govuk-heading-m', h3: 'govuk-heading-s', h4: 'govuk-heading-s' };

export interface RenderedPage {
  readonly html: string;
  /** The second-level headings, for a "Contents" list on long pages. */
  readonly headings: readonly { readonly id: string; readonly text: string }[];
}

/** Ids the public pages give their own parts: a heading in the text called "Help now" must not take the help box's place. */
const PAGE_IDS = ['main-content', 'help-now', 'help-now-heading', 'contents-heading', 'finder-heading', 'transcript-heading'];

export function renderMarkdown(source: string, lang: LanguageCode): RenderedPage {
  const tokens = markdown.parse(source, {});
  const headings: { id: string; text: string }[] = [];
  const used = new Set<string>(PAGE_IDS);
  tokens.forEach((token, index) => {
    if (token.type === 'heading_open') styleHeading(token, tokens[index + 1], tokens[index + 2], headings, used);
    const className = CLASSES[token.type];
    if (className) token.attrJoin('class', className);
    // Column alignment comes out as a style attribute, which the content security policy forbids.
    if (token.attrs) token.attrs = token.attrs.filter(([name]) => name !== 'style');
    if (token.type === 'inline' && token.children) {
      token.children = token.children.flatMap(asLink);
      token.children.forEach((child) => { styleLink(child, lang); });
    }
  });
  return { html: markdown.renderer.render(tokens, markdown.options, {}), headings };
}

/** The page title is the only h1: a heading in the text starts at h2. */
function styleHeading(
  token: Token,
  inline: Token | undefined,
  closing: Token | undefined,
  headings: { id: string; text: string }[],
  used: Set<string>,
): void {
  if (token.tag === 'h1') token.tag = 'h2';
  if (token.tag === 'h5' || token.tag === 'h6') token.tag = 'h4';
  if (closing?.type === 'heading_close') closing.tag = token.tag;
  token.attrJoin('class', HEADING_CLASSES[token.tag] ?? 'govuk-heading-s');
  if (token.tag !== 'h2' || !inline) return;
  const text = inline.content;
  const id = uniqueId(text, used);
  token.attrSet('id', id);
  headings.push({ id, text });
}

function uniqueId(text: string, used: Set<string>): string {
  // Accents come off (NFKD splits "ą" into "a" and a mark): "Po odejściu" is #po-odejsciu, not #po-odejs-ciu.
  const base = text.toLowerCase().normalize('NFKD').replace(/\p{Mark}/gu, '').replace(/[^\p{Letter}\p{Number}]+/gu, '-').replace(/^-|-$/g, '') || 'section';
  let id = base;
  for (let n = 2; used.has(id); n += 1) id = `${base}-${String(n)}`;
  used.add(id);
  return id;
}

/** A picture, `![description](address)`, as a link to it named by its description (or by its address, if none). */
function asLink(token: Token): Token[] {
  if (token.type !== 'image') return [token];
  const href = token.attrGet('src') ?? '';
  const open = new Token('link_open', 'a', 1);
  open.attrSet('href', href);
  const text = new Token('text', '', 0);
  text.content = token.content || href;
  return [open, text, new Token('link_close', 'a', -1)];
}

function styleLink(token: Token, lang: LanguageCode): void {
  if (token.type !== 'link_open') return;
  token.attrJoin('class', 'govuk-link');
  const href = token.attrGet('href') ?? '';
  // Our own pages keep the reader's language; other sites are told nothing about where the reader came from.
  if (href.startsWith('/')) token.attrSet('href', localHref(lang, href));
  else if (/^https?:/i.test(href)) token.attrSet('rel', 'noreferrer');
}
