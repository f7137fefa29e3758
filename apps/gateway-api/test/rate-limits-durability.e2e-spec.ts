import { TcpProxy, TokenCounter } from '@ai-gateway/core/testing';
import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import OpenAI from 'openai';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { IssuedKey } from './gateway-admin';
import { createGatewayKey } from './gateway-admin';
import type { GatewayProcessOptions } from './gateway-process';
import { GatewayProcess, pollUntil } from './gateway-process';
import type { CallOutcome, ChatBody } from './rate-limit-traffic';
import {
  brokenOf,
  headerOf,
  headerTally,
  heldBurst,
  latencySummary,
  pacedRun,
  refusalShape,
  refusalShapes,
  sendChat,
  tally,
} from './rate-limit-traffic';
import { REDIS_URL, TestRedis } from './test-redis';

const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const ADMIN_KEY = 'admin-ratelimit-durability-0123456789';
const MODEL = 'rl/r-model';
const ask: ChatBody = { messages: [{ role: 'user', content: 'hello' }] };
const LIMITED = refusalShape(429, 'rate_limit_error', 'rate_limit_exceeded');
const UNAVAILABLE = refusalShape(503, 'api_error', 'rate_limit_unavailable');
const LIMIT_REQUESTS = 'x-ratelimit-limit-requests';

/**
 * Redis command timeout of the outage runs. Not the 200 ms default: a loaded 2-core
 * machine can stall a process past it, and a spurious timeout would put an instance on
 * its local limiter for a second in the middle of the exact counts. A cut connection
 * fails at once whatever this is; only a command in flight at the cut waits for it.
 */
const COMMAND_TIMEOUT_MS = 1_000;
/** Latency bound of the outage runs: the timeout plus what a loaded machine may add. */
const LATENCY_BOUND_MS = COMMAND_TIMEOUT_MS + 1_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const unique = (label: string) => `${label}_${randomBytes(6).toString('hex')}`;
const report = (line: string) => process.stdout.write(`${line}\n`);

