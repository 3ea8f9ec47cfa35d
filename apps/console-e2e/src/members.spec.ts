import { expect, test, type Page } from '@playwright/test';
import { addMember, sessionCount, signInElsewhere, signUp } from './support/api';
import { screenshot, signInThroughUi } from './support/ui';

async function openMembers(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
  await expect(page).toHaveURL(/\/members$/);
}

// The newest snack-bar: the previous one may still be leaving.
const snackBar = (page: Page) => page.locator('mat-snack-bar-container').last();

test('an owner adds a member, changes their role, deactivates and reactivates them, and is refused demoting the last owner', async ({
  page,
}) => {
  test.slow(); // many dialogs on a shared two-core machine
  const owner = await signUp('members');
  const sam = await addMember(owner.accessToken, 'Sam Member');
  await signInElsewhere(sam.email, sam.password);
  await signInElsewhere(sam.email, sam.password);
  await signInThroughUi(page, owner.email, owner.password);
  await openMembers(page);

  const table = page.getByRole('table', { name: 'Members' });
  const samRow = table.getByRole('row').filter({ hasText: sam.email });
  await expect(samRow).toContainText('Engineer');
  await expect(samRow).toContainText('Active');
  await expect(samRow).toContainText('2 devices');
  await expect(table.getByRole('row').filter({ hasText: owner.email })).toContainText('(you)');
  await screenshot(page, '30-members');

  // Add a member; a duplicate email is refused inside the dialog with the API's sentence.
  await page.getByRole('button', { name: 'Add member' }).click();
  const add = page.getByRole('dialog');
  await add.getByLabel('Name').fill('Ada Admin');
  await add.getByLabel('Email').fill(sam.email);
  await add.getByLabel('First password').fill('a-first-password');
  await add.getByRole('button', { name: 'Add member' }).click();
  await expect(add.getByRole('alert')).toContainText('already registered');
  const adaEmail = `ada-${Date.now()}@example.test`;
  await add.getByLabel('Email').fill(adaEmail);
  await add.getByRole('combobox', { name: 'Role' }).click();
  await page.getByRole('option', { name: 'Admin' }).click();
  await screenshot(page, '31-members-add');
  await add.getByRole('button', { name: 'Add member' }).click();
  await expect(snackBar(page)).toContainText('Added Ada Admin.');
  await expect(table.getByRole('row').filter({ hasText: adaEmail })).toContainText('Admin');
  await expect(table.getByRole('row').filter({ hasText: adaEmail })).toContainText('Never');

  // Role change, confirmed: Sam's sessions end (the API's rule), the row says so.
  await page.getByRole('button', { name: 'More actions for Sam Member' }).click();
  await page.getByRole('menuitem', { name: 'Make admin' }).click();
  await expect(page.getByRole('dialog')).toContainText('signed out of every device');
  await page.getByRole('dialog').getByRole('button', { name: 'Make admin' }).click();
  await expect(snackBar(page)).toContainText('Sam Member is now an admin.');
  await expect(samRow).toContainText('Admin');
  await expect(samRow).toContainText('No devices');

  // Deactivate, then reactivate.
  await page.getByRole('button', { name: 'More actions for Sam Member' }).click();
  await page.getByRole('menuitem', { name: 'Deactivate' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
  await expect(samRow).toContainText('Deactivated');
  await expect(signInElsewhere(sam.email, sam.password)).rejects.toThrow(/401|403/);
  await page.getByRole('button', { name: 'More actions for Sam Member' }).click();
  await page.getByRole('menuitem', { name: 'Reactivate' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reactivate' }).click();
  await expect(samRow).toContainText('Active');
  await expect(signInElsewhere(sam.email, sam.password).then(() => 'ok')).resolves.toBe('ok');

  // The last owner cannot demote themselves: the API's 409 is shown as it says it.
  await page.getByRole('button', { name: 'More actions for Pat Owner' }).click();
  await page.getByRole('menuitem', { name: 'Make engineer' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Make engineer' }).click();
  await expect(snackBar(page)).toContainText('The last active owner cannot be demoted or deactivated.');
  await screenshot(page, '32-members-last-owner');
  await expect(table.getByRole('row').filter({ hasText: owner.email })).toContainText('Owner');
});

test('an owner signs a member out of one device, then of all of them (a lost laptop)', async ({ page }) => {
  test.slow(); // two dialogs deep on a shared two-core machine
  const owner = await signUp('member-devices');
  const sam = await addMember(owner.accessToken, 'Sam Member');
  const laptop = await signInElsewhere(
    sam.email,
    sam.password,
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  );
  const phone = await signInElsewhere(sam.email, sam.password);
  await signInThroughUi(page, owner.email, owner.password);
  await openMembers(page);

  await page.getByRole('button', { name: 'Devices of Sam Member' }).click();
  const dialog = page.getByRole('dialog');
  const devices = dialog.getByRole('list', { name: 'Devices of Sam Member' }).getByRole('listitem');
  await expect(devices).toHaveCount(2);
  await screenshot(page, '33-member-devices');

  await devices
    .filter({ hasText: 'Windows' })
    .getByRole('button', { name: /^Sign out/ })
    .click();
  await page.getByRole('dialog').filter({ hasText: 'Sign Sam Member out of' }).getByRole('button', { name: 'Sign out device' }).click();
  await expect(devices).toHaveCount(1);
  await expect(page.getByRole('dialog')).toHaveCount(1); // the confirmation has gone
  await expect(sessionCount(laptop)).rejects.toThrow(/401/);
  expect(await sessionCount(phone)).toBe(1);

  await dialog.getByRole('button', { name: 'Sign out of all devices' }).click();
  await page.getByRole('dialog').filter({ hasText: 'out everywhere' }).getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(snackBar(page)).toContainText('Signed Sam Member out of 1 device.');
  await expect(page.getByText('Sam Member is not signed in anywhere.')).toBeVisible();
  await expect(sessionCount(phone)).rejects.toThrow(/401/);
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('table', { name: 'Members' }).getByRole('row').filter({ hasText: sam.email })).toContainText('No devices');
});

test('an admin sees the members read-only; an engineer is not offered the page and the API refuses it', async ({ page }) => {
  test.slow(); // two sign-ins through the UI on a shared two-core machine
  const owner = await signUp('members-roles');
  const admin = await addMember(owner.accessToken, 'Ada Admin', 'admin');
  const engineer = await addMember(owner.accessToken, 'Eve Engineer', 'engineer');

  await signInThroughUi(page, admin.email, admin.password);
  await openMembers(page);
  const table = page.getByRole('table', { name: 'Members' });
  await expect(table.getByRole('row').filter({ hasText: owner.email })).toContainText('Owner');
  await expect(page.getByRole('button', { name: 'Add member' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^More actions/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Devices of/ })).toHaveCount(0);
  await screenshot(page, '34-members-admin');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);

  await signInThroughUi(page, engineer.email, engineer.password);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Devices' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Members' })).toHaveCount(0);
  await page.goto('/members');
  await expect(page.getByRole('alert')).toContainText('This action needs the role owner or admin.');
});
