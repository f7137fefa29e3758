import { plainToInstance } from 'class-transformer';
import { IsBoolean, IsInt, IsNumber, IsOptional, IsString } from 'class-validator';
import { AuthConfig } from './auth-config.schema';
import { BudgetLimitsConfig, BudgetsConfig } from './budget-config.schema';
import { CacheConfig, RouteCacheConfig, SemanticCacheConfig } from './cache-config.schema';
import { Flag, Numeric, scalarFieldsOf, toFlag, toNumber } from './field-coercion';
import { loadGatewayConfig } from './gateway-config.loader';
import { LoggingConfig } from './logging-config.schema';
import { ModelInfoConfig, ProviderConfig } from './provider-config.schema';
import { BreakerConfig, RetryConfig } from './provider-resilience.schema';
import { RateLimitConfig, RateLimitsConfig } from './rate-limit-config.schema';
import { RedisConfig } from './redis-config.schema';
import { HedgeConfig, RouteConfig, RoutingConfig } from './routing-config.schema';
import { ServerConfig } from './server-config.schema';
import { UsageConfig } from './usage-config.schema';

class Sample {
  @Numeric()
  @IsInt()
  count = 1;

  @Numeric()
  @IsOptional()
  @IsNumber({}, { each: true })
  weights?: number[];

  @Flag()
  @IsBoolean()
  on = false;

  @IsString()
  label = 'x';
}

describe('field coercion', () => {
  it.each([
    ['42', 42],
    [' 1.5 ', 1.5],
    ['-3', -3],
    ['0', 0],
  ])('reads the text %p of a numeric field as %p', (text, number) => {
    expect(plainToInstance(Sample, { count: text }).count).toBe(number);
  });

  it.each(['', '  ', 'eighty', '12px'])(
    'leaves %p as text for the validator to report under the field',
    (text) => {
      expect(plainToInstance(Sample, { count: text }).count).toBe(text);
    },
  );

  it('coerces each item of a list of numbers', () => {
    expect(plainToInstance(Sample, { weights: ['1', 2, '0.5', 'x'] }).weights).toEqual([
      1,
      2,
      0.5,
      'x',
    ]);
  });

  it.each([
    ['true', true],
    ['FALSE', false],
    ['True', true],
  ])('reads the text %p of a flag as %p', (text, flag) => {
    expect(plainToInstance(Sample, { on: text }).on).toBe(flag);
  });

  it.each(['yes', '1', ''])('leaves the flag text %p unchanged', (text) => {
    expect(plainToInstance(Sample, { on: text }).on).toBe(text);
  });

  it('touches only fields that declare it, and keeps defaults of absent fields', () => {
    const sample = plainToInstance(Sample, { label: '42' });
    expect(sample).toMatchObject({ label: '42', count: 1, on: false });
  });

  it('keeps real numbers and booleans as they are', () => {
    expect(toNumber(7)).toBe(7);
    expect(toFlag(true)).toBe(true);
    expect(toNumber(null)).toBeNull();
  });

  it('coerces a field the old list of numeric names missed (server.requestTimeoutMs)', () => {
    const config = loadGatewayConfig({
      config: { server: { requestTimeoutMs: '${TIMEOUT}', headersTimeoutMs: '${HEADERS:-5000}' } },
      env: { TIMEOUT: '30000' },
    });
    expect(config.server).toMatchObject({ requestTimeoutMs: 30_000, headersTimeoutMs: 5_000 });
  });

  // A numeric or boolean field without its coercion would refuse `${ENV}` values: every
  // schema class of the core sections is checked, field by field (@ai-gateway/resume checks
  // its tasks classes the same way).
  const SCHEMAS: Array<new () => object> = [
    ServerConfig,
    LoggingConfig,
    ProviderConfig,
    RetryConfig,
    BreakerConfig,
    ModelInfoConfig,
    RouteConfig,
    HedgeConfig,
    RoutingConfig,
    RedisConfig,
    BudgetsConfig,
    BudgetLimitsConfig,
    RateLimitsConfig,
    RateLimitConfig,
    CacheConfig,
    RouteCacheConfig,
    SemanticCacheConfig,
    UsageConfig,
    AuthConfig,
  ];

  describe.each(SCHEMAS.map((type) => [type.name, type] as const))('%s', (_name, type) => {
    const { numbers, flags } = scalarFieldsOf(type);

    it('takes the text form of every number and flag field', () => {
      const plain: Record<string, string> = {};
      for (const field of numbers) plain[field] = '7';
      for (const field of flags) plain[field] = 'TRUE';
      const built = plainToInstance(type, plain) as Record<string, unknown>;
      for (const field of numbers) expect([field, built[field]]).toEqual([field, 7]);
      for (const field of flags) expect([field, built[field]]).toEqual([field, true]);
    });
  });
});
