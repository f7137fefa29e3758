// Budget micro-benchmark: what reserve + settle add to a request, through BudgetService
// and RedisBudgetStore (two Lua scripts, two round trips) against the Redis on loopback.
// Run with `node tools/build.mjs && node bench/budget.mjs` (issue 4, "Must show" 7:
// ≤ 0.5 ms p50 per request).
//
// Environment: BENCH_ITERATIONS (measured reserve + settle pairs per phase, default 10000),
// BENCH_WARMUP_ITERATIONS (default 1000), BENCH_CONCURRENCY (default 16),
// BENCH_REDIS_URL (default redis://127.0.0.1:6379).
import { distLoader } from './lib/dist.mjs';
import { microBenchSettings, runMicroBench } from './lib/micro-bench.mjs';

const fromDist = distLoader('budget/redis-budget.store.js', 'the budget store');
const { systemClock } = fromDist('shared/clock.js');
const { BudgetService } = fromDist('budget/budget.service.js');
const { RedisBudgetStore } = fromDist('budget/redis-budget.store.js');

const SETTINGS = microBenchSettings();
const { ITERATIONS, CONCURRENCY } = SETTINGS;
const GOAL_MS = 0.5;

// Every level a request can meet: provider (daily and monthly caps), key, user, team.
// Limits far above what the run spends, so every reservation is admitted and the
// scripts do their full work (purge check, four holds, four expiries).
const HUGE = 1_000_000_000_000;
const LEVELS = [
  { scope: 'provider', id: 'openai', limitMicroUsd: HUGE, period: 'daily' },
  { scope: 'provider', id: 'openai', limitMicroUsd: HUGE, period: 'monthly' },
  { scope: 'key', id: 'key-1', limitMicroUsd: HUGE, period: 'monthly' },
  { scope: 'user', id: 'alice', limitMicroUsd: HUGE, period: 'daily' },
  { scope: 'team', id: 'research', limitMicroUsd: HUGE, period: 'monthly' },
];
const WORST_CASE = 20_000; // $0.02
const ACTUAL = 5_000;

await runMicroBench({
  fromDist,
  settings: { ...SETTINGS, levels: LEVELS.length },
  name: 'budget',
  title:
    `Budget reserve + settle through BudgetService on Redis (${LEVELS.length} levels, ` +
    `${ITERATIONS} iterations per phase)`,
  parts: ['reserve', 'settle'],
  goal: { phase: 'reserve + settle', ms: GOAL_MS, label: 'reserve + settle', scope: 'sequential' },
  setup: ({ config, redis, ping }) => {
    const budgets = new BudgetService(config, systemClock, new RedisBudgetStore(redis));
    let sequence = 0;
    /** One request's budget work: reserve the worst case, settle the actual cost. */
    async function reserveAndSettle() {
      const id = `req-${sequence++}`;
      const started = performance.now();
      const decision = await budgets.reserve(id, LEVELS, WORST_CASE);
      const reserved = performance.now();
      if (decision.outcome !== 'reserved') throw new Error(`reserve answered ${decision.outcome}`);
      const outcome = await budgets.settle(id, ACTUAL);
      if (outcome !== 'applied') throw new Error(`settle answered ${outcome}`);
      const done = performance.now();
      return [done - started, reserved - started, done - reserved];
    }
    return {
      warmups: [reserveAndSettle, ping],
      phases: [
        ['PING (round-trip floor)', ping, 1],
        ['reserve + settle', reserveAndSettle, 1],
        ['reserve + settle', reserveAndSettle, CONCURRENCY],
      ],
    };
  },
});
