import { loadGatewayConfig } from '../config/gateway-config.loader';
import type { GatewayConfig } from '../config/gateway-config.schema';
import { GatewayConfigService } from '../config/gateway-config.service';
import type { BudgetSettings } from './budget-settings';
import type { BudgetLevel, BudgetStore, BudgetUsage } from './budget.types';

/** A store under test and how to dispose of it. */
export interface OpenedBudgetStore {
  store: BudgetStore;
  close?: () => Promise<void>;
}

/** Builds a fresh, empty store for one test (its own Redis key prefix, for example). */
export type BudgetStoreFactory = () => Promise<OpenedBudgetStore>;

/** Wednesday 14 January 2026, 10:00 UTC. */
export const T0 = Date.UTC(2026, 0, 14, 10);
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
  let opened: OpenedBudgetStore | undefined;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(async () => {
    await opened?.close?.();
    opened = undefined;
  });
  return () => {
    if (!opened) throw new Error('no budget store open');
    return opened.store;
  };
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
export async function reserveMany(
  stores: BudgetStore[],
  prefix: string,
  count: number,
  levels: BudgetLevel[],
  amount: number,
  now: number,
): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const results = await Promise.all(
    ids.map((id, i) => stores[i % stores.length].reserve(id, levels, amount, TTL, now)),
  );
  return ids.filter((_, i) => results[i].ok);
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
