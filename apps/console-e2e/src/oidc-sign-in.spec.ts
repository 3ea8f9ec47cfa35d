import { expect, test } from '@playwright/test';
import { OIDC_USER } from './support/server';
import { screenshot } from './support/ui';

test('signing in with an identity provider lands signed in, and the devices page shows that session', async ({ page, context }) => {
  test.slow(); // two extra hops (the provider and back) on a shared machine
  await page.goto('/login');
  const button = page.getByRole('link', { name: 'Sign in with Mock IdP' });
  await expect(button).toBeVisible();
  await screenshot(page, '20-login-providers');

  await button.click();
  // Through the provider and back: the console restored the session from the refresh cookie.
  await expect(page.getByRole('heading', { name: "Where you're signed in" })).toBeVisible();
  expect(new URL(page.url()).search).toBe('');
  await expect(page.getByText('Erin Engineer')).toBeVisible();
  const rows = page.getByRole('list', { name: 'Signed-in devices' }).getByRole('listitem');
  await expect(rows.filter({ hasText: 'This device' })).toContainText('Chrome');
  await screenshot(page, '21-devices-after-oidc');

  // The refresh token only ever lived in the HttpOnly cookie; the flow's state cookie is gone.
  const cookies = await context.cookies();
  expect(cookies.find((c) => c.name === 'sessions_refresh')?.httpOnly).toBe(true);
  expect(cookies.find((c) => c.name === 'sessions_oidc')).toBeUndefined();
  expect(OIDC_USER.email).toBe('engineer@demo.test');
});

test('a refused external sign-in comes back to the sign-in page with a clear reason', async ({ page }) => {
  await page.goto('/login?reason=oidc_unknown_user');
  await expect(page.getByRole('status')).toContainText('No user here has that identity or email address');
  await screenshot(page, '22-login-refused');
});
