import { loadGatewayConfig } from '../config/gateway-config.loader';
import type { GatewayConfig } from '../config/gateway-config.schema';
import { GatewayConfigService } from '../config/gateway-config.service';
import type { OpenedStore, StoreFactory } from '../testing/store.fixtures';
import { startMany, useStore } from '../testing/store.fixtures';
import type { BudgetSettings } from './budget-settings';
import type { BudgetLevel, BudgetStore, BudgetUsage } from './budget.types';

export { T0 } from '../testing/store.fixtures';

/** A budget store under test and how to dispose of it. */
export type OpenedBudgetStore = OpenedStore<BudgetStore>;

/** Builds a fresh, empty budget store for one test. */
export type BudgetStoreFactory = StoreFactory<BudgetStore>;

export const TTL = 60_000;

/** $1 a day: 50 reservations of $0.02. */
export const USER: BudgetLevel = {
  scope: 'user',
  id: 'alice',
  limitMicroUsd: 1_000_000,
  period: 'daily',
};
/** $0.50 a month. */
export const TEAM: BudgetLevel = {
  scope: 'team',
  id: 'research:nlp',
  limitMicroUsd: 500_000,
  period: 'monthly',
};
/** $100 a day. */
export const PROVIDER: BudgetLevel = {
  scope: 'provider',
  id: 'openai',
  limitMicroUsd: 100_000_000,
  period: 'daily',
};

/** Opens a fresh store before each test and closes it after; read it through the getter. */
export function useBudgetStore(open: BudgetStoreFactory): () => BudgetStore {
  return useStore(open, 'budget');
}

/** `[spent, reserved]` of each level at `now`. */
export async function figures(
  store: BudgetStore,
  levels: BudgetLevel[],
  now: number,
): Promise<Array<[number, number]>> {
  const usage: BudgetUsage[] = await store.usage(levels, now);
  return usage.map((u) => [u.spentMicroUsd, u.reservedMicroUsd]);
}

/** Starts `count` reserves at once (ids `<prefix>-<i>`), spread over `stores` in turn. */
export function reserveMany(
  stores: BudgetStore[],
  prefix: string,
  count: number,
  levels: BudgetLevel[],
  amount: number,
  now: number,
): Promise<string[]> {
  return startMany(stores, prefix, count, async (store, id) => {
    return (await store.reserve(id, levels, amount, TTL, now)).ok;
  });
}

/**
 * A configuration with a `budgets` section (added by hand: the schema does not carry it
 * yet) and any other sections, such as `redis`.
 */
export function budgetTestConfig(
  budgets: Partial<BudgetSettings> = {},
  extra: Record<string, unknown> = {},
): GatewayConfigService {
  const config = loadGatewayConfig({ config: extra, env: {} });
  return new GatewayConfigService({ ...config, budgets } as GatewayConfig);
}
