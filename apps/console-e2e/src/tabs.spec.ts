import { expect, test, type Request } from '@playwright/test';
import { signUp } from './support/api';
import { signInThroughUi } from './support/ui';

test('tabs share one session: refreshes never overlap, and signing out in one tab signs out the other', async ({ context, page }) => {
  const owner = await signUp('tabs');
  await signInThroughUi(page, owner.email, owner.password);

  // Every refresh request of the browser, with when it started and ended.
  const refreshes: { start: number; end: number }[] = [];
  const started = new Map<Request, number>();
  context.on('request', (request) => {
    if (request.url().endsWith('/api/auth/refresh')) started.set(request, Date.now());
  });
  const finish = (request: Request) => {
    const start = started.get(request);
    if (start !== undefined) refreshes.push({ start, end: Date.now() });
  };
  context.on('requestfinished', finish);
  context.on('requestfailed', finish);

  const second = await context.newPage();
  await second.goto('/devices');
  await expect(second.getByText('This device')).toBeVisible();

  // Both tabs restore their session from the one refresh cookie at the same moment.
  await Promise.all([page.reload(), second.reload()]);
  for (const tab of [page, second]) {
    await expect(tab).toHaveURL(/\/devices$/);
    await expect(tab.getByText('This device')).toBeVisible();
  }
  const rows = page.getByRole('list', { name: 'Signed-in devices' }).getByRole('listitem');
  await expect(rows).toHaveCount(2); // this browser (one session for all tabs) + the sign-up

  expect(refreshes.length).toBeGreaterThanOrEqual(2);
  const sorted = [...refreshes].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    expect(sorted[i].start, 'a refresh started while another was in flight').toBeGreaterThanOrEqual(sorted[i - 1].end);
  }

  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await expect(page).toHaveURL(/\/login\?reason=signed_out/);
  await expect(second).toHaveURL(/\/login\?reason=signed_out/);
  await expect(second.getByText('You signed out.')).toBeVisible();
});
