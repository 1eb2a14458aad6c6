import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, startBrowserRig, type BrowserRig } from './support/browser.js';
import { expectPageShown, signInAs } from './support/pages.js';

/** Administration and audit pages, as a system administrator and an auditor use them, with axe on every page. */
describe('administration and audit in a browser', () => {
  let rig: BrowserRig;
  beforeAll(async () => {
    rig = await startBrowserRig();
  });
  afterAll(() => rig.close());

  const signedIn = (email: string) => signInAs(rig, email);
  const shown = expectPageShown;

  it('invites a user, changes their roles and disables the account', { timeout: 180_000 }, async () => {
    const page = await signedIn('admin@demo.invalid');
    await page.getByRole('navigation').getByRole('link', { name: 'Administration' }).click();
    await shown(page, 'Administration');
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await shown(page, 'Users');
    // The table's box is a tab stop only while the table is wider than the screen, so the keyboard can scroll it.
    const usersTable = page.getByRole('region', { name: 'Users' });
    await page.setViewportSize({ width: 320, height: 800 });
    await expect.poll(() => usersTable.getAttribute('tabindex')).toBe('0');
    await expectNoAxeViolations(page);
    await page.setViewportSize({ width: 1600, height: 900 });
    await expect.poll(() => usersTable.getAttribute('tabindex')).toBeNull();
    await page.getByRole('button', { name: 'Invite a user' }).click();
    await shown(page, 'Invite a user');

    await page.getByLabel('Full name').fill('Synthetic Browser Invitee');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
    expect(await page.title()).toMatch(/^Error: /);
    await expectNoAxeViolations(page);
    expect(await page.getByLabel('Full name').inputValue()).toBe('Synthetic Browser Invitee');

    await page.getByLabel('Work email address').fill('browser.invitee@demo.invalid');
    await page.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Kent Police' });
    await page.getByRole('checkbox', { name: 'Practitioner' }).check();
    await page.getByRole('button', { name: 'Send invitation' }).click();
    await shown(page, 'Synthetic Browser Invitee');
    expect(await page.getByRole('alert', { name: 'Success' }).textContent()).toContain('Invitation sent');

    await page.getByRole('link', { name: 'Change roles' }).click();
    await shown(page, 'Change roles');
    await page.getByRole('checkbox', { name: 'Directory and content editor' }).check();
    await page.getByRole('button', { name: 'Save roles' }).click();
    await shown(page, 'Synthetic Browser Invitee');
    expect(await page.getByRole('alert', { name: 'Success' }).textContent()).toContain('Roles updated');

    await page.getByRole('button', { name: 'Disable account' }).click();
    await shown(page, 'Disable Synthetic Browser Invitee’s account');
    await page.getByRole('button', { name: 'Disable account' }).click();
    await shown(page, 'Synthetic Browser Invitee');
    expect(await page.getByRole('alert', { name: 'Success' }).textContent()).toContain('Account disabled');
    expect((await rig.platform.services.users.findByEmail('browser.invitee@demo.invalid'))?.status).toBe('disabled');

    await page.goto('/app/admin/organisations');
    await shown(page, 'Organisations');
    await page.getByRole('link', { name: 'Change Swale Borough Council' }).click();
    await shown(page, 'Change Swale Borough Council');
    await page.getByLabel('Name', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('alert').filter({ hasText: 'Enter the name of the organisation' }).waitFor();
    await expectNoAxeViolations(page);

    for (const [path, heading] of [
      ['/app/admin/areas', 'Areas'],
      ['/app/admin/areas/swale/edit', 'Change Swale'],
      ['/app/admin/postcode-districts?area=swale', 'Postcode districts'],
      ['/app/admin/postcode-districts/ME10/edit', 'Areas covered by ME10'],
    ] as const) {
      await page.goto(path);
      await shown(page, heading);
    }
    expect(rig.problems).toEqual([]);
  });

  it('lets an auditor search, check and export the trail', { timeout: 120_000 }, async () => {
    const page = await signedIn('auditor@demo.invalid');
    await page.getByRole('navigation').getByRole('link', { name: 'Audit trail' }).click();
    await shown(page, 'Audit trail');
    await page.getByLabel('Action').selectOption({ label: 'Completed the second factor (SIGN_IN_SECOND_FACTOR)' });
    await page.getByRole('button', { name: 'Search' }).click();
    await shown(page, 'Audit trail');
    expect(await page.getByRole('heading', { level: 2, name: /events? match/ }).textContent()).toMatch(/[1-9]\d* events? match/);

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: /as a spreadsheet \(CSV\)/ }).click();
    expect((await download).suggestedFilename()).toMatch(/^audit-events-.*\.csv$/);

    await page.getByLabel('From').fill('31/02/2026');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('alert').filter({ hasText: 'The start date must be a real date' }).waitFor();
    await expectNoAxeViolations(page);

    await page.goto('/app/audit');
    await page.getByRole('button', { name: 'Check the whole trail now' }).click();
    await shown(page, /^Verified: [\d,]+ events, no gaps/);
    expect(rig.problems).toEqual([]);
  });
});
