import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { demoUser } from './support/api';
import { WORKSPACE_ROOT } from './support/server';

// Several sign-ins (argon2) and axe runs per test: more than the default 30 s on a busy machine.
test.slow();

/** Signs in as the demo owner; generous wait, since argon2 on a busy CI machine takes seconds. */
async function signIn(page: Page): Promise<void> {
  const owner = demoUser('owner');
  await page.goto('/login');
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password', { exact: true }).fill(owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('This device')).toBeVisible({ timeout: 20_000 });
}

const AXE = join(WORKSPACE_ROOT, 'node_modules/axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** axe-core on the page as it is; violations of serious, moderate or critical impact, in words. */
async function axeProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document) => Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document)).violations;
  });
  return violations
    .filter((v) => v.impact !== 'minor')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test.describe('first load', () => {
  test('the sign-in page loads at most 150 KB of JavaScript, compressed and cacheable, with no request refused', async ({ page }) => {
    const js: { url: string; bytes: number; encoding: string | undefined; cache: string | undefined }[] = [];
    const refused: string[] = [];
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('response', async (response) => {
      if (response.status() >= 400) refused.push(`${response.status()} ${response.url()}`);
      if (response.request().resourceType() !== 'script') return;
      const sizes = await response.request().sizes();
      const headers = await response.allHeaders();
      js.push({
        url: response.url(),
        bytes: sizes.responseBodySize,
        encoding: headers['content-encoding'],
        cache: headers['cache-control'],
      });
    });
    await page.goto('/login');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await page.waitForLoadState('networkidle');

    const total = js.reduce((sum, file) => sum + file.bytes, 0);
    console.log(`sign-in page JavaScript: ${js.length} files, ${(total / 1024).toFixed(1)} KB transferred`);
    console.log(js.map((f) => `${f.url.split('/').pop()} ${f.bytes}`).join('\n'));
    // Issue 12's goal: 150 KB. About 135 KB since the theme toggle stopped pulling in the
    // tooltip's overlay code; docs/console.md keeps the figure and what to watch.
    expect(total).toBeLessThanOrEqual(150 * 1024);
    for (const file of js) {
      // Files under 1 KB are not worth compressing (tools/precompress.mjs).
      if (file.bytes >= 1024) expect(file.encoding, file.url).toBe('br');
      expect(file.cache, file.url).toBe('public, max-age=31536000, immutable');
    }
    // A signed-out first visit has no session to restore: no refresh call, nothing red in the console.
    expect(refused).toEqual([]);
    expect(errors).toEqual([]);
  });
});

test.describe('signed out', () => {
  test('a first visit to / and a return to /login after signing out refuse nothing and log nothing red', async ({ page }) => {
    const refused: string[] = [];
    const errors: string[] = [];
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('response', (response) => response.status() >= 400 && refused.push(`${response.status()} ${response.url()}`));

    // A newcomer opens the console's address: the sign-in page, without a refused refresh.
    await page.goto('/');
    await expect(page).toHaveURL(/\/login\?next=%2Fdevices$/);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await page.waitForLoadState('networkidle');

    await signIn(page);
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(page).toHaveURL(/\/login/);
    await page.goto('/login');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await page.waitForLoadState('networkidle');

    expect(refused).toEqual([]);
    expect(errors).toEqual([]);
  });
});

test.describe('accessibility (axe-core: nothing serious or moderate)', () => {
  // axe is injected as an inline script, which the console's CSP (script-src 'self') forbids.
  test.use({ bypassCSP: true });

  test('the sign-in page, light and dark', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    expect(await axeProblems(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await axeProblems(page)).toEqual([]);
  });

  test('every page of the signed-in console, light and dark', async ({ page }) => {
    await signIn(page);
    // The members page in the owner's view, with the demo account's people in it.
    const owner = demoUser('owner');
    const pages: [string, string, (page: Page) => Promise<void>][] = [
      ['/devices', 'Devices', async () => undefined],
      ['/security', 'Session policy', async () => undefined],
      ['/audit', 'Audit log', async () => undefined],
      [
        '/members',
        'Members',
        async (p) => {
          await expect(p.getByRole('button', { name: 'Add member' })).toBeVisible();
          await expect(p.getByRole('table', { name: 'Members' }).getByRole('row')).not.toHaveCount(0);
          await expect(p.getByRole('button', { name: `More actions for ${owner.name}` })).toBeVisible();
        },
      ],
    ];
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [path, link, ready] of pages) {
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
        await expect(page).toHaveURL(new RegExp(`${path}$`));
        await page.waitForLoadState('networkidle');
        await ready(page);
        expect(await axeProblems(page), `${path} (${scheme})`).toEqual([]);
      }
    }
  });

  test('a skip link is the first stop and moves focus to the page', async ({ page }) => {
    await signIn(page);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page.locator('main')).toBeFocused();
  });

  test('every control shows where the keyboard focus is', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    const unmarked: string[] = [];
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      const seen = await page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        if (!element || element === document.body) return null;
        const style = getComputedStyle(element);
        const ring = element.querySelector('.mat-focus-indicator') ?? element.closest('.mat-focus-indicator');
        const ringStyle = ring ? getComputedStyle(ring, '::before') : null;
        const visible =
          (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) ||
          (ringStyle !== null && ringStyle.display !== 'none' && ringStyle.borderStyle !== 'none') ||
          // Material form fields mark focus with their thick outline instead.
          !!element.closest('.mat-focused');
        return { name: element.getAttribute('aria-label') ?? element.textContent?.trim() ?? element.tagName, visible };
      });
      if (seen && !seen.visible) unmarked.push(seen.name);
    }
    expect(unmarked).toEqual([]);
  });
});

test.describe('dark mode', () => {
  const background = (page: Page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const isDark = (rgb: string) => {
    const [r, g, b] = rgb.match(/\d+/g)!.map(Number);
    return (r + g + b) / 3 < 80;
  };

  test('follows the system setting, and the toggle overrides it across reloads', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto('/login');
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    expect(isDark(await background(page))).toBe(true);

    await page.getByRole('button', { name: 'Use light theme' }).click();
    expect(isDark(await background(page))).toBe(false);
    await page.reload();
    await expect(page.getByRole('button', { name: 'Use dark theme' })).toBeVisible();
    expect(isDark(await background(page))).toBe(false);

    // Back to what the system says: following the system again, also when it changes.
    await page.getByRole('button', { name: 'Use dark theme' }).click();
    expect(isDark(await background(page))).toBe(true);
    await page.emulateMedia({ colorScheme: 'light' });
    expect(isDark(await background(page))).toBe(false);
  });

  test('the signed-in console has the toggle in its toolbar', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await signIn(page);
    expect(isDark(await background(page))).toBe(false);
    await page.getByRole('button', { name: 'Use dark theme' }).click();
    expect(isDark(await background(page))).toBe(true);
    await page.reload();
    await expect(page.getByText('This device')).toBeVisible();
    expect(isDark(await background(page))).toBe(true);
  });
});
