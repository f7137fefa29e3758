import type { Provider } from '@nestjs/common';
import { RedisConnection } from '../redis/redis-connection.service';
import { BudgetService } from './budget.service';
import type { BudgetStore } from './budget.types';
import { BUDGET_STORE } from './budget.types';
import { MemoryBudgetStore } from './memory-budget.store';
import { RedisBudgetStore } from './redis-budget.store';

/** The budget store for this configuration: shared in Redis when there is one, else in memory. */
export function createBudgetStore(redis: RedisConnection): BudgetStore {
  return redis.enabled ? new RedisBudgetStore(redis) : new MemoryBudgetStore();
}

/**
 * Providers of the budget layer, for `AiGatewayModule` (which already provides
 * `GatewayConfigService`, `RedisConnection` and `CLOCK`). The store is chosen once, at
 * module creation; a reload that adds or removes Redis needs a restart.
 */
export const budgetProviders: Provider[] = [
  { provide: BUDGET_STORE, inject: [RedisConnection], useFactory: createBudgetStore },
  BudgetService,
];
