import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { describeViolations, seriousViolations } from './axe';
import type { WatchedPage } from './browser';
import { DESKTOP, PHONE, useBrowser } from './browser';
import { ADMIN_KEY, ROUTES } from './console-gateway';
import type { ConsoleWorld } from './console-world';
import { useConsoleWorld } from './console-world';
import { consoleUrl, expectSignInProbes, heading, signIn } from './console-pages';

/**
 * `node apps/console/e2e/screenshots.mjs` runs this spec with the folder to write the
 * screenshots to (docs/console); without it the spec only checks.
 */
const SCREENSHOTS = process.env.CONSOLE_SCREENSHOTS_DIR
  ? resolve(process.env.CONSOLE_SCREENSHOTS_DIR)
  : undefined;

/** A view of the console, opened signed in, and what shows it has loaded. */
interface View {
  /** The screenshot's name: `<name>-desktop.png`, `<name>-phone.png`. */
  name: string;
  route: (world: ConsoleWorld) => string;
  heading: string;
  ready: (page: Page, world: ConsoleWorld) => Promise<unknown>;
}

const VIEWS: View[] = [
  {
    name: 'overview',
    route: () => 'overview',
    heading: 'Overview',
    ready: (page) => page.getByRole('table').first().waitFor(),
  },
  {
    name: 'providers',
    route: () => 'providers',
    heading: 'Providers',
    ready: (page) => page.getByTestId('providers-table').waitFor(),
  },
  {
    name: 'requests',
    route: () => 'requests',
    heading: 'Requests',
    ready: (page) => page.getByTestId('requests-table').waitFor(),
  },
  {
    name: 'request',
    route: (world) => `requests/${world.load.fallbackGatewayId}`,
    heading: 'Request',
    ready: (page) => page.getByTestId('request-facts').waitFor(),
  },
  {
    name: 'budgets',
    route: () => 'budgets',
    heading: 'Budgets and limits',
    ready: (page) => page.getByTestId('limits-table').waitFor(),
  },
  {
    name: 'keys',
    route: () => 'keys',
    heading: 'Keys',
    ready: (page) => page.getByTestId('keys-table').waitFor(),
  },
  {
    name: 'jobs',
    route: () => 'jobs',
    heading: 'Jobs',
    ready: (page) => page.getByTestId('jobs-table').waitFor(),
  },
  {
    name: 'playground',
    route: () => 'playground',
    heading: 'Playground',
    ready: (page, world) => askPlayground(page, world),
  },
];

const VIEWPORTS = [
  { label: 'desktop', viewport: DESKTOP, isMobile: false },
  { label: 'phone', viewport: PHONE, isMobile: true },
] as const;

/** The playground after a streamed answer: its result panel and trace are checked too. */
async function askPlayground(page: Page, world: ConsoleWorld): Promise<void> {
  await page.getByRole('textbox', { name: 'Gateway key' }).fill(world.load.keys.app.key);
  await page.getByRole('button', { name: 'Use key' }).click();
  const model = page.getByRole('combobox', { name: 'Model' });
  await model
    .getByRole('option', { name: ROUTES.main, exact: true })
    .waitFor({ state: 'attached' });
  await model.selectOption(ROUTES.main);
  await page.getByLabel('Prompt').fill('Say hello to the operators');
  await page.getByRole('button', { name: 'Send' }).click();
  const result = page.getByTestId('playground-result');
  await result.getByRole('status').getByText('Done').waitFor({ timeout: 30_000 });
  await result.getByTestId('result-cost').getByText('$', { exact: false }).waitFor();
}

async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The viewport as a person sees it on arrival: the top of the page, caret hidden.
  await page.evaluate(() =>
    (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
  );
  await page.screenshot({
    path: join(SCREENSHOTS, `${name}.png`),
    caret: 'hide',
    animations: 'disabled',
  });
}

async function expectAccessible(watched: WatchedPage): Promise<void> {
  const violations = await seriousViolations(watched.page);
  expect(describeViolations(violations)).toBe('');
}

/**
 * Must-show: every page of the console, on a desktop and a phone, has no serious or
 * critical accessibility violation (axe-core) — and, for screenshots.mjs, its picture.
 */
describe('console pages: accessibility and screenshots (browser)', () => {
  const browser = useBrowser();
  const world = useConsoleWorld();

  describe.each(VIEWPORTS)(
    'on a $label ($viewport.width×$viewport.height)',
    ({ label, viewport, isMobile }) => {
      it('the sign-in page, and its wrong-key alert', async () => {
        const watched = await browser.open({ viewport, isMobile });
        const { page } = watched;
        await page.goto(consoleUrl(world.gateway.url));
        await page.getByRole('button', { name: 'Sign in' }).waitFor();
        await expectAccessible(watched);
        await screenshot(page, `sign-in-${label}`);
        expectSignInProbes(watched, 'admin');
        watched.expectHttpError(401, /\/v1\/usage\/summary/);
        await page.getByLabel('API key').fill('gk_wrong-key-for-the-alert-000000000');
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('alert').waitFor();
        await expectAccessible(watched);
      });

      it.each(VIEWS.map((view) => [view.name, view] as const))(
        'the %s page',
        async (_name, view) => {
          const watched = await browser.open({ viewport, isMobile });
          const { page } = watched;
          await signIn(watched, world.gateway.url, ADMIN_KEY, 'admin');
          await page.goto(consoleUrl(world.gateway.url, view.route(world)));
          await heading(page, view.heading).waitFor();
          await view.ready(page, world);
          await expectAccessible(watched);
          await screenshot(page, `${view.name}-${label}`);
        },
      );

      it('the API docs (/docs): a screenshot only — Swagger UI’s own markup is not ours to fix', async () => {
        const watched = await browser.open({ viewport, isMobile });
        await watched.page.goto(`${world.gateway.url}/docs`);
        await watched.page.locator('[data-path="/v1/chat/completions"]').first().waitFor();
        await screenshot(watched.page, `docs-${label}`);
      });
    },
  );
});
