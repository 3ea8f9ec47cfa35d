import { expect, test } from '@playwright/test';
import { signUp } from './support/api';
import { screenshot, signInThroughUi } from './support/ui';

test('the owner switches presets, is stopped by the bounds, and saves a custom policy that persists', async ({ page }) => {
  const owner = await signUp('policy');
  await signInThroughUi(page, owner.email, owner.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Session policy' }).click();
  await expect(page).toHaveURL(/\/security$/);

  const presets = page.getByRole('radiogroup', { name: 'Policy preset' });
  const save = page.getByRole('button', { name: 'Save', exact: true });
  const inForce = page.locator('mat-card-subtitle').filter({ hasText: 'In force for new sign-ins' });
  await expect(presets.getByRole('radio', { name: 'Strict' })).toBeChecked();
  await expect(inForce).toContainText('signed out after 3 days without activity');
  await expect(page.getByRole('table', { name: 'Active users' })).toContainText(owner.email);
  await screenshot(page, '07-policy-strict');

  await presets.getByRole('radio', { name: 'Standard' }).click();
  await save.click();
  await expect(page.locator('mat-snack-bar-container')).toContainText('Session policy saved.');
  await expect(inForce).toContainText('signed out after 7 days without activity');

  await presets.getByRole('radio', { name: 'Custom' }).click();
  const idle = page.getByLabel('Idle timeout (minutes)');
  const absolute = page.getByLabel('Maximum session length (minutes)');
  await idle.fill('5');
  await idle.blur();
  await expect(page.getByText('Enter whole minutes from 15 to 43200')).toBeVisible();
  await expect(save).toBeDisabled();
  await screenshot(page, '08-policy-custom-invalid');

  await absolute.fill('1440');
  await idle.fill('2000');
  await idle.blur();
  await expect(page.getByText('The idle timeout cannot be longer than the maximum session length.')).toBeVisible();
  await expect(save).toBeDisabled();

  await idle.fill('90');
  await expect(save).toBeEnabled();
  await save.click();
  await expect(inForce).toContainText('signed out after 1 hour 30 minutes without activity');

  await page.reload();
  await expect(presets.getByRole('radio', { name: 'Custom' })).toBeChecked();
  await expect(page.getByLabel('Idle timeout (minutes)')).toHaveValue('90');
  await expect(page.getByLabel('Maximum session length (minutes)')).toHaveValue('1440');
  await screenshot(page, '09-policy-custom-saved');
});

test('the audit log lists what happened and filters by action', async ({ page }) => {
  const owner = await signUp('audit');
  await signInThroughUi(page, owner.email, owner.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  const table = page.getByRole('table', { name: 'Audit events' });
  await expect(table).toContainText('Signed in');
  await screenshot(page, '10-audit');

  await page.getByLabel('Action').click();
  await page.getByRole('option', { name: 'Session policy changed' }).click();
  await expect(page.getByText('No “Session policy changed” events yet.')).toBeVisible();
});
