import { expect, test, type Page } from '@playwright/test';
import { addMember, changePassword, revokeAccountSessions, revokeOtherSessions, signInElsewhere, signUp } from './support/api';
import { screenshot, signInThroughUi } from './support/ui';

const notice = (page: Page) => page.locator('.notice');
const expiryNotice = (page: Page) => page.locator('.notice--warn');

test('the sign-in page explains the generic reason and each specific one, and nothing for an unknown one', async ({ page }) => {
  test.slow(); // a dozen page loads on a shared two-core machine
  const reasons: [string, string][] = [
    ['session_expired', 'Your session has ended. Sign in again to continue.'],
    ['session_expired_idle', 'inactive for too long'],
    ['session_expired_absolute', 'Your session reached its maximum length.'],
    ['invalid_refresh_token', 'Your session is no longer valid.'],
    ['signed_out_elsewhere', 'You were signed out from another device.'],
    ['revoked_by_owner', "You were signed out by your account's owner."],
    ['role_changed', "your account's owner changed your role"],
    ['user_deactivated', "your account's owner deactivated your access"],
    ['password_changed', 'because your password was changed'],
    ['refresh_reuse', 'You were signed out for your security'],
    ['session_limit', 'you signed in on too many devices'],
  ];
  for (const [reason, text] of reasons) {
    await page.goto(`/login?reason=${reason}`);
    await expect(expiryNotice(page)).toContainText(text);
    if (reason === 'session_expired') {
      await screenshot(page, '15-login-session-expired');
    }
  }

  // The API's own names of the deadlines work too.
  await page.goto('/login?reason=expired_idle');
  await expect(expiryNotice(page)).toContainText('inactive for too long');

  await page.goto('/login?reason=%3Cscript%3E');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(notice(page)).toHaveCount(0);
  await page.goto('/login');
  await expect(notice(page)).toHaveCount(0);
});

test('a device signed out from another of its user’s devices, then reloaded, says so on the sign-in page', async ({ page }) => {
  const owner = await signUp('elsewhere');
  await signInThroughUi(page, owner.email, owner.password);
  const phone = await signInElsewhere(owner.email, owner.password);
  expect(await revokeOtherSessions(phone)).toBeGreaterThanOrEqual(1);

  await page.reload();
  await expect(page).toHaveURL(/\/login\?.*reason=signed_out_elsewhere/);
  await expect(expiryNotice(page)).toContainText('You were signed out from another device.');
  await screenshot(page, '16-login-signed-out-elsewhere');
});

test('a member signed out by the owner, then by a password change, is told each time after a reload', async ({ page }) => {
  const owner = await signUp('by-owner');
  const member = await addMember(owner.accessToken);

  await signInThroughUi(page, member.email, member.password);
  expect(await revokeAccountSessions(owner.accessToken, 'others')).toBeGreaterThanOrEqual(1);
  await page.reload();
  await expect(page).toHaveURL(/\/login\?.*reason=revoked_by_owner/);
  await expect(expiryNotice(page)).toContainText("You were signed out by your account's owner.");
  await screenshot(page, '17-login-revoked-by-owner');

  await signInThroughUi(page, member.email, member.password);
  const laptop = await signInElsewhere(member.email, member.password);
  await changePassword(laptop, member.password, `${member.password}-new`);
  await page.reload();
  await expect(page).toHaveURL(/\/login\?.*reason=password_changed/);
  await expect(expiryNotice(page)).toContainText('because your password was changed');
});

test('signing out here shows no expiry banner, before or after a reload', async ({ page }) => {
  const owner = await signUp('local');
  await signInThroughUi(page, owner.email, owner.password);
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await expect(page).toHaveURL(/\/login\?reason=signed_out$/);
  await expect(notice(page)).toHaveText('You signed out.');
  await expect(expiryNotice(page)).toHaveCount(0);

  // The refresh cookie is gone: a fresh visit has nothing to explain.
  await page.goto('/devices');
  await expect(page).toHaveURL(/\/login\?next=%2Fdevices$/);
  await expect(notice(page)).toHaveCount(0);
});
