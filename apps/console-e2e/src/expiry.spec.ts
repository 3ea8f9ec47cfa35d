import { expect, test } from '@playwright/test';
import { setPolicy, signUp } from './support/api';
import { screenshot, signInThroughUi } from './support/ui';

test('the idle notice warns, can be dismissed without extending, stays closed for that deadline, and the session ends with the reason', async ({
  page,
}) => {
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
  await expect(toast.getByRole('button', { name: 'Dismiss' })).toBeVisible();
  await screenshot(page, '11-expiry-toast');

  // "Stay signed in" refreshes, which moves the idle deadline.
  await toast.getByRole('button', { name: 'Stay signed in' }).click();
  await expect(toast).toHaveCount(0);

  // The new deadline may warn again; the countdown then moves in place.
  await page.clock.fastForward('11:00');
  await expect(toast).toContainText(/Your session ends in [45] min/);
  await page.clock.fastForward('01:00');
  await expect(toast).toContainText(/Your session ends in [34] min/);

  // Dismissed: closed without refreshing, and not reopened by the next checks (every 30 s) for this deadline.
  const refreshes: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/auth/refresh')) {
      refreshes.push(request.url());
    }
  });
  await toast.getByRole('button', { name: 'Dismiss' }).click();
  await expect(toast).toHaveCount(0);
  for (let i = 0; i < 4; i++) {
    await page.clock.fastForward('00:30');
  }
  await expect(page).toHaveURL(/\/devices$/);
  await expect(toast).toHaveCount(0);
  expect(refreshes).toHaveLength(0);

  // The deadline passes: the session is over and the sign-in page says why.
  await page.clock.fastForward('02:00');
  await expect(page).toHaveURL(/\/login\?.*reason=session_expired_idle/);
  await expect(page.getByText('signed out because your session was inactive for too long')).toBeVisible();
  await screenshot(page, '12-expired-idle');
});

test('near the absolute deadline the notice offers "Sign in now", never "Stay signed in", and a dismissed one stays closed', async ({
  page,
}) => {
  // Idle = absolute = 60 min: the absolute deadline comes first (or together), so the reason is "absolute".
  const owner = await signUp('absolute');
  await setPolicy(owner.accessToken, 60, 60);

  await page.clock.install();
  await signInThroughUi(page, owner.email, owner.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Session policy' }).click();
  await expect(page).toHaveURL(/\/security$/);
  await page.clock.fastForward('56:00');
  const toast = page.locator('mat-snack-bar-container');
  await expect(toast).toContainText(/Your session reaches its maximum length at \d\d:\d\d — sign in again to continue/);
  await expect(toast.getByRole('button', { name: 'Stay signed in' })).toHaveCount(0);
  await expect(toast.getByRole('button', { name: 'Dismiss' })).toBeVisible();
  await screenshot(page, '13-expiry-absolute-toast');

  // "Sign in now" ends this session (it cannot be extended) and comes back here after signing in.
  await toast.getByRole('button', { name: 'Sign in now' }).click();
  await expect(page).toHaveURL(/\/login\?.*reason=sign_in_again/);
  await expect(page).toHaveURL(/next=%2Fsecurity/);
  await expect(page.locator('.notice')).toHaveText('Sign in again to start a new session.');
  await expect(page.locator('.notice--warn')).toHaveCount(0);
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password', { exact: true }).fill(owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/security$/);
  await expect(toast).toHaveCount(0);

  // The new session's absolute deadline warns again; dismissed, it stays closed until the session ends.
  await page.clock.fastForward('56:00');
  await expect(toast).toContainText('Your session reaches its maximum length');
  await toast.getByRole('button', { name: 'Dismiss' }).click();
  await expect(toast).toHaveCount(0);
  await page.clock.fastForward('01:00');
  await page.clock.fastForward('01:00');
  await expect(toast).toHaveCount(0);
  await expect(page).toHaveURL(/\/security$/);

  await page.clock.fastForward('03:00');
  await expect(page).toHaveURL(/\/login\?.*reason=session_expired_absolute/);
  await expect(page.getByText('Your session reached its maximum length.')).toBeVisible();
});
