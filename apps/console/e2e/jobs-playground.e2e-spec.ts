import type { TaskJobView } from '@ai-gateway/resume';
import { pollUntil } from './gateway-runner';
import { useBrowser } from './browser';
import { ADMIN_KEY, ROUTES } from './console-gateway';
import { CONSOLE_PAGES, bodyRows, heading, navigateTo, signIn } from './console-pages';
import { useConsoleWorld } from './console-world';

const JOBS = CONSOLE_PAGES.find((p) => p.name === 'jobs')!;
const PLAYGROUND = CONSOLE_PAGES.find((p) => p.name === 'playground')!;

/** The streamed answer of the playground, one word per chunk. */
const ANSWER_WORDS = ['Streaming', 'arrives', 'word', 'by', 'word', 'here.'];

/**
 * Must-show: re-running a failed job works; the playground streams an answer and shows
 * the decision trace.
 */
describe('console jobs and playground (browser)', () => {
  const browser = useBrowser();
  const world = useConsoleWorld();

  it('lists the failed job with its error and re-runs it to completion', async () => {
    const watched = await browser.open();
    const { page } = watched;
    const jobId = world.load.failedJobId;
    await signIn(watched, world.gateway.url, ADMIN_KEY, 'admin');
    await navigateTo(page, JOBS);
    await page.getByTestId('jobs-failed').waitFor();
    expect(await page.getByTestId('jobs-failed').getAttribute('data-value')).toBe('1');

    const row = page.locator(`tr[data-job-id="${jobId}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain('server_error: Provider writer answered 503');
    await row.getByRole('button', { name: `Re-run ${jobId}` }).click();
    await page.getByText(`Job ${jobId} queued again`).waitFor();

    // The second run gets the writer's proper answer: the job completes.
    const done = await pollUntil(
      () => world.gateway.adminGet<TaskJobView>(`/v1/jobs/${jobId}`),
      (view) => view.state === 'completed' || view.state === 'failed',
      { timeoutMs: 30_000, everyMs: 100 },
    );
    expect(done.state).toBe('completed');
    await page.getByRole('combobox', { name: 'State' }).selectOption('completed');
    await row.waitFor();
    await page.locator(`tr[data-job-id="${jobId}"] .badge`).getByText('completed').waitFor();

    await row.getByRole('link', { name: jobId }).click();
    await heading(page, 'Job').waitFor();
    await page.getByRole('heading', { name: 'Result' }).waitFor();
    expect(await page.locator('pre.json').innerText()).toContain('Richard Hendriks');
  });

  it('streams an answer word by word and shows the trace of the fallback it took', async () => {
    const watched = await browser.open();
    const { page } = watched;
    const { fake } = world.gateway;
    await signIn(watched, world.gateway.url, ADMIN_KEY, 'admin');
    await navigateTo(page, PLAYGROUND);
    // With auth on, model calls take a gateway key: the admin pastes one.
    await page.getByRole('textbox', { name: 'Gateway key' }).fill(world.load.keys.app.key);
    await page.getByRole('button', { name: 'Use key' }).click();
    const model = page.getByRole('combobox', { name: 'Model' });
    await model
      .getByRole('option', { name: ROUTES.main, exact: true })
      .waitFor({ state: 'attached' });
    await model.selectOption(ROUTES.main);
    await page.getByLabel('Prompt').fill('Tell me how streaming looks');

    // Primary fails once; backup streams six chunks 150 ms apart.
    fake.enqueue({ status: 500, errorMessage: 'scripted outage' }, 1, { model: 'p-model' });
    fake.enqueue({ text: ANSWER_WORDS.join(' '), chunkDelayMs: 150 }, 1, { model: 'b-model' });
    // Every text the answer box shows, recorded in the page as it changes.
    await page.evaluate(() => {
      const w = globalThis as unknown as {
        document: { body: unknown; querySelector(s: string): { textContent: string } | null };
        MutationObserver: new (cb: () => void) => { observe(n: unknown, o: unknown): void };
        answerTexts: string[];
      };
      w.answerTexts = [];
      new w.MutationObserver(() => {
        const text = w.document.querySelector('[data-testid="answer"]')?.textContent ?? '';
        if (text && w.answerTexts[w.answerTexts.length - 1] !== text) w.answerTexts.push(text);
      }).observe(w.document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByRole('button', { name: 'Send' }).click();

    const result = page.getByTestId('playground-result');
    await result.getByRole('status').getByText('Done').waitFor({ timeout: 30_000 });
    const final = ANSWER_WORDS.join(' ');
    expect((await result.getByTestId('answer').innerText()).trim()).toBe(final);
    const seen = await page.evaluate(
      () => (globalThis as unknown as { answerTexts: string[] }).answerTexts,
    );
    const partial = seen.filter((text) => text !== '…' && text.trim() !== final);
    // The answer grew in steps, each a beginning of the final text.
    expect(partial.length).toBeGreaterThanOrEqual(2);
    for (const text of partial) expect(final.startsWith(text.trim())).toBe(true);

    expect(await result.getByTestId('served-provider').innerText()).toBe('backup');
    const trace = result.getByRole('table', { name: `Decision trace for ${ROUTES.main}` });
    await trace.waitFor();
    const steps = await bodyRows(trace).allInnerTexts();
    expect(steps).toHaveLength(2);
    expect(steps[0]).toMatch(/primary\s+p-model\s+server_error/);
    expect(steps[1]).toMatch(/backup\s+b-model\s+ok/);
    // The usage row is found and linked: the request opens in the history.
    await result.getByTestId('result-cost').getByText('$', { exact: false }).waitFor();
  });
});
