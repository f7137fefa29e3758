import { useBrowser } from './browser';
import type { ConsoleGateway } from './console-gateway';
import { ADMIN_KEY, startConsoleGateway } from './console-gateway';
import {
  CONSOLE_PAGES,
  consoleUrl,
  expectSignInProbes,
  heading,
  signIn,
  submitSignIn,
} from './console-pages';

/** Must-show: signing in with the admin key; a wrong key gets a clear message. */
describe('console sign-in (browser)', () => {
  const browser = useBrowser();
  let gateway: ConsoleGateway;

  beforeAll(async () => {
    gateway = await startConsoleGateway();
  }, 90_000);
  afterAll(() => gateway?.stop());

  it('shows the sign-in form first, then the overview with every page in the nav for the admin key', async () => {
    const watched = await browser.open();
    const { page } = watched;
    await page.goto(consoleUrl(gateway.url, 'providers'));
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('navigation').count()).toBe(0);

    await signIn(watched, gateway.url, ADMIN_KEY, 'admin');
    expect(await page.getByTestId('signed-in-as').innerText()).toBe('Signed in with the admin key');
    const links = page.getByRole('navigation').getByRole('link');
    expect(await links.allInnerTexts()).toEqual(CONSOLE_PAGES.map((p) => p.heading));
    for (const target of CONSOLE_PAGES) {
      await links.filter({ hasText: target.heading }).click();
      await heading(page, target.heading).waitFor();
      await page.getByTestId(`page-${target.name}`).waitFor();
    }
    // The key travels in a header only: never in a URL the page loaded, never in the
    // gateway's log (its access log lines are on in this world).
    expect(watched.urls.length).toBeGreaterThan(CONSOLE_PAGES.length);
    expect(watched.urls.filter((url) => url.includes(ADMIN_KEY))).toEqual([]);
    expect(gateway.process.log).toContain('"msg":"request"');
    expect(gateway.process.log).not.toContain(ADMIN_KEY);
  });

  it('tells a wrong key it was refused, in an alert, and stays signed out', async () => {
    const watched = await browser.open();
    expectSignInProbes(watched, 'admin');
    // The gateway answers the wrong key with a 401: expected here, nowhere else.
    watched.expectHttpError(401, /\/v1\/usage\/summary/);
    await submitSignIn(watched.page, gateway.url, 'gk_this-is-not-a-real-key-0000000000');
    const alert = watched.page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/^Sign-in refused: .*key/i);
    expect(await watched.page.getByLabel('API key').getAttribute('aria-invalid')).toBe('true');
    expect(await heading(watched.page, 'Overview').count()).toBe(0);
  });

  it('keeps the session across a reload of the tab, and signs out back to the form', async () => {
    const watched = await browser.open();
    const { page } = watched;
    await signIn(watched, gateway.url, ADMIN_KEY, 'admin');
    await page.reload();
    await heading(page, 'Overview').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    // Nothing of the key is left in the tab.
    const stored = await page.evaluate(() =>
      JSON.stringify(
        (globalThis as unknown as { sessionStorage: Record<string, string> }).sessionStorage,
      ),
    );
    expect(stored).not.toContain(ADMIN_KEY);
  });
});
