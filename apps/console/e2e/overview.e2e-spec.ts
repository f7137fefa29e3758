import type { Page } from 'playwright-core';
import { useBrowser } from './browser';
import { ADMIN_KEY } from './console-gateway';
import { CONSOLE_PAGES, bodyRows, consoleUrl, heading, signIn } from './console-pages';
import { useConsoleWorld } from './console-world';

/** The overall bucket of `GET /v1/usage/summary`, the fields the overview shows. */
interface Totals {
  requests: number;
  totalTokens: number;
  costUsd: number;
  errorRate: number;
  cacheHitRate: number;
  p95LatencyMs: number;
}

/** A headline number as shown: its text and the unformatted `data-value`. */
async function stat(page: Page, testId: string): Promise<{ text: string; value: number }> {
  const cell = page.getByTestId(testId);
  await cell.waitFor();
  return {
    text: (await cell.innerText()).trim(),
    value: Number(await cell.getAttribute('data-value')),
  };
}

/**
 * Must-show: after the scripted load the overview shows the totals of `/v1/usage/summary`;
 * a gateway key signed in sees only its own rows.
 */
describe('console overview and key scoping (browser)', () => {
  const browser = useBrowser();
  const world = useConsoleWorld();

  it('shows the same totals as GET /v1/usage/summary after the scripted load', async () => {
    const watched = await browser.open();
    const { page } = watched;
    const summary = await world.gateway.adminGet<{ groups: Totals[] }>(
      '/v1/usage/summary?period=24h',
    );
    const api = summary.groups[0];
    // The load: 14 rows — 12 answered (3 successes, fallback, cache miss and hit, 2 over the
    // open circuit, 2 of the burst, 1 of Bob, 1 stream), the burst's 429 and the failed job's call.
    expect(api.requests).toBe(14);
    expect(api.errorRate).toBeCloseTo(2 / 14, 4);
    expect(api.cacheHitRate).toBeCloseTo(1 / 14, 4);

    await signIn(watched, world.gateway.url, ADMIN_KEY, 'admin');
    const requests = await stat(page, 'total-requests');
    expect(requests).toEqual({ text: '14', value: 14 });
    const tokens = await stat(page, 'total-tokens');
    expect(tokens).toEqual({
      text: api.totalTokens.toLocaleString('en-US'),
      value: api.totalTokens,
    });
    const cost = await stat(page, 'total-cost');
    expect(cost.value).toBe(api.costUsd);
    expect(Number(cost.text.replace(/^\$/, ''))).toBe(api.costUsd);
    const errors = await stat(page, 'error-rate');
    expect(errors).toEqual({ text: `${(api.errorRate * 100).toFixed(1)}%`, value: api.errorRate });
    const hits = await stat(page, 'cache-hit-rate');
    expect(hits).toEqual({
      text: `${(api.cacheHitRate * 100).toFixed(1)}%`,
      value: api.cacheHitRate,
    });
    const p95 = await stat(page, 'p95-latency');
    expect(p95.value).toBe(api.p95LatencyMs);
    expect(p95.text).toBe(`${Math.round(api.p95LatencyMs * 10) / 10} ms`);
  });

  it('shows a gateway key only its own traffic: totals, requests and jobs, and no admin pages', async () => {
    const watched = await browser.open();
    const { page } = watched;
    const bob = world.load.keys.other;
    await signIn(watched, world.gateway.url, bob.key, 'key');
    expect(await page.getByTestId('signed-in-as').innerText()).toBe(
      `Signed in with gateway key …${bob.key.slice(-4)}`,
    );
    expect(await page.getByRole('navigation').getByRole('link').allInnerTexts()).toEqual(
      CONSOLE_PAGES.filter((p) => p.forKeys).map((p) => p.heading),
    );
    // Bob made one request of the fourteen.
    expect(await stat(page, 'total-requests')).toEqual({ text: '1', value: 1 });

    await page.goto(consoleUrl(world.gateway.url, 'requests'));
    const rows = bodyRows(page.getByTestId('requests-table'));
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain(world.load.requestIds.other);
    expect(await rows.first().innerText()).toContain(bob.id);

    // Alice's failed job is not Bob's to see.
    await page.goto(consoleUrl(world.gateway.url, 'jobs'));
    await heading(page, 'Jobs').waitFor();
    await page.getByText('No failed job.').waitFor();
    expect(await page.locator(`[data-job-id="${world.load.failedJobId}"]`).count()).toBe(0);
  });
});
