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

  it('tells an escaped text from trusted markup with the same characters', () => {
    const button = (params: string) => views.renderString(`{% from "govuk/components/button/macro.njk" import govukButton %}{{ govukButton(${params}) }}`, {});
    expect(button(`{ text: "<b>Send</b>" }`)).toContain('&lt;b&gt;Send&lt;/b&gt;');
    expect(button(`{ html: "<b>Send</b>" }`)).toContain('<b>Send</b>');
    expect(button(`{ text: "<b>Send</b>" }`)).toContain('&lt;b&gt;Send&lt;/b&gt;');
  });
});