/** Issue 5, must-shows 1 and 3: rate limits across real gateway processes on one Redis. */
describe('rate limits across gateway processes (e2e)', () => {
  let fake: FakeProviderServer;
  /** Clean-up steps, run in reverse after each describe or test that pushed them. */
  let cleanup: Array<() => Promise<unknown>> = [];
  const later = (step: () => Promise<unknown>) => cleanup.push(step);
  const cleanUp = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    cleanup = [];
  };

  beforeAll(async () => {
    fake = await startFakeProvider({ recordLimit: 50 });
  });
  afterAll(() => fake.close());

  function configOf(
    keyPrefix: string,
    sections: Record<string, unknown>,
    commandTimeoutMs = 2_000,
  ): Record<string, unknown> {
    return {
      logging: { level: 'warn' },
      providers: {
        rl: {
          kind: 'openai-compatible',
          baseUrl: `${fake.url}/v1`,
          models: ['r-model'],
          maxRetries: 0,
        },
      },
      redis: { keyPrefix, commandTimeoutMs },
      ...sections,
    };
  }

  async function start(name: string, options: Omit<GatewayProcessOptions, 'name'>) {
    const gateway = await GatewayProcess.start({ ...options, name });
    later(() => gateway.stop());
    return gateway;
  }

  async function openRedis(keyPrefix: string): Promise<TestRedis> {
    const redis = await TestRedis.open(keyPrefix);
    later(() => redis.close());
    return redis;
  }

  describe('three instances, one Redis, one key store', () => {
    const RPM = 100;
    const TPM = 10_000;
    let gateways: GatewayProcess[];
    let rpmKey: IssuedKey;
    let tpmKey: IssuedKey;
    const clientsOf = (key: IssuedKey) =>
      gateways.map((g) => new OpenAI({ baseURL: `${g.url}/v1`, apiKey: key.key, maxRetries: 0 }));

    beforeAll(async () => {
      const schema = unique('ratelimit_durability');
      const keyPrefix = `test:${unique('ratelimit')}:`;
      await openRedis(keyPrefix);
      const pg = new DataSource({ type: 'postgres', url: DATABASE_URL, poolSize: 1 });
      await pg.initialize();
      later(() => pg.destroy());
      later(() => pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
      const auth = {
        enabled: true,
        adminKey: ADMIN_KEY,
        hashSecret: 'hash-secret-for-ratelimit-tests-0123',
        // The warm-up's lookup of each key stays cached through both bursts.
        cacheTtlMs: 300_000,
      };
      const options = {
        config: configOf(keyPrefix, { auth, usage: { databaseUrl: DATABASE_URL, schema } }),
        env: { REDIS_URL },
      };
      // The first instance migrates the key store and issues the keys; then the others.
      const a = await start('A', options);
      rpmKey = await createGatewayKey(a.url, ADMIN_KEY, {
        name: 'rpm-100',
        limits: { requestsPerMinute: RPM },
      });
      tpmKey = await createGatewayKey(a.url, ADMIN_KEY, {
        name: 'tpm-10k',
        limits: { tokensPerMinute: TPM },
      });
      gateways = [a, ...(await Promise.all([start('B', options), start('C', options)]))];
    }, 120_000);
    afterAll(cleanUp);
    beforeEach(() => fake.reset());

    it('300 requests within a second at a 100 RPM key: 100 admitted over the three, the rest 429 with Retry-After', async () => {
      const clients = clientsOf(rpmKey);
      // One call per instance caches the key's record there; then the bucket refills
      // the 3 requests (one per 600 ms) and the burst starts on a full bucket.
      for (const client of clients) expect((await sendChat(client, MODEL, ask)).status).toBe(200);
      await sleep(3 * 600 + 500);
      const calls = fake.requestCount;

      const { outcomes, held, decidedMs } = await heldBurst(fake, 300, (i) =>
        sendChat(clients[i % 3], MODEL, ask),
      );
      // Tolerance: the bucket refills one request per 600 ms while the burst is decided,
      // and every decision fell within `decidedMs`: at most floor(decidedMs / 600) more.
      // The provider holds the admitted calls, so nothing completes meanwhile.
      const refill = Math.floor(decidedMs / 600);
      expect(held).toBeGreaterThanOrEqual(RPM);
      expect(held).toBeLessThanOrEqual(RPM + refill);
      expect(tally(outcomes)).toEqual({ 200: held, 429: 300 - held });
      expect(fake.requestCount - calls).toBe(held);
      expect(refusalShapes(outcomes)).toEqual([LIMITED]);
      const refused = outcomes.filter((o) => o.status === 429);
      // An empty 100 RPM bucket holds a request again within 600 ms: Retry-After 1 s.
      expect(headerTally(refused, 'retry-after')).toEqual({ '1': refused.length });
      const waits = refused.map((o) => Number(headerOf(o, 'retry-after-ms')));
      expect(Math.min(...waits)).toBeGreaterThan(0);
      expect(Math.max(...waits)).toBeLessThanOrEqual(600);
      expect(headerTally(refused, 'x-ratelimit-remaining-requests')).toEqual({
        '0': refused.length,
      });
      expect(headerTally(outcomes, LIMIT_REQUESTS)).toEqual({ [RPM]: 300 });

      const perInstance = [0, 1, 2].map(
        (n) => outcomes.filter((o, i) => i % 3 === n && o.status === 200).length,
      );
      report(
        `RPM: 300 requests over 3 instances decided in ${decidedMs} ms (tolerance +${refill}); ` +
          `${held} admitted (A ${perInstance[0]}, B ${perInstance[1]}, C ${perInstance[2]}), ` +
          `${refused.length} × 429, retry-after-ms ${Math.min(...waits)}–${Math.max(...waits)}`,
      );
    }, 60_000);

    it('300 requests at a 10,000 TPM key, 500 tokens each: floor(10,000 / 500) = 20 admitted, the rest 429', async () => {
      const SIZE = 500;
      const clients = clientsOf(tpmKey);
      const messages: ChatBody['messages'] = [
        { role: 'user', content: 'Please count the tokens of this short sentence.' },
      ];
      // The gateway's estimate: the prompt counted by its tokenizer + max_tokens.
      const promptTokens = new TokenCounter().countPrompt(
        { model: MODEL, messages },
        'openai-compatible',
        'r-model',
      );
      const body: ChatBody = { messages, max_tokens: SIZE - promptTokens };
      const tiny: ChatBody = { messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 };
      let warm: CallOutcome | undefined;
      for (const client of clients) {
        warm = await sendChat(client, MODEL, tiny);
        expect(warm.status).toBe(200);
      }
      // The tiny warm-up calls took a few tokens: wait until they are refilled (6 ms each).
      const deficit = TPM - Number(headerOf(warm!, 'x-ratelimit-remaining-tokens'));
      await sleep(deficit * 6 + 500);
      const calls = fake.requestCount;

      const { outcomes, held, decidedMs } = await heldBurst(fake, 300, (i) =>
        sendChat(clients[i % 3], MODEL, body),
      );
      // Tolerance: 10,000 / 60 tokens refill per second, one more request per 3 s of burst.
      const ceiling = Math.floor((TPM + (decidedMs * TPM) / 60_000) / SIZE);
      expect(held).toBeGreaterThanOrEqual(Math.floor(TPM / SIZE));
      expect(held).toBeLessThanOrEqual(ceiling);
      expect(tally(outcomes)).toEqual({ 200: held, 429: 300 - held });
      expect(fake.requestCount - calls).toBe(held);
      expect(refusalShapes(outcomes)).toEqual([LIMITED]);
      // The first admitted call found a full bucket: the estimate read back is SIZE.
      const admitted = outcomes.filter((o) => o.status === 200);
      const highest = Math.max(
        ...admitted.map((o) => Number(headerOf(o, 'x-ratelimit-remaining-tokens'))),
      );
      expect(TPM - highest).toBe(SIZE);
      const refused = outcomes.filter((o) => o.status === 429);
      const waits = refused.map((o) => Number(headerOf(o, 'retry-after-ms')));
      expect(Math.min(...waits)).toBeGreaterThan(0);
      // 500 tokens refill in 3 s.
      expect(Math.max(...waits)).toBeLessThanOrEqual(SIZE * 6);
      expect(headerTally(outcomes, 'x-ratelimit-limit-tokens')).toEqual({ [TPM]: 300 });
      report(
        `TPM: 300 requests of ${SIZE} tokens (prompt ${promptTokens} + max_tokens ` +
          `${SIZE - promptTokens}) decided in ${decidedMs} ms; ${held} admitted ` +
          `(ceiling with refill ${ceiling}), ${refused.length} × 429, retry-after-ms ` +
          `${Math.min(...waits)}–${Math.max(...waits)}`,
      );
    }, 60_000);
  });

  describe('Redis cut while gateways run', () => {
    afterEach(cleanUp);

    /** A proxy to the machine's Redis that the test cuts; `url` is what the gateways use. */
    async function redisProxy(): Promise<{ proxy: TcpProxy; url: string }> {
      const proxy = new TcpProxy(6379);
      await proxy.start();
      later(() => proxy.stop());
      return { proxy, url: `redis://127.0.0.1:${proxy.port}` };
    }

    it('fail open: a 2,000-request run on two instances with Redis cut for 4 s has no 5xx, limits locally at limit ÷ 2, and shares again after', async () => {
      const RUN = 2_000;
      const PER_SECOND = 200;
      const CUT_AT_MS = 3_000;
      const OUTAGE_MS = 4_000;
      const BULK_RPM = 10_000;
      // 6 per minute: one request refills every 10 s, so the counts below stay exact.
      const SMALL_RPM = 6;
      const keyPrefix = `test:${unique('ratelimit')}:`;
      await openRedis(keyPrefix);
      const { proxy, url } = await redisProxy();
      const rateLimits = {
        failMode: 'open',
        expectedInstances: 2,
        users: { bulk: { requestsPerMinute: BULK_RPM }, small: { requestsPerMinute: SMALL_RPM } },
      };
      const options = {
        config: configOf(keyPrefix, { rateLimits }, COMMAND_TIMEOUT_MS),
        env: { REDIS_URL: url },
      };
      const gateways = await Promise.all([start('A', options), start('B', options)]);
      const call = (n: number, user: string) =>
        sendChat(gateways[n % 2].client, MODEL, ask, { 'x-gateway-user': user });
      const burstOf = (count: number, user: string) =>
        Promise.all(Array.from({ length: count }, (_, i) => call(i, user)));
      for (let n = 0; n < 2; n++)
        expect(headerOf(await call(n, 'bulk'), LIMIT_REQUESTS)).toBe('10000');

      // Before the cut the small user's 6 per minute hold once across both instances.
      const drainedFrom = Date.now();
      const before = await burstOf(10, 'small');
      expect(tally(before)).toEqual({ 200: SMALL_RPM, 429: 10 - SMALL_RPM });
      expect(headerTally(before, LIMIT_REQUESTS)).toEqual({ [SMALL_RPM]: 10 });

      const runStarted = Date.now();
      let cutAt = 0;
      let upAt = 0;
      let during: CallOutcome[] = [];
      const [run] = await Promise.all([
        pacedRun(RUN, PER_SECOND, (i) => call(i, 'bulk')),
        (async () => {
          await sleep(CUT_AT_MS);
          await proxy.stop();
          cutAt = Date.now();
          await sleep(500);
          during = await burstOf(16, 'small');
          await sleep(runStarted + CUT_AT_MS + OUTAGE_MS - Date.now());
          await proxy.start();
          upAt = Date.now();
        })(),
      ]);
      const runMs = Date.now() - runStarted;

      // The run: every request served, decided by Redis (10000) or locally (10000 ÷ 2).
      expect(brokenOf(run)).toEqual([]);
      expect(tally(run)).toEqual({ 200: RUN });
      const modes = headerTally(run, LIMIT_REQUESTS);
      expect(Object.keys(modes).sort()).toEqual(['10000', '5000']);
      // During the cut each instance limits the small user locally at 6 ÷ 2 = 3.
      for (const n of [0, 1]) {
        expect(tally(during.filter((_, i) => i % 2 === n))).toEqual({ 200: 3, 429: 5 });
      }
      expect(headerTally(during, LIMIT_REQUESTS)).toEqual({ 3: 16 });
      expect(refusalShapes([...before, ...during])).toEqual([LIMITED]);

      // Redis back: each instance returns to the shared buckets by itself.
      const recoveredMs: number[] = [];
      for (const n of [0, 1]) {
        const shared = await pollUntil(
          () => call(n, 'bulk'),
          (o) => headerOf(o, LIMIT_REQUESTS) === String(BULK_RPM),
          { timeoutMs: 15_000, everyMs: 100 },
        );
        expect(headerOf(shared, LIMIT_REQUESTS)).toBe(String(BULK_RPM));
        const first = run.find(
          (o, i) => i % 2 === n && o.sentAt >= upAt && headerOf(o, LIMIT_REQUESTS) === '10000',
        );
        recoveredMs.push((first ?? shared).sentAt - upAt);
      }
      // The small user's Redis bucket goes on from where it was before the cut: since the
      // drain it can only have refilled one request per 10 s, whatever the local limiter did.
      const after = await burstOf(8, 'small');
      const sinceDrainMs = Date.now() - drainedFrom;
      expect(headerTally(after, LIMIT_REQUESTS)).toEqual({ [SMALL_RPM]: 8 });
      const admittedAfter = tally(after)[200] ?? 0;
      expect(admittedAfter).toBeLessThanOrEqual(Math.floor((sinceDrainMs * SMALL_RPM) / 60_000));
      expect(refusalShapes(after)).toEqual(admittedAfter === 8 ? [] : [LIMITED]);

      const everything = [...before, ...run, ...during, ...after];
      expect(brokenOf(everything)).toEqual([]);
      const slowest = Math.max(...everything.map((o) => o.latencyMs));
      expect(slowest).toBeLessThan(LATENCY_BOUND_MS);
      const inOutage = run.filter((o) => o.sentAt >= cutAt && o.sentAt < upAt);
      report(
        `Redis cut (fail open): ${RUN} requests in ${runMs} ms, Redis down ${upAt - cutAt} ms; ` +
          `all 200; ${modes['5000']} decided locally, ${modes['10000']} by Redis; latency all ` +
          `${latencySummary(run)}, during the cut ${latencySummary(inOutage)}; slowest of every ` +
          `call ${slowest} ms (commandTimeoutMs ${COMMAND_TIMEOUT_MS}); small user 6 RPM: ` +
          `${tally(before)[200]} of 10 before, 3 + 3 of 16 during, ${admittedAfter} of 8 after ` +
          `(${sinceDrainMs} ms after the drain); shared again ${recoveredMs.join(' / ')} ms after Redis returned`,
      );
    }, 90_000);

    it('fail closed: 503 rate_limit_unavailable with Retry-After while Redis is cut, served again after', async () => {
      const keyPrefix = `test:${unique('ratelimit')}:`;
      await openRedis(keyPrefix);
      const { proxy, url } = await redisProxy();
      const rateLimits = { failMode: 'closed', users: { strict: { requestsPerMinute: 1_000 } } };
      const gateway = await start('G', {
        config: configOf(keyPrefix, { rateLimits }, COMMAND_TIMEOUT_MS),
        env: { REDIS_URL: url },
      });
      const call = () => sendChat(gateway.client, MODEL, ask, { 'x-gateway-user': 'strict' });
      const series = async (count: number, gapMs: number) => {
        const outcomes: CallOutcome[] = [];
        for (let i = 0; i < count; i++) {
          outcomes.push(await call());
          await sleep(gapMs);
        }
        return outcomes;
      };

      const before = await series(10, 0);
      expect(tally(before)).toEqual({ 200: 10 });
      await proxy.stop();
      const cutAt = Date.now();
      await sleep(300);
      // 20 calls over more than the limiter's 1 s back-off: Redis is tried again, and fails.
      const during = await series(20, 75);
      expect(tally(during)).toEqual({ 503: 20 });
      expect(refusalShapes(during)).toEqual([UNAVAILABLE]);
      expect(headerTally(during, 'retry-after')).toEqual({ 1: 20 });
      expect(headerTally(during, 'retry-after-ms')).toEqual({ 1000: 20 });
      await proxy.start();
      const upAt = Date.now();
      const back = await pollUntil(call, (o) => o.status === 200, { timeoutMs: 15_000 });
      const recoveredMs = Date.now() - upAt;
      expect(back.status).toBe(200);
      const after = await series(10, 0);
      expect(tally(after)).toEqual({ 200: 10 });
      expect(headerTally(after, LIMIT_REQUESTS)).toEqual({ 1000: 10 });
      const slowest = Math.max(...[...before, ...during, ...after].map((o) => o.latencyMs));
      expect(slowest).toBeLessThan(LATENCY_BOUND_MS);
      report(
        `Redis cut (fail closed): down ${upAt - cutAt} ms, 20 × 503 rate_limit_unavailable ` +
          `(Retry-After 1), latency during ${latencySummary(during)}; served again ` +
          `${recoveredMs} ms after Redis returned; slowest call ${slowest} ms`,
      );
    }, 60_000);
  });
});
