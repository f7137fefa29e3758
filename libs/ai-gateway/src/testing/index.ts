// `@ai-gateway/core/testing`: helpers for tests — a host's and this repository's. Nothing in
// the library imports this entry; it may reach into the library's rooms for what tests read.

// In-memory implementations of the ports (swap one in with `overrideProvider(TOKEN)`).
export { MemoryBudgetStore } from '../budget/memory-budget.store';
export { MemoryBreakerStore } from '../resilience/memory-breaker.store';
export { MemoryExactCacheStore } from '../cache/exact/memory-exact-cache.store';
export { MemoryUsageBuffer } from '../usage/memory-usage.buffer';
export { MemoryRateLimitStore } from '../rate-limit/memory-rate-limit.store';
export { RateLimitMetrics } from '../rate-limit/rate-limit.metrics';

// Internals a test reads or drives (get them with `app.get(Class)`).
export { BudgetService } from '../budget/budget.service';
export { levelsOf } from '../budget/budget-levels';
export type { BudgetLevel, BudgetUsage } from '../budget/budget.types';
export { TokenCounter } from '../tokens/token-counter.service';
export { UsageRepository } from '../usage/usage.repository';
export { UsageDatabase } from '../database/usage-database.service';
export { createUsageDataSource } from '../database/usage-data-source';
export { LOCAL_FAKE_BANNER } from '../providers/fake/local-fake.provider';

// A TCP proxy a test can stall or cut, between the gateway and Redis or PostgreSQL.
export { TcpProxy } from './tcp-proxy';
