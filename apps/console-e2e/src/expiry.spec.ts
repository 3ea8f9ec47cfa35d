import { expect, test } from '@playwright/test';
import { setPolicy, signUp } from './support/api';
import { screenshot, signInThroughUi } from './support/ui';

test('the expiry toast warns before the idle deadline, and the session ends with the reason', async ({ page }) => {
  // A short policy (idle 15 min, absolute 60 min) on an account of its own.
  const owner = await signUp('expiry');
  await setPolicy(owner.accessToken, 15, 60);

  await page.clock.install();
  await signInThroughUi(page, owner.email, owner.password);
  const toast = page.locator('mat-snack-bar-container');
  await expect(toast).toHaveCount(0);

  // 11 minutes without activity: 4 left before the idle deadline.
  await page.clock.fastForward('11:00');
  await expect(toast).toContainText(/Your session ends in [45] min \(inactivity\)/);
  await screenshot(page, '11-expiry-toast');

  // "Stay signed in" refreshes, which moves the idle deadline.
  await toast.getByRole('button', { name: 'Stay signed in' }).click();
  await expect(toast).toHaveCount(0);

  // Then 16 idle minutes: the session is over and the sign-in page says why.
  await page.clock.fastForward('16:00');
  await expect(page).toHaveURL(/\/login\?reason=session_expired_idle/);
  await expect(page.getByText('signed out because your session was inactive for too long')).toBeVisible();
  await screenshot(page, '12-expired-idle');
});

test('near the absolute deadline the toast says when the session ends, and refreshing is not offered', async ({ page }) => {
  // Idle = absolute = 60 min: the absolute deadline comes first (or together), so the reason is "absolute".
  const owner = await signUp('absolute');
  await setPolicy(owner.accessToken, 60, 60);

  await page.clock.install();
  await signInThroughUi(page, owner.email, owner.password);
  await page.clock.fastForward('56:00');
  const toast = page.locator('mat-snack-bar-container');
  await expect(toast).toContainText(/Your session reaches its maximum length at \d\d:\d\d — sign in again to continue/);
  await expect(toast.getByRole('button', { name: 'Stay signed in' })).toHaveCount(0);
  await screenshot(page, '13-expiry-absolute-toast');

  await page.clock.fastForward('05:00');
  await expect(page).toHaveURL(/\/login\?reason=session_expired_absolute/);
  await expect(page.getByText('Your session reached its maximum length.')).toBeVisible();
});
