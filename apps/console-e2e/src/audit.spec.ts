import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { addMember, signInTimes, signUp } from './support/api';
import { screenshot, signInThroughUi } from './support/ui';

test('the audit log pages past 50 events, filters by action, actor and day, and exports what it shows as CSV', async ({ page }) => {
  test.slow(); // 60 sign-ins through the API first
  const owner = await signUp('audit');
  const sam = await addMember(owner.accessToken, 'Sam Member');
  await signInTimes(owner.email, owner.password, 55);
  await signInTimes(sam.email, sam.password, 3);
  await signInThroughUi(page, owner.email, owner.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(page).toHaveURL(/\/audit$/);

  // signup + member.added + 55 + 3 + this sign-in = 61 events: two pages of 50.
  const rows = page
    .getByRole('table', { name: 'Audit events' })
    .getByRole('row')
    .filter({ has: page.getByRole('cell') });
  await expect(rows).toHaveCount(50);
  // Absolute time with the relative one beside it.
  await expect(rows.first().locator('time')).toHaveText(/\d{4}/);
  await expect(rows.first()).toContainText('just now');
  await screenshot(page, '40-audit-first-page');
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(rows).toHaveCount(61);
  await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0);
  await expect(rows.last()).toContainText('Signed in');

  // By actor: Sam's three sign-ins only.
  await page.getByRole('combobox', { name: 'By' }).click();
  await page.getByRole('option', { name: new RegExp(sam.email) }).click();
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText(sam.email);

  // And by action: Sam added no member.
  await page.getByRole('combobox', { name: 'Action' }).click();
  await page.getByRole('option', { name: 'Member added' }).click();
  await expect(page.getByText('No events match these filters.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(rows).toHaveCount(50);

  // A day range that ends before today shows nothing; one that includes today shows all.
  await page.getByLabel('To').fill('2020-01-01');
  await page.getByLabel('To').dispatchEvent('change');
  await expect(page.getByText('No events match these filters.')).toBeVisible();
  const today = new Date().toISOString().slice(0, 10);
  await page.getByLabel('To').fill(today);
  await page.getByLabel('To').dispatchEvent('change');
  await page.getByLabel('From').fill(today);
  await page.getByLabel('From').dispatchEvent('change');
  await expect(rows).toHaveCount(50);

  // Export of the filtered log (the owner's member.added only) as a CSV download.
  await page.getByRole('combobox', { name: 'Action' }).click();
  await page.getByRole('option', { name: 'Member added' }).click();
  await expect(rows).toHaveCount(1);
  await page.getByRole('button', { name: 'Export' }).click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('menuitem', { name: /^CSV/ }).click()]);
  expect(download.suggestedFilename()).toMatch(/^audit-events-\d{8}T\d{6}Z\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\r\n');
  expect(csv).toHaveLength(2);
  expect(csv[0]).toBe('id,occurred_at,action,actor_user_id,actor_email,resource_type,resource_id,ip,user_agent,details');
  expect(csv[1]).toContain('"member.added"');
  expect(csv[1]).toContain(`"${owner.email}"`);

  const [ndjson] = await Promise.all([
    page.waitForEvent('download'),
    page
      .getByRole('button', { name: 'Export' })
      .click()
      .then(() => page.getByRole('menuitem', { name: /^NDJSON/ }).click()),
  ]);
  const lines = readFileSync(await ndjson.path(), 'utf8')
    .trim()
    .split('\n');
  expect(lines.map((line) => (JSON.parse(line) as { action: string }).action)).toEqual(['member.added']);
});
