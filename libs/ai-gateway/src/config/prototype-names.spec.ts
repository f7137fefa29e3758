import type { BudgetLevel } from '../budget/budget.types';
import type { BudgetService } from '../budget/budget.service';
import { cachePolicyOf } from '../cache/cache-policy';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import type { GatewayError } from '../errors/gateway.error';
import { BudgetGate } from '../pipeline/admission/budget-gate';
import type { RequestTokens } from '../pipeline/admission/request-tokens';
import type { PriceBook } from '../pricing/price-book.service';
import { scopesFor } from '../rate-limit/rate-limit-scopes';
import { ModelResolver } from '../routing/model-resolver.service';
import type { ChatRequest } from '../types/unified';
import { loadGatewayConfig } from './gateway-config.loader';
import { withOwnKeyedMaps } from './own-keyed-maps';
import type { GatewayConfig } from './gateway-config.schema';
import { GatewayConfigService } from './gateway-config.service';

/**
 * Issue 13 item 4: names from requests (users, teams, models, routes, providers, …) are
 * looked up in config maps. A name like `toString` must behave as any unknown name: it
 * gets the defaults and limits, never an inherited function standing in for an entry.
 */
const PROTOTYPE_NAMES = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];

const config = loadGatewayConfig({
  env: {},
  config: {
    providers: {
      any: { kind: 'openai-compatible', baseUrl: 'http://any:8000/v1' },
      up: {
        kind: 'openai-compatible',
        baseUrl: 'http://up:8000/v1',
        models: ['m1'],
        modelInfo: { m1: { contextWindow: 8_000 } },
      },
    },
    routes: { fast: ['up/m1'] },
    budgets: {
      users: { alice: { dailyUsd: 5 } },
      teams: { red: { dailyUsd: 50 } },
      defaultUser: { dailyUsd: 1 },
      defaultTeam: { dailyUsd: 10 },
    },
    rateLimits: {
      users: { alice: { requestsPerMinute: 100 } },
      teams: { red: { requestsPerMinute: 1_000 } },
      models: { fast: { requestsPerMinute: 10_000 } },
      defaultUser: { requestsPerMinute: 3 },
      defaultTeam: { requestsPerMinute: 30 },
    },
    cache: { routes: { fast: { enabled: false } } },
  },
});

/** Every name-keyed map of a configuration, by its path in the YAML file. */
function mapsOf(c: GatewayConfig): Record<string, Record<string, unknown>> {
  return {
    providers: c.providers,
    'providers.up.modelInfo': c.providers.up.modelInfo,
    routes: c.routes,
    'budgets.users': c.budgets.users,
    'budgets.teams': c.budgets.teams,
    'rateLimits.users': c.rateLimits.users,
    'rateLimits.teams': c.rateLimits.teams,
    'rateLimits.models': c.rateLimits.models,
    'cache.routes': c.cache.routes ?? {},
  };
}

describe('config maps and prototype names', () => {
  it.each(Object.entries(mapsOf(config)))(
    '%s holds only its own entries: a prototype name finds nothing',
    (_path, map) => {
      expect(Object.keys(map).length).toBeGreaterThan(0);
      for (const name of PROTOTYPE_NAMES) {
        expect(map[name]).toBeUndefined();
        expect(name in map).toBe(false);
      }
    },
  );

  it('hardens a configuration built without the loader (resolvedConfig, reload) in place', () => {
    const routes = { fast: { targets: ['up/m1'] } };
    const users = { alice: { dailyUsd: 5 } };
    const frozen = Object.freeze({ bob: { requestsPerMinute: 1 } });
    const built = {
      providers: { up: { name: 'up', modelInfo: {} } },
      routes,
      budgets: { users, teams: {} },
      rateLimits: { users: frozen, teams: {}, models: {} },
      cache: { routes: {} },
    } as unknown as GatewayConfig;
    expect(withOwnKeyedMaps(built)).toBe(built);
    for (const [path, map] of Object.entries(mapsOf(built))) {
      expect([path, Object.getPrototypeOf(map)]).toEqual([path, null]);
    }
    expect(built.routes).toBe(routes); // the same object: references held elsewhere stay valid
    expect(built.rateLimits.users).toEqual({ bob: { requestsPerMinute: 1 } });
  });

  describe.each(PROTOTYPE_NAMES)('the name %s', (name) => {
    it('rate limits (rateLimits.users, teams, models): the defaults, like any unknown name', () => {
      const limited = (userId: string, teamId: string, model: string) =>
        scopesFor(config.rateLimits, { userId, teamId, model }).map((s) => ({ ...s, id: '' }));
      expect(limited(name, name, name)).toEqual(limited('nobody', 'no-team', 'no-model'));
      expect(limited(name, name, name)).toEqual([
        { kind: 'user', id: '', requestsPerMinute: 3, failMode: 'open' },
        { kind: 'team', id: '', requestsPerMinute: 30, failMode: 'open' },
      ]);
    });

    it('budgets (budgets.users, teams): the default budgets, like any unknown name', async () => {
      const reserved: BudgetLevel[][] = [];
      const budgets = {
        reserve: (_id: string, levels: BudgetLevel[]) => {
          reserved.push(levels);
          return Promise.resolve({ outcome: 'reserved' });
        },
      } as unknown as BudgetService;
      const prices = {
        priceOf: () => ({}),
        worstCaseCost: () => ({ microUsd: 1 }),
      } as unknown as PriceBook;
      const gate = new BudgetGate(new GatewayConfigService(config), budgets, prices);
      const tokens = {
        prompt: () => 1,
        promptAsync: () => Promise.resolve(1),
        maxOutput: () => 1,
      } as unknown as RequestTokens;
      const target = { provider: 'up', model: 'm1' };
      await gate.reserve(tokens, { caller: { userId: name, teamId: name } }, target, 'a1');
      await gate.reserve(tokens, { caller: { userId: 'nobody', teamId: 'x' } }, target, 'a2');
      const limits = reserved.map((levels) =>
        levels.map((l) => `${l.scope}:${JSON.stringify(l.period)}:${l.limitMicroUsd}`),
      );
      expect(limits[0]).toEqual(['user:"daily":1000000', 'team:"daily":10000000']);
      expect(limits[0]).toEqual(limits[1]);
    });

    it('routes and providers: model_not_found, like any unknown name', () => {
      const resolver = new ModelResolver(new GatewayConfigService(config));
      for (const model of [name, `${name}/m1`]) {
        let error: GatewayError | undefined;
        try {
          resolver.resolve(model);
        } catch (e) {
          error = e as GatewayError;
        }
        expect(error?.code).toBe(GatewayErrorCode.MODEL_NOT_FOUND);
      }
    });

    it('cache routes: the cache-wide policy, like any unknown name', () => {
      const body = { model: name, messages: [], temperature: 0 } as unknown as ChatRequest;
      const unknown = { ...body, model: 'no-such-route' };
      expect(cachePolicyOf(config.cache, body, undefined)).toEqual(
        cachePolicyOf(config.cache, unknown, undefined),
      );
    });
  });
});
