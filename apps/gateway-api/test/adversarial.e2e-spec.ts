import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { BudgetService, levelsOf } from '@ai-gateway/core/testing';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { HostileRequest } from './adversarial/hostile-bodies';
import { USERS, hostileRequests } from './adversarial/hostile-bodies';
import { GatewayProcess } from './gateway-process';
import type { TestGateway } from './harness';
import { providersFor, startGateway } from './harness';

/** Generated requests per run; the seed makes a failure reproducible (printed on failure). */
const RUNS = Number(process.env.ADVERSARIAL_RUNS ?? 3_000);
const SEED = Number(process.env.ADVERSARIAL_SEED ?? 20261207);
/** Requests in flight at once: enough to contend for leases and holds. */
const CONCURRENCY = Number(process.env.ADVERSARIAL_CONCURRENCY ?? 8);
/** No answer by then is a hang. */
const HANG_MS = 20_000;
/**
 * Bound on the worst event-loop stall seen in this process (gateway, fake provider, the
 * test's own client and its 3,000 generated bodies share it, and so do its collections):
 * a margin a noisy shared machine always keeps (~250 ms seen in CI), which still catches
 * the multi-second freezes this suite exists for (one 100 KB prompt held the loop 15.7 s).
 */
const STALL_BOUND_MS = 1_000;
/**
 * Bound on the worst event-loop stall of a gateway process of its own (read from its
 * `nodejs_eventloop_lag_max_seconds`), where neither this test's client nor the fake
 * provider shares its event loop. The issue's goal is ≤ 20 ms, measured on a quiet machine
 * by `npm run bench:adversarial` (5,000 requests one at a time, the figure printed;
 * `ADVERSARIAL_CONCURRENCY=8` for eight in flight); in CI, where other suites'
 * processes may still be exiting, the bound keeps a margin.
 */
const PROCESS_STALL_BOUND_MS = Number(process.env.ADVERSARIAL_STALL_BOUND_MS ?? 100);
const PROCESS_RUNS = Number(process.env.ADVERSARIAL_PROCESS_RUNS ?? 1_500);
/** prom-client samples the event loop every 10 ms: each interval counts that much. */
const LAG_RESOLUTION_MS = 10;
const BUDGET = { dailyUsd: 1_000 };

interface Outcome {
  request: HostileRequest;
  status: number;
  body: string;
  ms: number;
}

/**
 * Issue 13, must-show 2: thousands of generated hostile bodies (chat, embeddings, tasks,
 * raw text) through the real app. Zero 5xx for the caller's input, zero hangs, every
 * lease and budget hold given back, and the worst event-loop stall measured.
 */
