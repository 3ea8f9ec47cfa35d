import { expect, Page, test } from '@playwright/test';
import { demoUser } from './support/api';
import { signInThroughUi } from './support/ui';

/** Every CSP violation the page reports, from the DOM event and from the console. */
function collectViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
  return violations;
}

test.describe('content security policy without inline scripts', () => {
  test('the console loads and signs in with no CSP violation', async ({ page }) => {
    const violations = collectViolations(page);
    const response = await page.goto('/login');
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    const owner = demoUser('owner');
    await signInThroughUi(page, owner.email, owner.password);
    await expect(page.getByRole('heading', { name: "Where you're signed in" })).toBeVisible();
    expect(violations).toEqual([]);
  });

  test('Swagger UI renders the API with no CSP violation', async ({ page }) => {
    const violations = collectViolations(page);
    await page.goto('/api/docs');
    await expect(page.locator('.swagger-ui .info .title')).toContainText('Sessions API');
    await expect(page.locator('.opblock').first()).toBeVisible();
    expect(violations).toEqual([]);
  });
});
