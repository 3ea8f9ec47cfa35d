import { expect, test } from '@playwright/test';
import { demoUser, signInElsewhere, signUp } from './support/api';
import { BASE_URL } from './support/server';
import { screenshot, signInThroughUi } from './support/ui';

/** The owner's sign-in policy for the demo account, set through the API as a script would. */
async function setSignInPolicy(ownerToken: string, body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${BASE_URL}/api/accounts/me/security/sign-in`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ownerToken}` },
    body: JSON.stringify(body),
  });
  expect(response.status, await response.text()).toBe(200);
}

test.describe('sign-in methods on the Security page', () => {
  test.slow(); // an external sign-in and several password sign-ins on a shared machine

  test("a member's linked identity: listed, the API's last_sign_in_method refusal shown, then unlinked", async ({ page }) => {
    const owner = demoUser('owner');
    const ownerToken = await signInElsewhere(owner.email, owner.password);
    // The mock provider signs the demo engineer in; that links their identity.
    await page.goto('/login');
    await page.getByRole('link', { name: 'Sign in with Mock IdP' }).click();
    await expect(page.getByRole('heading', { name: "Where you're signed in" })).toBeVisible();

    try {
      // Their only way in once the account requires external sign-in for members.
      await setSignInPolicy(ownerToken, { require_external_sign_in: true });
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign-in' }).click();
      await expect(page.getByRole('heading', { name: 'Your sign-in identities' })).toBeVisible();
      const list = page.getByRole('list', { name: 'Linked identities' });
      await expect(list.getByRole('listitem')).toHaveCount(1);
      await expect(list).toContainText('Mock IdP');
      await expect(list).toContainText('engineer@demo.test');

      await list.getByRole('button', { name: 'Unlink Mock IdP (engineer@demo.test)' }).click();
      const dialog = page.getByRole('dialog');
      await expect(dialog).toContainText('Unlink Mock IdP?');
      await dialog.getByRole('button', { name: 'Unlink' }).click();
      const refusal = page.getByRole('alert').filter({ hasText: "can't be unlinked" });
      await expect(refusal).toContainText('This is your only way to sign in');
      await expect(list.getByRole('listitem')).toHaveCount(1);
      await screenshot(page, '56-identity-last-method');

      // With the requirement lifted the password works again: unlinking is allowed.
      await setSignInPolicy(ownerToken, { require_external_sign_in: false });
      await list.getByRole('button', { name: 'Unlink Mock IdP (engineer@demo.test)' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Unlink' }).click();
      await expect(page.getByText('No identities are linked.')).toBeVisible();
      await expect(refusal).toHaveCount(0);
    } finally {
      await setSignInPolicy(ownerToken, { require_external_sign_in: false, allowed_providers: null, allowed_email_domains: null });
    }
  });

  test("an owner sets the account's sign-in methods, with checks and the API's refusal shown", async ({ page }) => {
    const owner = await signUp('sign-in-policy');
    await signInThroughUi(page, owner.email, owner.password);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Session policy' }).click();
    const card = page.locator('mat-card').filter({ has: page.getByRole('heading', { name: 'Sign-in methods' }) });
    await expect(card.getByRole('radio', { name: 'Any provider configured here' })).toBeChecked();
    const save = card.getByRole('button', { name: 'Save sign-in methods' });

    // A malformed domain is caught before asking the API.
    const domains = card.getByLabel('Accepted email domains');
    await domains.fill('example.com, example..com');
    await save.click();
    await expect(card.getByText('"example..com" is not a domain name such as example.com.')).toBeVisible();
    await expect(card.getByRole('alert')).toContainText('Check the accepted email domains.');

    // Requiring external sign-in while accepting no provider: the API refuses, in its words.
    await domains.fill('Example.com @example.org');
    await card.getByRole('switch', { name: 'Require sign-in with a provider for members' }).click();
    await card.getByRole('radio', { name: 'Only these:' }).check();
    const mock = card.getByRole('checkbox', { name: 'Mock IdP' });
    await expect(mock).not.toBeChecked();
    const refused = page.waitForResponse((r) => r.url().endsWith('/api/accounts/me/security/sign-in') && r.request().method() === 'PATCH');
    await save.click();
    expect((await refused).status()).toBe(422);
    await expect(card.getByRole('alert')).toContainText('The sign-in policy is not valid.');
    await expect(card.getByRole('alert')).toContainText(
      'Require sign-in with a provider: needs at least one configured, accepted provider.',
    );
    await screenshot(page, '57-sign-in-policy-refused');

    // With the provider accepted it saves, and a reload shows what the API stored.
    await mock.check();
    await save.click();
    await expect(page.getByText('Sign-in methods saved.')).toBeVisible();
    await expect(card.getByRole('alert')).toHaveCount(0);
    await page.reload();
    // The reload restores the session first, then loads both policies: slow on a busy machine.
    await expect(card.getByRole('heading', { name: 'Sign-in methods' })).toBeVisible({ timeout: 30_000 });
    await expect(card.getByRole('switch', { name: 'Require sign-in with a provider for members' })).toBeChecked();
    await expect(card.getByRole('radio', { name: 'Only these:' })).toBeChecked();
    await expect(card.getByRole('checkbox', { name: 'Mock IdP' })).toBeChecked();
    await expect(card.getByLabel('Accepted email domains')).toHaveValue('example.com, example.org');
  });
});
