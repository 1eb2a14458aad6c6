import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';

describe('rendering page text', () => {
  it('shows typed HTML as text, never as markup', () => {
    const { html } = renderMarkdown('Hello <script>alert(1)</script> <img src=x onerror=alert(1)>', 'en');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });

  it('drops links to javascript:, data: and other schemes, and keeps web, email, phone and our own pages', () => {
    const { html } = renderMarkdown(
      '[a](javascript:alert(1)) [b](data:text/html,x) [c](vbscript:x) [d](//evil.example/x) [e](https://www.gov.uk/x) [f](mailto:a@b.invalid) [g](tel:08082000247) [h](/clares-law) [i](sms:999)',
      'en',
    );
    expect(html).not.toMatch(/href="(javascript|data|vbscript):/);
    expect(html).not.toContain('href="//evil');
    expect(html).toContain('<a href="https://www.gov.uk/x" class="govuk-link" rel="noreferrer">e</a>');
    expect(html).toContain('href="mailto:a@b.invalid"');
    expect(html).toContain('href="tel:08082000247"');
    expect(html).toContain('href="sms:999"');
    expect(html).toContain('href="/clares-law"');
  });

  it('shows a picture as a link to it, named by its description, so pages stay light and load nothing from elsewhere', () => {
    const { html } = renderMarkdown('See ![a map of the town](https://maps.example/town.png) and ![](/media/leaflet.png).', 'pl');
    expect(html).not.toContain('<img');
    expect(html).toContain('See <a href="https://maps.example/town.png" class="govuk-link" rel="noreferrer">a map of the town</a> and <a href="/media/leaflet.png?lang=pl" class="govuk-link">/media/leaflet.png</a>.');
    expect(renderMarkdown('![x](javascript:alert(1))', 'en').html).not.toContain('href="javascript');
  });

  it("keeps the reader's language on links to our own pages", () => {
    expect(renderMarkdown('[Clare](/clares-law)', 'pl').html).toContain('href="/clares-law?lang=pl"');
    expect(renderMarkdown('[Clare](/clares-law)', 'easy-read').html).toContain('href="/clares-law?lang=easy-read"');
  });

  it('gives a heading with accented letters a plain section address', () => {
    expect(renderMarkdown('## Po odejściu\n\n## Małżeństwo przymusowe', 'pl').headings.map((heading) => heading.id)).toEqual(['po-odejsciu', 'małzenstwo-przymusowe']);
  });

  it('gives elements GOV.UK classes and makes the page title the only h1', () => {
    const { html, headings } = renderMarkdown('# Top\n\ntext\n\n## Step one\n\n- a\n\n1. b\n\n> note', 'en');
    expect(html).not.toContain('<h1');
    expect(html).toContain('<h2 class="govuk-heading-m" id="top">Top</h2>');
    expect(html).toContain('<p class="govuk-body">text</p>');
    expect(html).toContain('<ul class="govuk-list govuk-list--bullet">');
    expect(html).toContain('<ol class="govuk-list govuk-list--number">');
    expect(html).toContain('<blockquote class="govuk-inset-text">');
    expect(headings).toEqual([
      { id: 'top', text: 'Top' },
      { id: 'step-one', text: 'Step one' },
    ]);
  });

  it('gives repeated headings distinct anchors', () => {
    expect(renderMarkdown('## Help\n\n## Help', 'en').headings.map((heading) => heading.id)).toEqual(['help', 'help-2']);
  });

  it('never gives a heading an id the page itself uses, so the skip link and the help box keep their targets', () => {
    const { html, headings } = renderMarkdown('## Help now\n\n## Main content', 'en');
    expect(headings.map((heading) => heading.id)).toEqual(['help-now-2', 'main-content-2']);
    expect(html).not.toContain('id="help-now"');
    expect(html).not.toContain('id="main-content"');
  });

  it('writes no style attributes, which the content security policy would block', () => {
    expect(renderMarkdown('| a | b |\n|:--|--:|\n| 1 | 2 |', 'en').html).not.toContain('style=');
  });
});
