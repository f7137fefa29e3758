import { useBrowser } from './browser';
import { ADMIN_KEY } from './console-gateway';
import { CONSOLE_PAGES, bodyRows, expectCount, heading, navigateTo, signIn } from './console-pages';
import { useConsoleWorld } from './console-world';

const page = (name: string) => CONSOLE_PAGES.find((p) => p.name === name)!;

/**
 * Must-show: the providers page shows the circuit the load opened; the requests page
 * filters down to the fallback request, and its detail shows the decision trace.
 */
describe('console providers and requests (browser)', () => {
  const browser = useBrowser();
  const world = useConsoleWorld();

  it('shows flaky’s circuit open (two failures in a row) and the others closed', async () => {
    const watched = await browser.open();
    await signIn(watched, world.gateway.url, ADMIN_KEY, 'admin');
    await navigateTo(watched.page, page('providers'));
    const table = watched.page.getByTestId('providers-table');
    const flaky = table.locator('tr[data-provider="flaky"]');
    await flaky.waitFor();
    const cells = await flaky.locator('th, td').allInnerTexts();
    const column = async (name: string): Promise<string> => {
      const headers = await table.locator('thead th').allInnerTexts();
      return cells[headers.indexOf(name)].trim();
    };
    expect(await column('Circuit')).toBe('open');
    expect(await column('Failures in a row')).toBe('2');
    expect(await column('Last error')).toMatch(/^server_error/);
    expect(await column('Open until')).toMatch(/in (59|60) min\)$/);
    for (const closed of ['primary', 'backup', 'writer']) {
      const row = table.locator(`tr[data-provider="${closed}"]`);
      expect(await row.locator('td').nth(1).innerText()).toBe('closed');
    }
  });

  it('filters the history to the fallback request and shows its trace: primary failed, backup served', async () => {
    const watched = await browser.open();
    const { page: tab } = watched;
    await signIn(watched, world.gateway.url, ADMIN_KEY, 'admin');
    await navigateTo(tab, page('requests'));
    const table = tab.getByTestId('requests-table');
    await bodyRows(table).first().waitFor();
    expect(await bodyRows(table).count()).toBe(14);

    const filters = tab.getByRole('form', { name: 'Filter requests' });
    await filters.getByLabel('Provider').fill('backup');
    await filters.getByLabel('Route').fill('main');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    await tab.waitForURL(/provider=backup/);
    // Backup also served the two requests over the open circuit, on the route `shaky`.
    await expectCount(bodyRows(table), 1);
    const row = bodyRows(table).first();
    expect(await row.innerText()).toContain(world.load.requestIds.fallback);
    expect(await row.getAttribute('data-request-id')).toBe(world.load.fallbackGatewayId);

    await row.getByRole('link', { name: world.load.fallbackGatewayId }).click();
    await heading(tab, 'Request').waitFor();
    const trace = tab.getByRole('table', { name: 'Decision trace' });
    await trace.waitFor();
    const steps = await bodyRows(trace).evaluateAll((rows) =>
      rows.map((r) =>
        Array.from((r as unknown as { cells: ArrayLike<{ innerText: string }> }).cells, (c) =>
          c.innerText.trim(),
        ).slice(0, 4),
      ),
    );
    expect(steps).toEqual([
      ['1', 'primary', 'p-model', 'server_error'],
      ['2', 'backup', 'b-model', 'ok'],
    ]);
    expect(await bodyRows(trace).first().innerText()).toContain('fell back to the next');
    // The trace the browser shows is the one the client got in x-gateway-trace.
    expect(world.load.fallbackTrace).toBe('primary/p-model=server_error, backup/b-model=ok');
    const facts = tab.getByTestId('request-facts');
    expect(await facts.innerText()).toContain('backup/b-model');
    expect(await facts.innerText()).toContain(world.load.requestIds.fallback);
  });

  it('filters the history by cache status to the one cache hit', async () => {
    const watched = await browser.open();
    const { page: tab } = watched;
    await signIn(watched, world.gateway.url, ADMIN_KEY, 'admin');
    await navigateTo(tab, page('requests'));
    const filters = tab.getByRole('form', { name: 'Filter requests' });
    await filters.getByLabel('Cache').selectOption('hit');
    await filters.getByRole('button', { name: 'Apply filters' }).click();
    const table = tab.getByTestId('requests-table');
    await expectCount(bodyRows(table), 1);
    expect(await bodyRows(table).first().innerText()).toContain(world.load.requestIds.cacheHit);
  });
});
