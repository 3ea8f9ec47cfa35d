import { expect, test, type Page } from '@playwright/test';
import { addMember, sessionCount, signInElsewhere, signUp } from './support/api';
import { screenshot, signInThroughUi } from './support/ui';

async function openSecurity(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Session policy' }).click();
  await expect(page).toHaveURL(/\/security$/);
}

test('an owner alone sees one person signed in, tagged (you), and no "everyone except me"', async ({ page }) => {
  const owner = await signUp('alone');
  await signInThroughUi(page, owner.email, owner.password);
  await openSecurity(page);

  await expect(page.getByText('1 person is signed in.')).toBeVisible();
  const table = page.getByRole('table', { name: 'Active users' });
  await expect(table.getByRole('row').filter({ hasText: owner.email })).toContainText(`${owner.name} (you)`);
  await expect(page.getByRole('button', { name: 'Sign out everyone, including me' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign out everyone except me' })).toHaveCount(0);
});

test('"everyone except me" keeps all the owner’s devices; "everyone, including me" shows the count, then signs out without an expiry banner', async ({
  page,
}) => {
  test.slow(); // two dialogs, three sign-ins and a sign-out on a shared two-core machine
  const owner = await signUp('bulk');
  const ownerPhone = await signInElsewhere(owner.email, owner.password);
  const member = await addMember(owner.accessToken, 'Sam Member');
  const memberLaptop = await signInElsewhere(member.email, member.password);
  await signInThroughUi(page, owner.email, owner.password);
  await openSecurity(page);

  await expect(page.getByText('2 people are signed in.')).toBeVisible();
  const table = page.getByRole('table', { name: 'Active users' });
  await expect(table.getByRole('row').filter({ hasText: member.email })).not.toContainText('(you)');
  await expect(table.getByRole('row').filter({ hasText: owner.email })).toContainText('(you)');
  // signup, the phone and this browser: three devices; the member's laptop: one
  await expect(table.getByRole('row').filter({ hasText: owner.email })).toContainText('3 devices');
  await expect(table.getByRole('row').filter({ hasText: member.email })).toContainText('1 device');
  await screenshot(page, '18-active-users-two');

  // The dialog says what happens, and Cancel changes nothing.
  const others = page.getByRole('button', { name: 'Sign out everyone except me' });
  await others.click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Sign out everyone except you?');
  await expect(dialog).toContainText('Everyone else in your account is signed out on every device');
  await expect(dialog).toContainText('You stay signed in on all your devices.');
  await screenshot(page, '19-revoke-others-confirm');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  expect(await sessionCount(memberLaptop)).toBe(1);

  await others.click();
  await dialog.getByRole('button', { name: 'Sign out everyone else' }).click();
  const snackBar = page.locator('mat-snack-bar-container');
  await expect(snackBar).toContainText("Signed out 1 session of other people. You're still signed in on all your devices.");
  await expect(page.getByText('1 person is signed in.')).toBeVisible();
  await expect(others).toHaveCount(0);
  // Every device of the owner is still signed in (signup, phone, this browser); the member's is not.
  expect(await sessionCount(ownerPhone)).toBe(3);
  await expect(sessionCount(memberLaptop)).rejects.toThrow(/401/);

  // Everyone, including me.
  await page.getByRole('button', { name: 'Sign out everyone, including me' }).click();
  await expect(dialog.getByRole('heading')).toHaveText('Sign out everyone, including you?');
  await expect(dialog).toContainText('yours too on every device');
  await screenshot(page, '20-revoke-all-confirm');
  const revoked = page.waitForResponse((r) => r.url().endsWith('/api/accounts/me/security/revoke-sessions') && r.status() === 200);
  await dialog.getByRole('button', { name: 'Sign out everyone' }).click();
  await revoked;
  // The result is readable here first (the 1.5 s pause is not timed by this test)…
  // (The previous message may still be leaving: look for this one by its text.)
  await expect(snackBar.filter({ hasText: 'Signed out 3 sessions, including yours.' })).toBeVisible();
  await screenshot(page, '21-revoke-all-done');
  // …then this browser signs out, with no expiry banner.
  await expect(page).toHaveURL(/\/login\?reason=signed_out_everywhere$/);
  await expect(page.locator('.notice')).toHaveText('You signed out everyone in your account, including this browser.');
  await expect(page.locator('.notice--warn')).toHaveCount(0);
  await expect(sessionCount(ownerPhone)).rejects.toThrow(/401/);
});
