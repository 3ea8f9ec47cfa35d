import { expect, type Page, test } from '@playwright/test';
import { signUp } from './support/api';
import { ageAuthentication } from './support/database';
import { OIDC_USER } from './support/server';
import { screenshot, signInThroughUi } from './support/ui';

/**
 * The step-up dialog (issue 15, ADR 0018 and 0020), against the real server. The API runs on
 * the real clock, so a session is made "signed in 11 minutes ago" where the API reads it:
 * its row in the suite's database (support/database.ts). Every refusal here is the API's own.
 */
async function makeStale(email: string): Promise<void> {
  expect(await ageAuthentication(email, 11)).toBeGreaterThan(0);
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
  await makeStale(owner.email);

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
  // A reload on a busy shared machine (the session is restored, then the policy loads).
  await expect(page.getByRole('radiogroup', { name: 'Policy preset' }).getByRole('radio', { name: 'Standard' })).toBeChecked({
    timeout: 30_000,
  });
});

test('cancelling the password leaves the change undone and says so', async ({ page }) => {
  const owner = await signUp('step-up-cancel');
  await signInThroughUi(page, owner.email, owner.password);
  await openPolicy(page);
  await makeStale(owner.email);

  await page.getByRole('radiogroup', { name: 'Policy preset' }).getByRole('radio', { name: 'Standard' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: "Confirm it's you" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await expect(dialog).toBeHidden();
  await expect(page.locator('mat-snack-bar-container')).toContainText('Not done: this change needs your password');
  await screenshot(page, '41-step-up-cancelled');
  await page.reload();
  await expect(page.getByRole('radiogroup', { name: 'Policy preset' }).getByRole('radio', { name: 'Strict' })).toBeChecked({
    timeout: 30_000,
  });
});

test('a user with a linked provider confirms with "Continue with Mock IdP", lands back on the page, and repeats the change', async ({
  page,
}) => {
  test.slow(); // the provider and back, twice
  await page.goto('/login');
  await page.getByRole('link', { name: 'Sign in with Mock IdP' }).click();
  await expect(page.getByRole('heading', { name: "Where you're signed in" })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign-in' }).click();
  await expect(page).toHaveURL(/\/security$/);
  const unlink = page.getByRole('button', { name: `Unlink Mock IdP (${OIDC_USER.email})` });
  await expect(unlink).toBeVisible();
  await makeStale(OIDC_USER.email);

  await unlink.click();
  await page.getByRole('dialog', { name: 'Unlink Mock IdP?' }).getByRole('button', { name: 'Unlink' }).click();
  const dialog = page.getByRole('dialog', { name: "Confirm it's you" });
  await expect(dialog).toBeVisible();
  const continueWith = dialog.getByRole('button', { name: 'Continue with Mock IdP' });
  await expect(continueWith).toBeVisible();
  // Erin has a password too (her account does not require external sign-in): both are offered.
  await expect(dialog.getByLabel('Password')).toBeVisible();
  await screenshot(page, '42-step-up-provider');
  await continueWith.click();

  // To the provider (max_age=0) and back to this page, on the same session, told to repeat.
  await expect(page.locator('mat-snack-bar-container')).toContainText('Confirmed it’s you. Repeat your change now.');
  await expect(page).toHaveURL(/\/security$/);
  await unlink.click();
  await page.getByRole('dialog', { name: 'Unlink Mock IdP?' }).getByRole('button', { name: 'Unlink' }).click();
  await expect(page.getByRole('dialog', { name: "Confirm it's you" })).toBeHidden();
  await expect(unlink).toBeHidden();
  await screenshot(page, '43-step-up-provider-repeated');
});
