import { describe, expect, it } from 'vitest';
import { createViewEnvironment } from './nunjucks.js';

const views = createViewEnvironment([]);
const navigation = (active: string) =>
  views.renderString(
    `{% from "govuk/components/service-navigation/macro.njk" import govukServiceNavigation %}{{ govukServiceNavigation({ navigation: items }) }}`,
    { items: ['/app', '/app/referrals'].map((href) => ({ href, text: href, active: href === active })) },
  );
const currentItem = (html: string) => /<li class="govuk-service-navigation__item govuk-service-navigation__item--active">\s*<a[^>]*href="([^"]+)"/.exec(html)?.[1];

describe('page furniture kept between renders', () => {
  it('marks the page the reader is on, whichever page was rendered before', () => {
    expect(currentItem(navigation('/app'))).toBe('/app');
    expect(currentItem(navigation('/app/referrals'))).toBe('/app/referrals');
    expect(currentItem(navigation('/app'))).toBe('/app');
  });

  it('tells text to escape from text marked safe with the same characters, under the same parameter', () => {
    const button = (filter: string) => views.renderString(`{% from "govuk/components/button/macro.njk" import govukButton %}{{ govukButton({ text: label${filter} }) }}`, { label: '<b>Send</b>' });
    expect(button('')).toContain('&lt;b&gt;Send&lt;/b&gt;');
    expect(button(' | safe')).toContain('<b>Send</b>');
    expect(button('')).toContain('&lt;b&gt;Send&lt;/b&gt;');
  });

  it('renders afresh what cannot be keyed, rather than failing the page', () => {
    const looped: Record<string, unknown> = { text: 'Continue' };
    looped['self'] = looped;
    const tag = views.renderString(`{% from "govuk/components/tag/macro.njk" import govukTag %}{{ govukTag(params) }}`, { params: looped });
    expect(tag).toContain('Continue');
  });
});
