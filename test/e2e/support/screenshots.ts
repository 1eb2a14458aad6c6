/**
 * Retakes the README screenshots (docs/screenshots/*.png) from a freshly seeded platform in headless Chromium:
 * `npm run screenshots`. Every page photographed also passes axe, like any page a browser test visits.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { currentTotpCode } from '../../../src/platform/auth/totp.js';
import { DEMO_PASSWORD } from '../../../src/platform/seed/demo-users.js';
import { persona } from '../../support/visitor.js';
import { expectNoAxeViolations, startBrowserRig } from './browser.js';
import { CodePage, SignInPage } from './pages.js';

const folder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/screenshots');

const rig = await startBrowserRig();
try {
  const page = await rig.newPage();
  await page.setViewportSize({ width: 1200, height: 860 });
  const shoot = async (name: string) => {
    await expectNoAxeViolations(page);
    await page.screenshot({ path: path.join(folder, `${name}.png`) });
    process.stdout.write(`docs/screenshots/${name}.png  ${page.url().replace(rig.baseUrl, '')}\n`);
  };

  await page.goto('/');
  await shoot('public-home');
  await page.goto('/services?location=Maidstone&need=');
  await shoot('public-services');

  await signInAs(page, 'service@demo.invalid');
  await shoot('professional-home');
  await page.goto('/app/inbox');
  await shoot('professional-inbox');
} finally {
  await rig.close();
}

async function signInAs(page: Page, email: string): Promise<void> {
  const signIn = await SignInPage.open(page);
  await signIn.signIn(email, DEMO_PASSWORD);
  await new CodePage(page).enterCode(currentTotpCode(persona(email).totpSecret));
  await page.waitForURL(/\/app$/);
}
