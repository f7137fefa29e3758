import type { FakeProviderServer, FakeScript } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import OpenAI from 'openai';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TcpProxy } from '@ai-gateway/core/testing';
import type { GatewayProcessOptions } from './gateway-process';
import { GatewayProcess, pollUntil } from './gateway-process';
import { REDIS_URL, TestRedis } from './test-redis';

const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

/*
 * Prices chosen so the figures are round: input is free and output costs $10 per million
 * tokens, so a request with max_tokens 100 may cost at most 100 × $10/M = $0.001
 * (1,000 µ$), and a call the fake reports as 1 completion token costs 10 µ$.
 */
const PRICE = { inputCostPerMTok: 0, outputCostPerMTok: 10 };
const MAX_TOKENS = 100;
const WORST_MICRO_USD = 1_000;
const ACTUAL_MICRO_USD = 10;
/** What the fake answers for `d-model`: 1 completion token, so each call costs 10 µ$. */
const SMALL_USAGE: FakeScript = { usage: { prompt: 10, completion: 1 } };

/**
 * A caller budget of `calls` worst cases. A 365-day window (the longest the schema takes)
 * rather than a daily budget: a UTC midnight during the test would reset a daily one.
 */
const budgetOf = (calls: number) => ({
  windowUsd: (calls * WORST_MICRO_USD) / 1_000_000,
  windowMs: 31_536_000_000,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const unique = (label: string) => `${label}_${randomBytes(6).toString('hex')}`;

/** What one call got: the HTTP status, the gateway's request id, the error when it failed. */
interface Outcome {
  status: number;
  requestId?: string;
  error?: InstanceType<typeof OpenAI.APIError>;
  /** No HTTP answer at all (connection refused or cut). */
  failure?: string;
}

/** One chat call through the official client; an HTTP error is an outcome, a dead socket throws. */
async function chat(
  gateway: GatewayProcess,
  user: string,
  { model = 'd-model', maxTokens = MAX_TOKENS } = {},
): Promise<Outcome> {
  try {
    const { response } = await gateway.client.chat.completions
      .create(
        {
          model: `dur/${model}`,
          max_tokens: maxTokens,
          messages: [{ role: 'user', content: 'hi' }],
        },
        { headers: { 'x-gateway-user': user } },
      )
      .withResponse();
    return { status: response.status, requestId: response.headers.get('x-request-id') ?? '' };
  } catch (error) {
    if (error instanceof OpenAI.APIError && error.status !== undefined) {
      return { status: error.status, error };
    }
    throw error;
  }
}

/** How many outcomes had each status, e.g. `{ 200: 50, 429: 150 }`. */
function tally(outcomes: readonly Outcome[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of outcomes) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** The distinct shapes of the refusals: status, type, code and the error body's keys. */
function refusalShapes(outcomes: readonly Outcome[]): string[] {
  const shapes = outcomes
    .filter((o) => o.status !== 200)
    .map(({ error }) =>
      JSON.stringify([
        error?.status,
        error?.type,
        error?.code,
        Object.keys((error?.error ?? {}) as object).sort(),
      ]),
    );
  return [...new Set(shapes)];
}

const BUDGET_EXCEEDED_SHAPE = JSON.stringify([
  429,
  'rate_limit_error',
  'budget_exceeded',
  ['code', 'message', 'param', 'type'],
]);

/** Issue 4, durability must-shows: budgets and the usage log across real gateway processes. */
describe('budgets and the usage log across gateway processes (e2e)', () => {
  let fake: FakeProviderServer;
  /** Clean-up of the running test, run after it whatever its outcome. */
  let cleanup: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    fake = await startFakeProvider({ recordLimit: 100 });
  });
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    cleanup = [];
    fake.reset();
  });
  afterAll(() => fake.close());

  /** Config of a gateway on the shared Redis under `keyPrefix`, with priced fake models. */
  function configOf(keyPrefix: string, sections: Record<string, unknown>): Record<string, unknown> {
    return {
      logging: { level: 'warn' },
      providers: {
        dur: {
          kind: 'openai-compatible',
          baseUrl: `${fake.url}/v1`,
          models: ['d-model', 'probe-model'],
          maxRetries: 0,
          modelInfo: { 'd-model': PRICE, 'probe-model': PRICE },
        },
      },
      // A loaded 2-core machine can stall a process past the default 200 ms.
      redis: { keyPrefix, commandTimeoutMs: 2_000 },
      ...sections,
    };
  }

  async function start(name: string, options: Omit<GatewayProcessOptions, 'name'>) {
    const gateway = await GatewayProcess.start({ ...options, name });
    cleanup.push(() => gateway.stop());
    return gateway;
  }

  async function openRedis(keyPrefix: string): Promise<TestRedis> {
    const redis = await TestRedis.open(keyPrefix);
    cleanup.push(() => redis.close());
    return redis;
  }

  /** One budgeted call per instance first: token tables and connections are ready before the race. */
  async function warmUp(...gateways: GatewayProcess[]): Promise<void> {
    for (const gateway of gateways) expect((await chat(gateway, 'warm')).status).toBe(200);
  }

  /**
   * `count` concurrent calls by `user`, spread over the gateways in turn, while the fake
   * holds every call that reaches it: once each call is either refused or held, `held` is
   * how many the budgets let through — decided with nothing settled yet, whatever the
   * machine's speed. Then the held calls answer (and settle).
   */
  async function burst(gateways: GatewayProcess[], user: string, count: number) {
    fake.pause();
    let answered = 0;
    const pending = Array.from({ length: count }, (_, i) =>
      chat(gateways[i % gateways.length], user).finally(() => answered++),
    );
    const started = Date.now();
    let held: number;
    try {
      await pollUntil(
        () => answered + fake.inFlight,
        (decided) => decided >= count,
        { timeoutMs: 60_000, everyMs: 10 },
      );
      held = fake.inFlight;
    } finally {
      fake.resume();
    }
    const decidedMs = Date.now() - started;
    return { outcomes: await Promise.all(pending), held, decidedMs };
  }

  /** The user's budget once every settle has landed (they are written after the responses). */
  function settledBudget(redis: TestRedis, user: string) {
    return pollUntil(
      () => redis.budget(user),
      (s) => s.reserved === 0,
      { timeoutMs: 10_000 },
    );
  }

  it('two instances on one Redis let exactly the budget through 200 concurrent requests', async () => {
    const keyPrefix = `test:${unique('durability')}:`;
    const redis = await openRedis(keyPrefix);
    const budgets = { users: { carol: budgetOf(50), warm: budgetOf(1_000) } };
    const options = { config: configOf(keyPrefix, { budgets }), env: { REDIS_URL } };
    const [a, b] = await Promise.all([start('A', options), start('B', options)]);
    await warmUp(a, b);
    fake.enqueue(SMALL_USAGE, -1, { model: 'd-model' });

    let calls = fake.requestCount;
    fake.resetMaxInFlight();
    const first = await burst([a, b], 'carol', 200);
    expect(first.held).toBe(50);
    expect(tally(first.outcomes)).toEqual({ 200: 50, 429: 150 });
    expect(refusalShapes(first.outcomes)).toEqual([BUDGET_EXCEEDED_SHAPE]);
    expect(fake.requestCount - calls).toBe(50);
    expect(fake.maxInFlight).toBeLessThanOrEqual(50);
    const peak = fake.maxInFlight;
    expect(await settledBudget(redis, 'carol')).toEqual({
      spent: 50 * ACTUAL_MICRO_USD,
      reserved: 0,
    });

    // The 50 calls cost 500 µ$ of the 50,000: 49,500 µ$ are left, room for 49 worst cases
    // (a 50th would need 50,000 µ$ free). A second burst of 100 gets exactly those.
    calls = fake.requestCount;
    const second = await burst([a, b], 'carol', 100);
    expect(second.held).toBe(49);
    expect(tally(second.outcomes)).toEqual({ 200: 49, 429: 51 });
    expect(refusalShapes(second.outcomes)).toEqual([BUDGET_EXCEEDED_SHAPE]);
    expect(fake.requestCount - calls).toBe(49);
    const final = await settledBudget(redis, 'carol');
    expect(final).toEqual({ spent: 99 * ACTUAL_MICRO_USD, reserved: 0 });
    expect(final.spent).toBeLessThanOrEqual(50 * WORST_MICRO_USD);

    const byA = first.outcomes.filter((o, i) => o.status === 200 && i % 2 === 0).length;
    process.stdout.write(
      `budget race: 200 requests decided in ${first.decidedMs} ms, 50 admitted (A ${byA}, ` +
        `B ${50 - byA}), provider peak in flight ${peak}; then 49 of 100; spent ` +
        `${final.spent} µ$ of ${50 * WORST_MICRO_USD}\n`,
    );
  }, 120_000);

  it('holds of a SIGKILLed instance block the budget until their TTL, then it is whole again', async () => {
    const N = 5;
    const ttlMs = 5_000;
    const keyPrefix = `test:${unique('durability')}:`;
    const redis = await openRedis(keyPrefix);
    const budgets = {
      reservationTtlMs: ttlMs,
      users: { dave: budgetOf(N), warm: budgetOf(1_000) },
    };
    const options = { config: configOf(keyPrefix, { budgets }), env: { REDIS_URL } };
    const [a, b] = await Promise.all([start('A', options), start('B', options)]);
    await warmUp(a, b);

    // A takes N calls that the provider never answers, and dies with their holds taken.
    fake.enqueue({ fault: 'hang' }, N, { model: 'd-model' });
    const sentAt = Date.now();
    const doomed = Array.from({ length: N }, () => chat(a, 'dave').catch((e: unknown) => e));
    expect(
      await pollUntil(
        () => fake.inFlight,
        (n) => n === N,
        { timeoutMs: 20_000 },
      ),
    ).toBe(N);
    expect(await a.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    const lost = await Promise.all(doomed);
    expect(lost.every((e) => e instanceof OpenAI.APIConnectionError)).toBe(true);

    const blocked = await chat(b, 'dave');
    const blockedAfterMs = Date.now() - sentAt;
    expect(refusalShapes([blocked])).toEqual([BUDGET_EXCEEDED_SHAPE]);
    expect(blocked.error?.message).toContain(`$0.005 held by requests in flight`);

    // The probe asks for the whole budget (N worst cases) and the provider refuses it with
    // a 400, so an admitted probe is released and charges nothing: 429 while any hold of A
    // is alive, 400 once every one has expired.
    fake.enqueue({ status: 400, errorMessage: 'probe' }, -1, { model: 'probe-model' });
    const probe = () => chat(b, 'dave', { model: 'probe-model', maxTokens: N * MAX_TOKENS });
    const freed = await pollUntil(probe, (o) => o.status !== 429, {
      timeoutMs: ttlMs + 30_000,
      everyMs: 200,
    });
    const freedAfterMs = Date.now() - sentAt;
    expect(freed.status).toBe(400);
    // A hold was taken after `sentAt` and lasts `ttlMs`: none can have expired sooner.
    expect(freedAfterMs).toBeGreaterThanOrEqual(ttlMs);
    expect(await settledBudget(redis, 'dave')).toEqual({ spent: 0, reserved: 0 });

    // Whole again: N worst cases fit, the next one does not.
    fake.enqueue(SMALL_USAGE, -1, { model: 'd-model' });
    const again = await burst([b], 'dave', N + 1);
    expect(again.held).toBe(N);
    expect(tally(again.outcomes)).toEqual({ 200: N, 429: 1 });
    expect(await settledBudget(redis, 'dave')).toEqual({
      spent: N * ACTUAL_MICRO_USD,
      reserved: 0,
    });
    process.stdout.write(
      `SIGKILL: B refused ${blockedAfterMs} ms after A's holds were taken; ` +
        `the whole budget was free again after ${freedAfterMs} ms (TTL ${ttlMs} ms)\n`,
    );
  }, 120_000);

  it('loses and duplicates no usage row while PostgreSQL is down for 30 s under load', async () => {
    const LOAD_MS = 45_000;
    const DOWN_AT_MS = 7_000;
    const DOWN_FOR_MS = 30_000;
    const schema = unique('usage_durability');
    const keyPrefix = `test:${unique('durability')}:`;
    const redis = await openRedis(keyPrefix);
    const admin = new DataSource({ type: 'postgres', url: DATABASE_URL, poolSize: 1 });
    await admin.initialize();
    cleanup.push(() => admin.destroy());
    await admin.query(`CREATE SCHEMA "${schema}"`);
    cleanup.push(() => admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
    const proxy = new TcpProxy(5432);
    await proxy.start();
    cleanup.push(() => proxy.stop());
    const countRows = async () => {
      const [row] = await admin.query<Array<{ rows: number; ids: number; failed: number }>>(
        `SELECT count(*)::int AS rows, count(DISTINCT request_id)::int AS ids,
                count(*) FILTER (WHERE status <> 'ok')::int AS failed
           FROM "${schema}".usage_log`,
      );
      return row;
    };

    const gateway = await start('G', {
      config: configOf(keyPrefix, { usage: { schema } }),
      env: { REDIS_URL, DATABASE_URL: proxy.url() },
    });
    fake.enqueue({ latencyMs: 20 }, -1, { model: 'd-model' });

    // 20 clients, each sending one request after the other for LOAD_MS.
    const ok: string[] = [];
    const failed: string[] = [];
    const until = Date.now() + LOAD_MS;
    const client = async () => {
      while (Date.now() < until) {
        const outcome = await chat(gateway, 'erin').catch((error: unknown): Outcome => ({
          status: 0,
          failure: String(error),
        }));
        if (outcome.status === 200 && outcome.requestId) ok.push(outcome.requestId);
        else failed.push(`${outcome.status} ${outcome.error?.message ?? outcome.failure}`);
      }
    };
    const load = Promise.all(Array.from({ length: 20 }, client));

    await sleep(DOWN_AT_MS);
    await proxy.stop();
    const downAt = Date.now();
    await sleep(1_000);
    const rowsWhenDown = (await countRows()).rows;
    await sleep(DOWN_FOR_MS - 1_000);
    const rowsBeforeUp = (await countRows()).rows;
    const bufferedWhileDown = await redis.bufferedRows();
    const sentWhileDown = ok.length;
    await proxy.start();
    const upAt = Date.now();
    await load;
    const loadEndedAt = Date.now();

    expect(failed.slice(0, 5)).toEqual([]);
    expect(rowsBeforeUp).toBe(rowsWhenDown);
    expect(bufferedWhileDown).toBeGreaterThan(0);
    const stored = await pollUntil(countRows, (c) => c.rows >= ok.length, {
      timeoutMs: 60_000,
      everyMs: 250,
    });
    const drainedAt = Date.now();
    expect(stored).toEqual({ rows: ok.length, ids: ok.length, failed: 0 });
    const ids = new Set(
      (
        await admin.query<Array<{ request_id: string }>>(
          `SELECT request_id FROM "${schema}".usage_log`,
        )
      ).map((row) => row.request_id),
    );
    expect(ok.filter((id) => !ids.has(id))).toEqual([]);
    expect(await redis.bufferedRows()).toBe(0);
    process.stdout.write(
      `usage outage: ${ok.length} requests answered 200, ${failed.length} failed; database down ` +
        `${upAt - downAt} ms (${rowsWhenDown} rows stored before, ${bufferedWhileDown} buffered ` +
        `in Redis at the end of it, ${sentWhileDown} requests answered by then); ${stored.rows} rows, ` +
        `all ids distinct, ${drainedAt - upAt} ms from the database's return to the last row ` +
        `(${drainedAt - loadEndedAt} ms after the load ended)\n`,
    );
  }, 150_000);
});
