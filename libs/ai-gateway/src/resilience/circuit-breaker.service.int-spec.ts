import { Logger } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import type { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayConfigService as ConfigToken } from '../config/gateway-config.service';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import { RedisConnection } from '../redis/redis-connection.service';
import {
  BREAKER_TEST_PROVIDERS,
  breakerTestConfig,
  KEY_A,
  KEY_B,
  metricValue,
} from './breaker.fixtures';
import { BREAKER_STORE } from './breaker.types';
import { CircuitBreakerService } from './circuit-breaker.service';
import { keyIdOf } from './key-id';
import { KeySelector } from './key-selector.service';
import { MemoryBreakerStore } from './memory-breaker.store';
import { dropTestKeys, redisTestConfig, TEST_REDIS_URL } from './redis-breaker.fixtures';
import { RedisBreakerStore } from './redis-breaker.store';
import { resilienceProviders } from './resilience.providers';

/** One gateway instance's resilience layer, wired as AiGatewayModule wires it. */
async function instance(config: GatewayConfigService): Promise<TestingModule> {
  const module = await Test.createTestingModule({
    providers: [
      { provide: ConfigToken, useValue: config },
      RedisConnection,
      GatewayMetrics,
      ...resilienceProviders,
    ],
  }).compile();
  return module.init();
}

async function waitReady(redis: RedisConnection): Promise<void> {
  for (let waited = 0; !redis.ready; waited += 10) {
    if (waited > 3_000) throw new Error('Redis not ready');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const failure = (code: GatewayErrorCode): GatewayError =>
  new GatewayError(code, 'upstream said no', { provider: 'openai' });

describe(`${CircuitBreakerService.name} with Redis`, () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  it('keeps breakers in memory when no Redis is configured', async () => {
    const module = await instance(breakerTestConfig());
    expect(module.get(BREAKER_STORE)).toBeInstanceOf(MemoryBreakerStore);
    await module.close();
  });

  it('two gateway instances on one Redis share breaker state', async () => {
    const config = redisTestConfig(TEST_REDIS_URL, { providers: BREAKER_TEST_PROVIDERS });
    const [first, second] = await Promise.all([instance(config), instance(config)]);
    try {
      expect(first.get(BREAKER_STORE)).toBeInstanceOf(RedisBreakerStore);
      await Promise.all([first, second].map((m) => waitReady(m.get(RedisConnection))));
      const a = first.get(CircuitBreakerService);
      const b = second.get(CircuitBreakerService);
      const [keyA, keyB] = [keyIdOf(KEY_A), keyIdOf(KEY_B)];

      // A sees key A rejected (401): B's selector stops using that key.
      const permit = await a.acquire('openai', keyA);
      await a.record('openai', keyA, permit, { ok: false, error: failure(GatewayErrorCode.AUTH) });
      const openai = config.current.providers.openai;
      const picks = [await second.get(KeySelector).pick(openai)];
      picks.push(await second.get(KeySelector).pick(openai));
      expect(picks.map((p) => p?.keyId)).toEqual([keyB, keyB]);

      // A sees the provider fail twice: B skips the provider.
      for (let i = 0; i < 2; i++) {
        const next = await a.acquire('openai', keyB);
        await a.record('openai', keyB, next, {
          ok: false,
          error: failure(GatewayErrorCode.SERVER_ERROR),
        });
      }
      expect(await b.acquire('openai', keyB)).toMatchObject({
        allowed: false,
        state: 'open',
        deniedBy: 'provider',
      });
      const [status] = await b.status();
      expect(status).toMatchObject({ state: 'open', degraded: false, windowFailures: 2 });
      expect(status.keys.map((k) => [k.keyId, k.state])).toEqual([
        [keyA, 'open'],
        [keyB, 'closed'],
      ]);

      // Transitions are counted by the instance that caused them.
      const transitions = 'gateway_breaker_transitions_total';
      expect(await metricValue(first.get(GatewayMetrics), transitions, { to: 'open' })).toBe(2);
      expect(await metricValue(second.get(GatewayMetrics), transitions)).toBe(0);
      expect(
        await metricValue(second.get(GatewayMetrics), 'gateway_breaker_state', {
          circuit: 'openai',
        }),
      ).toBe(2);
    } finally {
      await dropTestKeys(first.get(RedisConnection));
      await Promise.all([first.close(), second.close()]);
    }
  });

  it('fails open when Redis is unreachable and counts the store errors', async () => {
    const module = await instance(
      redisTestConfig('redis://127.0.0.1:6390', { providers: BREAKER_TEST_PROVIDERS }),
    );
    try {
      const breakers = module.get(CircuitBreakerService);
      const keyId = keyIdOf(KEY_A);
      const permit = await breakers.acquire('openai', keyId);
      expect(permit).toMatchObject({ allowed: true, state: 'closed', providerProbe: false });
      await breakers.record('openai', keyId, permit, {
        ok: false,
        error: failure(GatewayErrorCode.SERVER_ERROR),
      });
      const picked = await module
        .get(KeySelector)
        .pick(module.get(ConfigToken).current.providers.openai);
      expect(picked?.keyId).toBe(keyId);
      expect((await breakers.status())[0]).toMatchObject({ state: 'closed', degraded: true });

      const metrics = module.get(GatewayMetrics);
      const errors = 'gateway_breaker_store_errors_total';
      expect(await metricValue(metrics, errors, { operation: 'acquire' })).toBe(1);
      expect(await metricValue(metrics, errors, { operation: 'record' })).toBe(2);
      expect(await metricValue(metrics, errors, { operation: 'snapshot' })).toBe(2);
    } finally {
      await module.close();
    }
  });
});
