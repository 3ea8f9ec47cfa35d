import { expect, test } from '@playwright/test';
import { sessionCount, signInElsewhere, signUp } from './support/api';
import { screenshot, signInThroughUi } from './support/ui';

test('the owner signs out another device, then all other devices', async ({ page }) => {
  const owner = await signUp('devices'); // signing up is a session too (a script)
  const phone = await signInElsewhere(owner.email, owner.password);
  await signInThroughUi(page, owner.email, owner.password);

  const rows = page.getByRole('list', { name: 'Signed-in devices' }).getByRole('listitem');
  await expect(rows).toHaveCount(3);
  const phoneRow = rows.filter({ hasText: 'iPhone' });
  await expect(phoneRow).toContainText('last active');
  await screenshot(page, '04-devices-three');

  await phoneRow.getByRole('button', { name: /^Sign out/ }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('will need to sign in again');
  await screenshot(page, '05-devices-confirm');
  await dialog.getByRole('button', { name: 'Sign out device' }).click();
  await expect(rows).toHaveCount(2);
  const snackBar = page.locator('mat-snack-bar-container');
  await expect(snackBar).toContainText('Signed out Safari on iPhone.');
  await expect(signInElsewhere(owner.email, owner.password).then(() => 'ok')).resolves.toBe('ok');
  await page.reload();
  await expect(rows).toHaveCount(3); // the sign-in just above is a new device

  await page.getByRole('button', { name: 'Sign out all other devices' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Sign out others' }).click();
  await expect(snackBar).toContainText('Signed out 2 other devices.');
  await expect(rows).toHaveCount(1);
  await expect(page.getByText("You're not signed in anywhere else.")).toBeVisible();
  await screenshot(page, '06-devices-alone');

  // The revoked phone token no longer works once its session is gone.
  await expect(sessionCount(phone)).rejects.toThrow(/401/);
});
