import { expect, type Page, test } from '@playwright/test';
import { signUp } from './support/api';
import { screenshot, signInThroughUi } from './support/ui';

/**
 * The password dialog of step-up (issue 15, ADR 0018). The API's clock is the real one
 * here, so a session cannot be made 10 minutes old without waiting: the first answer of
 * the policy change is the API's `reauthentication_required` refusal, played by the
 * route; everything after it — the password check, the retry, the saved policy — is the
 * real server. The staleness itself is proven by apps/api/test/step-up.spec.ts.
 */
const STALE = {
  type: 'about:blank',
  title: 'Forbidden',
  status: 403,
  code: 'reauthentication_required',
  detail: 'This action needs an authentication from the last 10 minutes; confirm your password (POST /api/auth/reauthenticate) and retry.',
  max_age_seconds: 600,
  authenticated_at: '2026-01-01T00:00:00.000Z',
};

/** The next `times` policy changes are refused as stale, as the API answers 10 minutes after sign-in. */
async function refuseAsStale(page: Page, times: number): Promise<void> {
  let left = times;
  await page.route('**/api/accounts/me/security', async (route) => {
    if (route.request().method() === 'PATCH' && left > 0) {
      left--;
      await route.fulfill({ status: 403, contentType: 'application/problem+json', body: JSON.stringify(STALE) });
      return;
    }
    await route.fallback();
  });
}

async function openPolicy(page: Page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Session policy' }).click();
  await expect(page).toHaveURL(/\/security$/);
}

test('a stale session asks for the password, says when it is wrong, then saves the change on its own', async ({ page }) => {
  test.slow();
  const owner = await signUp('step-up');
  await signInThroughUi(page, owner.email, owner.password);
  await openPolicy(page);
  await refuseAsStale(page, 1);

  await page.getByRole('radiogroup', { name: 'Policy preset' }).getByRole('radio', { name: 'Standard' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();

  const dialog = page.getByRole('dialog', { name: "Confirm it's you" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('more than 10 minutes ago');
  const password = dialog.getByLabel('Password');
  await expect(password).toBeFocused();
  // Focus stays in the dialog.
  for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
  expect(await dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);

  await password.fill('not-the-password');
  await password.press('Enter');
  await expect(dialog.getByText('That password is not right.')).toBeVisible();
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, '40-step-up-wrong-password');

  await password.fill(owner.password);
  await password.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.locator('mat-snack-bar-container')).toContainText('Session policy saved.');
  await page.reload();
  await expect(page.getByRole('radiogroup', { name: 'Policy preset' }).getByRole('radio', { name: 'Standard' })).toBeChecked();
});

test('cancelling the password leaves the change undone and says so', async ({ page }) => {
  const owner = await signUp('step-up-cancel');
  await signInThroughUi(page, owner.email, owner.password);
  await openPolicy(page);
  await refuseAsStale(page, 1);

  await page.getByRole('radiogroup', { name: 'Policy preset' }).getByRole('radio', { name: 'Standard' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: "Confirm it's you" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await expect(dialog).toBeHidden();
  await expect(page.locator('mat-snack-bar-container')).toContainText('Not done: this change needs your password');
  await screenshot(page, '41-step-up-cancelled');
  await page.reload();
  await expect(page.getByRole('radiogroup', { name: 'Policy preset' }).getByRole('radio', { name: 'Strict' })).toBeChecked();
});
