import { expect, type Page, test } from '@playwright/test';
import { revokeOtherSessions, signInElsewhere, signUp } from './support/api';
import { screenshot } from './support/ui';

/** "Try it out" → "Execute" on GET /api/auth/me; returns the status Swagger shows and the token it sent. */
async function executeMe(page: Page): Promise<{ status: string; authorization: string | undefined }> {
  const operation = page.locator('#operations-auth-authMe');
  const request = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/auth/me');
  await operation.getByRole('button', { name: 'Execute' }).click();
  const sent = await request;
  const status = operation.locator('.live-responses-table .response .response-col_status').first();
  await expect(status).toHaveText(/^\d{3}/);
  return { status: (await status.innerText()).trim(), authorization: sent.headers()['authorization'] };
}

test.describe('Swagger UI keeps an ops person signed in', () => {
  test('Authorize, renewal past the access token lifetime, then a clear message when the session ends', async ({ page }) => {
    test.slow(); // Swagger UI renders the whole API a few times on a shared machine
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    const owner = await signUp('swagger');
    await page.clock.install();
    await page.goto('/api/docs');
    await expect(page.locator('.swagger-ui .info .title')).toContainText('Sessions API');

    // The dialog asks for what the API uses: username and password, no client credentials.
    await page.locator('.swagger-ui .auth-wrapper .authorize').click();
    const oauth = page.locator('.auth-container').filter({ hasText: 'oauth2 (OAuth2, password)' });
    await expect(oauth.locator('#oauth_username')).toBeVisible();
    await expect(oauth.locator('#oauth_password')).toBeVisible();
    await expect(oauth.locator('#password_type')).toBeHidden();
    await expect(oauth.locator('#client_id_password')).toBeHidden();
    await expect(oauth.locator('#client_secret_password')).toBeHidden();
    await expect(page.getByText('Scopes are used to grant')).toBeHidden();
    await screenshot(page, '54-swagger-authorize');

    await oauth.locator('#oauth_username').fill(owner.email);
    await oauth.locator('#oauth_password').fill(owner.password);
    const login = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/login');
    await page.getByRole('button', { name: 'Apply given OAuth2 credentials' }).click();
    const loginResponse = await login;
    expect(loginResponse.status()).toBe(200);
    // The refresh token travels in the HttpOnly cookie only: never in the body the page reads.
    expect(loginResponse.request().headers()['x-token-transport']).toBe('cookie');
    expect(await loginResponse.json()).not.toHaveProperty('refresh_token');
    const cookies = await page.context().cookies();
    expect(cookies.find((cookie) => cookie.name === 'sessions_refresh')).toMatchObject({ httpOnly: true, path: '/api/auth' });
    await expect(page.getByRole('button', { name: 'Remove authorization' })).toBeVisible();
    await page.locator('.modal-ux .close-modal').click();

    // Nothing a page script can read holds the password or a refresh token.
    const stored = await page.evaluate(() => window.localStorage.getItem('authorized') ?? '');
    expect(stored).toContain('access_token');
    expect(stored).not.toContain(owner.password);
    expect(stored).not.toContain('refresh_token');
    expect(await page.evaluate(() => document.cookie)).not.toContain('sessions_refresh');

    await page.locator('#operations-auth-authMe .opblock-summary-control').click();
    await page.locator('#operations-auth-authMe').getByRole('button', { name: 'Try it out' }).click();
    const first = await executeMe(page);
    expect(first.status).toMatch(/^200/);

    // Past the access token's lifetime (300 s) by the page's clock: the call renews first.
    await page.clock.fastForward('06:00');
    const refresh = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/auth/refresh');
    const second = await executeMe(page);
    expect((await refresh).status()).toBe(200);
    expect(second.status).toMatch(/^200/);
    expect(second.authorization).toMatch(/^Bearer /);
    expect(second.authorization).not.toBe(first.authorization);
    await expect(page.locator('#sessions-auth-notice')).toBeHidden();

    // The owner signs out every other device from their phone: Swagger's session ends.
    await revokeOtherSessions(await signInElsewhere(owner.email, owner.password));
    const third = await executeMe(page);
    expect(third.status).toMatch(/^401/);
    const notice = page.getByRole('alert').filter({ hasText: 'Your session ended' });
    await expect(notice).toContainText('it was signed out from another device');
    await expect(notice).toContainText('reason: signed_out_elsewhere');
    await expect(notice).toContainText('Authorize');
    // Swagger no longer claims to be authorized.
    await expect(page.locator('.swagger-ui .auth-wrapper .authorize')).toHaveClass(/\bunlocked\b/);
    await screenshot(page, '55-swagger-session-ended');
    expect(violations).toEqual([]);
  });
});
