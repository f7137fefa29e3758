// Rate-limiter micro-benchmark: what acquire + settle add to a request, through RateLimiter
// and RedisRateLimitStore (one Lua script each, so two round trips) against the Redis on
// loopback. Run with `npm run bench:ratelimit` (issue 5, "Must show" 5: the limiter adds
// ≤ 0.3 ms p50 per request).
//
// Environment: BENCH_ITERATIONS (measured requests per phase, default 10000),
// BENCH_WARMUP_ITERATIONS (default 1000), BENCH_CONCURRENCY (default 16),
// BENCH_REDIS_URL (default redis://127.0.0.1:6379).
import { distLoader } from './lib/dist.mjs';
import { microBenchSettings, runMicroBench } from './lib/micro-bench.mjs';

const fromDist = distLoader('rate-limit/redis-rate-limit.store.js', 'the rate limiter');
const { systemClock } = fromDist('shared/clock.js');
const { GatewayMetrics } = fromDist('observability/gateway-metrics.service.js');
const { RateLimiter } = fromDist('rate-limit/rate-limiter.service.js');
const { RateLimitMetrics } = fromDist('rate-limit/rate-limit.metrics.js');
const { RedisRateLimitStore } = fromDist('rate-limit/redis-rate-limit.store.js');

const SETTINGS = microBenchSettings();
const { ITERATIONS, CONCURRENCY } = SETTINGS;
const GOAL_MS = 0.3;

// Every scope a request can meet, limits far above what the run takes, so every acquire
// is admitted and the scripts do their full work: 8 token buckets over 5 scopes.
const HUGE = 1_000_000_000;
const SCOPES = [
  { kind: 'key', id: 'key-1', requestsPerMinute: HUGE, tokensPerMinute: HUGE, failMode: 'open' },
  { kind: 'user', id: 'alice', tokensPerMinute: HUGE, failMode: 'open' },
  { kind: 'team', id: 'research', requestsPerMinute: HUGE, failMode: 'open' },
  { kind: 'model', id: 'gpt-4o', tokensPerMinute: HUGE, failMode: 'open' },
  {
    kind: 'global',
    id: '*',
    requestsPerMinute: HUGE,
    tokensPerMinute: HUGE,
    failMode: 'open',
  },
];
// The same, plus a concurrency limit on the key: release is a third script.
const WITH_CONCURRENCY = [{ ...SCOPES[0], concurrentRequests: 1_000_000 }, ...SCOPES.slice(1)];
const ESTIMATE = 4_000; // prompt + max_tokens
const ACTUAL = 350;

const MAIN = 'acquire + settle, 5 scopes';

await runMicroBench({
  fromDist,
  settings: { ...SETTINGS, scopes: SCOPES.length },
  name: 'rate-limit',
  title:
    `Rate limiter acquire + settle through RateLimiter on Redis (${SCOPES.length} scopes, ` +
    `${ITERATIONS} iterations per phase)`,
  parts: ['acquire', 'finish'],
  goal: { phase: MAIN, ms: GOAL_MS, label: 'acquire + settle', scope: 'sequential, 5 scopes' },
  setup: ({ config, redis, ping }) => {
    const limiter = new RateLimiter(
      config,
      systemClock,
      new RedisRateLimitStore(redis),
      new RateLimitMetrics(new GatewayMetrics()),
    );
    let sequence = 0;
    /** One request's limiter work: acquire the estimate, settle the actual usage (and release). */
    const request = (scopes) => {
      const release = scopes.some((scope) => scope.concurrentRequests !== undefined);
      return async () => {
        const started = performance.now();
        const decision = await limiter.acquire(`req-${sequence++}`, scopes, ESTIMATE);
        const acquired = performance.now();
        if (!decision.admitted) throw new Error(`acquire refused: ${JSON.stringify(decision)}`);
        if (scopes.length > 0 && decision.ticket.source !== 'store') {
          throw new Error(`acquire decided by ${decision.ticket.source}`);
        }
        await limiter.settle(decision.ticket, ACTUAL);
        if (release) await limiter.release(decision.ticket);
        const done = performance.now();
        return [done - started, acquired - started, done - acquired];
      };
    };
    return {
      warmups: [request(SCOPES), request(WITH_CONCURRENCY), ping],
      phases: [
        ['PING (round-trip floor)', ping, 1],
        ['no limits (no Redis call)', request([]), 1],
        [MAIN, request(SCOPES), 1],
        [MAIN, request(SCOPES), CONCURRENCY],
        ['acquire + settle + release, 5 scopes + concurrency', request(WITH_CONCURRENCY), 1],
      ],
    };
  },
});