describe('adversarial request path (e2e)', () => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    fake = await startFakeProvider();
    gateway = await startGateway({
      logging: { level: 'error' },
      providers: {
        ...providersFor(fake),
        any: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, maxRetries: 0 },
      },
      routes: { smart: { targets: ['openai/gpt-4o-mini', 'any/m'] } },
      rateLimits: {
        defaultUser: {
          concurrentRequests: 4,
          requestsPerMinute: 1_000_000,
          tokensPerMinute: 1_000_000_000,
        },
      },
      budgets: { defaultUser: BUDGET },
      tasks: { queue: { attempts: 1, backoffMs: 10 } },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
  });

  async function send(request: HostileRequest, url = gateway.url): Promise<Outcome> {
    const started = performance.now();
    const response = await fetch(`${url}${request.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...request.headers },
      body: request.body,
      signal: AbortSignal.timeout(HANG_MS),
    });
    const body = await response.text();
    return { request, status: response.status, body, ms: performance.now() - started };
  }

  /** 5xx that are not the caller's input: the model's answer failed a task's checks. */
  function callersFault(outcome: Outcome): boolean {
    if (outcome.status < 500) return false;
    if (outcome.request.door === 'tasks' && outcome.body.includes('invalid_model_output'))
      return false;
    return true;
  }

  it(`${RUNS} generated hostile requests: no 5xx, no hang, every admission released, stalls bounded`, async () => {
    const requests = hostileRequests(RUNS, SEED);
    // The fake provider runs in this process: a short fixed answer keeps its own work (an
    // echo of a megabyte prompt) out of the stalls measured for the gateway.
    fake.enqueue({ text: 'ok', usage: { prompt: 10, completion: 1 } }, -1);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    const outcomes: Outcome[] = [];
    const failures: string[] = [];
    const stalls: Array<{ ms: number; request: HostileRequest }> = [];
    let next = 0;
    loop.enable();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length) {
          const request = requests[next++];
          try {
            const before = loop.max;
            const outcome = await send(request);
            // With requests in flight at once this is approximate: the request during which
            // the worst stall so far was seen.
            if (loop.max > before) stalls.push({ ms: loop.max / 1e6, request });
            outcomes.push(outcome);
          } catch (error) {
            failures.push(`${request.door} ${request.body.slice(0, 200)}: ${String(error)}`);
          }
        }
      }),
    );
    loop.disable();
    const worstStallMs = loop.max / 1e6;

    const broken = outcomes.filter(callersFault);
    const byStatus: Record<number, number> = {};
    for (const o of outcomes) byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
    const byDoor: Record<string, number> = {};
    for (const o of outcomes) byDoor[o.request.door] = (byDoor[o.request.door] ?? 0) + 1;
    process.stdout.write(
      `adversarial: ${outcomes.length} requests (seed ${SEED}) ${JSON.stringify(byDoor)}; ` +
        `statuses ${JSON.stringify(byStatus)}; worst event-loop stall ${worstStallMs.toFixed(1)} ms; ` +
        `slowest answer ${Math.max(...outcomes.map((o) => o.ms)).toFixed(0)} ms\n` +
        stalls
          .slice(-3)
          .map(
            (s) =>
              `  stall ${s.ms.toFixed(1)} ms around ${s.request.door} ${s.request.body.slice(0, 160)}\n`,
          )
          .join(''),
    );
    expect(failures).toEqual([]);
    expect(
      broken.map(
        (o) =>
          `${o.status} ${o.request.door} ${o.request.body.slice(0, 300)} → ${o.body.slice(0, 200)}`,
      ),
    ).toEqual([]);
    // Every error answer is in OpenAI's shape.
    for (const o of outcomes.filter((x) => x.status >= 400)) {
      const parsed = JSON.parse(o.body) as { error?: { message?: unknown; type?: unknown } };
      expect(typeof parsed.error?.message).toBe('string');
      expect(typeof parsed.error?.type).toBe('string');
    }
    expect(worstStallMs).toBeLessThan(STALL_BOUND_MS);

    // Admission released: no budget hold left, and each user can still take all of its
    // concurrency slots at once.
    const budgets = gateway.app.get(BudgetService);
    for (const user of USERS) {
      const [usage] = await budgets.usage(levelsOf('user', user, BUDGET));
      expect({ user, reserved: usage.reservedMicroUsd }).toEqual({ user, reserved: 0 });
      fake.clearScripts();
      fake.enqueue({ latencyMs: 300 }, 4);
      const statuses = await Promise.all(
        Array.from({ length: 4 }, () =>
          send({
            door: 'chat',
            path: '/v1/chat/completions',
            headers: { 'x-gateway-user': user },
            body: JSON.stringify({ model: 'any/m', messages: [{ role: 'user', content: 'hi' }] }),
          }).then((o) => o.status),
        ),
      );
      expect({ user, statuses }).toEqual({ user, statuses: [200, 200, 200, 200] });
    }
  }, 600_000);

  it(`the worst event-loop stall of a gateway process under ${PROCESS_RUNS} hostile requests stays within ${PROCESS_STALL_BOUND_MS} ms`, async () => {
    const requests = hostileRequests(PROCESS_RUNS, SEED + 1);
    fake.clearScripts();
    fake.enqueue({ text: 'ok', usage: { prompt: 10, completion: 1 } }, -1);
    const child = await GatewayProcess.start({
      name: 'adversarial',
      config: {
        logging: { level: 'error' },
        providers: {
          ...providersFor(fake),
          any: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, maxRetries: 0 },
        },
        routes: { smart: { targets: ['openai/gpt-4o-mini', 'any/m'] } },
        rateLimits: { defaultUser: { concurrentRequests: 4, tokensPerMinute: 1_000_000_000 } },
        budgets: { defaultUser: BUDGET },
      },
    });
    try {
      // prom-client's lag metric holds the longest timer interval since the previous
      // scrape; the interval's own 10 ms (its resolution) is no stall.
      const lagMaxMs = async (): Promise<number> => {
        const text = await (await fetch(`${child.url}/metrics`)).text();
        const line = text
          .split('\n')
          .find((l) => l.startsWith('nodejs_eventloop_lag_max_seconds '));
        return Math.max(0, Number(line?.split(' ')[1]) * 1000 - LAG_RESOLUTION_MS);
      };
      // Warm-up (JIT, connections), then a clean window.
      for (const request of requests.slice(0, 50)) await send(request, child.url);
      await lagMaxMs();
      const statuses: number[] = [];
      const samples: number[] = [];
      let next = 0;
      let running = true;
      const scraping = (async () => {
        while (running) {
          await new Promise((resolve) => setTimeout(resolve, 500));
          samples.push(await lagMaxMs());
        }
      })();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < requests.length) {
            statuses.push((await send(requests[next++], child.url)).status);
          }
        }),
      );
      running = false;
      await scraping;
      samples.push(await lagMaxMs());
      const worst = Math.max(...samples);
      process.stdout.write(
        `adversarial (gateway process): ${statuses.length} requests, worst event-loop stall ` +
          `${worst.toFixed(1)} ms (${samples.length} windows: ${samples.map((x) => x.toFixed(0)).join(' ')})\n`,
      );
      expect(statuses.filter((status) => status >= 500)).toEqual([]);
      expect(worst).toBeLessThanOrEqual(PROCESS_STALL_BOUND_MS);
    } finally {
      await child.stop();
    }
  }, 600_000);
});
