import { expect, test, type Page } from '@playwright/test';
import { addMember, signInElsewhere, signUp } from './support/api';
import { screenshot, signInThroughUi } from './support/ui';

test.use({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });

const PAGES = [
  { link: 'Devices', path: '/devices', shot: '50-phone-devices' },
  { link: 'Members', path: '/members', shot: '51-phone-members' },
  { link: 'Session policy', path: '/security', shot: '52-phone-security' },
  { link: 'Audit log', path: '/audit', shot: '53-phone-audit' },
] as const;

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

test('on a 390 px phone every page fits the width, and the drawer’s first item can be tapped', async ({ page }) => {
  test.slow();
  const owner = await signUp('phone');
  const sam = await addMember(owner.accessToken, 'Sam Member With A Rather Long Name');
  await signInElsewhere(sam.email, sam.password);
  await signInElsewhere(owner.email, owner.password);

  await page.goto('/login');
  await expectNoSidewaysScroll(page);
  await screenshot(page, '49-phone-login');
  await signInThroughUi(page, owner.email, owner.password);

  for (const target of PAGES) {
    await page.getByRole('button', { name: 'Open navigation' }).click();
    const nav = page.getByRole('navigation', { name: 'Main' });
    const link = nav.getByRole('link', { name: target.link });
    await expect(link).toBeVisible();
    // The first item must not sit under the top bar: the point at its centre is the link itself.
    const first = nav.getByRole('link').first();
    await first.click({ trial: true }); // actionable: visible, stable, and it receives the tap
    await expect
      .poll(async () => {
        const box = await first.boundingBox();
        return box
          ? page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('a')?.textContent?.trim() ?? null, {
              x: box.x + box.width / 2,
              y: box.y + box.height / 2,
            })
          : null;
      })
      .toContain('Devices');
    await link.click();
    await expect(page).toHaveURL(new RegExp(`${target.path}$`));
    await expect(page.locator('h1')).toBeVisible();
    await expect(page.getByRole('status'))
      .toHaveCount(0, { timeout: 10_000 })
      .catch(() => undefined);
    await expectNoSidewaysScroll(page);
    await screenshot(page, target.shot);
  }
});

test.describe('the narrowest phone', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('at 360 px every page still fits the width', async ({ page }) => {
    test.slow();
    const owner = await signUp('phone360');
    await addMember(owner.accessToken, 'Sam Member With A Rather Long Name');
    await page.goto('/login');
    await expectNoSidewaysScroll(page);
    await signInThroughUi(page, owner.email, owner.password);
    for (const target of PAGES) {
      await page.goto(target.path);
      await expect(page.locator('h1')).toBeVisible();
      await expect(page.getByRole('status'))
        .toHaveCount(0, { timeout: 10_000 })
        .catch(() => undefined);
      await expectNoSidewaysScroll(page);
    }
  });
});
