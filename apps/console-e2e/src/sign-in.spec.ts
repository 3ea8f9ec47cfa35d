import { expect, test } from '@playwright/test';
import { demoUser, revokeOtherSessions, signInElsewhere, signUp } from './support/api';
import { screenshot, signInThroughUi } from './support/ui';

test.describe('signing in', () => {
  test('the owner lands on their devices, and a reload keeps them signed in without a readable refresh token', async ({
    page,
    context,
  }) => {
    const owner = demoUser('owner');
    await page.goto('/devices');
    await expect(page).toHaveURL(/\/login\?next=%2Fdevices/);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await screenshot(page, '01-login');

    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toHaveText('Wrong email or password.');

    await signInThroughUi(page, owner.email, owner.password);
    await expect(page.getByRole('heading', { name: "Where you're signed in" })).toBeVisible();
    await expect(page.getByRole('link', { name: 'IP Geolocation by DB-IP' })).toHaveAttribute('href', 'https://db-ip.com');
    await expect(page.getByText(owner.name)).toBeVisible();
    await screenshot(page, '02-devices');

    await page.reload();
    await expect(page).toHaveURL(/\/devices$/);
    await expect(page.getByText('This device')).toBeVisible();

    // The refresh token exists, but only as an HttpOnly cookie scoped to /api/auth.
    const refreshCookie = (await context.cookies()).find((c) => c.name === 'sessions_refresh');
    expect(refreshCookie?.httpOnly).toBe(true);
    expect(refreshCookie?.path).toBe('/api/auth');
    const readable = await page.evaluate(() => ({
      cookie: document.cookie,
      storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    }));
    expect(readable.cookie).not.toContain('sessions_refresh');
    expect(readable.cookie).not.toContain(refreshCookie?.value ?? '<none>');
    expect(readable.storage).not.toContain(refreshCookie?.value ?? '<none>');
    expect(readable.storage).not.toMatch(/eyJ/); // no JWT of any kind in web storage

    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await expect(page).toHaveURL(/\/login\?reason=signed_out/);
    await expect(page.getByText('You signed out.')).toBeVisible();
    await page.reload();
    await expect(page).toHaveURL(/\/login/);
  });

  test('an engineer sees neither the policy nor the audit log; /security shows only their own sign-in identities', async ({ page }) => {
    test.slow(); // a sign-in and four pages on a shared two-core machine
    const engineer = demoUser('engineer');
    await signInThroughUi(page, engineer.email, engineer.password);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Devices' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Session policy' })).toHaveCount(0);
    await expect(nav.getByRole('link', { name: 'Audit log' })).toHaveCount(0);
    await expect(page.getByText('Engineer', { exact: true })).toBeVisible();

    await nav.getByRole('link', { name: 'Sign-in' }).click();
    await expect(page).toHaveURL(/\/security$/);
    await expect(page.getByRole('heading', { name: 'Your sign-in identities' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Session length' })).toHaveCount(0);
    await expect(page.getByRole('heading', { name: 'Sign-in methods' })).toHaveCount(0);
    await page.goto('/audit');
    await expect(page).toHaveURL(/\/devices$/);
    await screenshot(page, '03-devices-engineer');
  });
});

test('a session ended from another device sends the browser to the sign-in page with the reason', async ({ page }) => {
  const owner = await signUp('revoked');
  await signInThroughUi(page, owner.email, owner.password);
  const phone = await signInElsewhere(owner.email, owner.password);
  expect(await revokeOtherSessions(phone)).toBeGreaterThanOrEqual(1);

  // The next call is refused (401), the refresh too (reason `signed_out_elsewhere`): signed out, with why.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Session policy' }).click();
  await expect(page).toHaveURL(/\/login\?reason=signed_out_elsewhere/);
  await expect(page.getByText('You were signed out from another device.')).toBeVisible();
  await screenshot(page, '14-session-revoked');
});

test('an expired access token is refreshed once and the call retried, invisibly', async ({ page }) => {
  const owner = await signUp('retry');
  await signInThroughUi(page, owner.email, owner.password);

  // Answer the first policy read as the API does for an access token past its 5 minutes.
  const bearers: string[] = [];
  await page.route('**/api/accounts/me/security', async (route) => {
    bearers.push(route.request().headers()['authorization'] ?? '');
    if (bearers.length === 1) {
      await route.fulfill({
        status: 401,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: 'about:blank',
          title: 'Unauthorized',
          status: 401,
          detail: 'Access token expired.',
          code: 'unauthenticated',
        }),
      });
    } else {
      await route.continue();
    }
  });
  const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/auth/refresh') && r.status() === 200);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Session policy' }).click();
  await refreshed;
  await expect(page.getByRole('heading', { name: 'Session length' })).toBeVisible();
  expect(bearers).toHaveLength(2);
  expect(bearers[1]).toMatch(/^Bearer ey/);
  expect(bearers[1]).not.toBe(bearers[0]);
});
