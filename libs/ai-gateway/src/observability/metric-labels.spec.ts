import { Counter, Registry } from 'prom-client';
import { loadGatewayConfig } from '../config/gateway-config.loader';
import { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayMetrics, MAX_LABEL_SETS } from './gateway-metrics.service';
import { MAX_LABEL_VALUES, MetricLabels, OTHER_LABEL, guardLabels } from './metric-labels';

const config = loadGatewayConfig({
  config: {
    providers: {
      up: {
        kind: 'openai-compatible',
        baseUrl: 'http://127.0.0.1:1/v1',
        models: ['m1'],
        modelInfo: { m2: {} },
      },
      any: { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:1/v1' },
    },
    routes: { fast: { targets: ['any/routed'], rateLimitFallback: 'any/fallback' } },
  },
  env: {},
});

async function seriesOf(registry: Registry, name: string): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.length ?? 0;
}

describe(MetricLabels.name, () => {
  const labels = new MetricLabels(() => config);

  it('keeps configured providers and their models, anything else is "other"', () => {
    expect(labels.provider('up')).toBe('up');
    expect(labels.provider('toString')).toBe(OTHER_LABEL);
    expect(['m1', 'm2', 'routed'].map((m) => labels.model('up', m))).toEqual([
      'm1',
      'm2',
      OTHER_LABEL,
    ]);
    expect(labels.model('any', 'routed')).toBe('routed');
    expect(labels.model('any', 'fallback')).toBe('fallback');
    expect(labels.model('any', 'random-123')).toBe(OTHER_LABEL);
    expect(labels.model('any', '__proto__')).toBe(OTHER_LABEL);
  });

  it(`keeps at most ${MAX_LABEL_VALUES} plain values of a free-form label`, () => {
    const fresh = new MetricLabels();
    const seen = new Set(
      Array.from({ length: 3 * MAX_LABEL_VALUES }, (_, i) => fresh.bounded('reason', `r${i}`)),
    );
    expect(seen.size).toBe(MAX_LABEL_VALUES + 1);
    expect(fresh.bounded('reason', 'r0')).toBe('r0');
    expect(fresh.bounded('status', 'a\u0000b')).toBe(OTHER_LABEL);
    expect(fresh.bounded('status', 'x'.repeat(200))).toBe(OTHER_LABEL);
  });

  it('guards label sets given to a metric by any caller, by object or by position', async () => {
    const registry = new Registry();
    const counter = new Counter({
      name: 'guarded_total',
      help: 'test',
      labelNames: ['provider', 'model'] as const,
      registers: [registry],
    });
    guardLabels(counter, ['provider', 'model'], (l) => labels.of(l));
    for (let i = 0; i < 500; i++) {
      counter.inc({ provider: 'any', model: `x${i}` });
      counter.labels('any', `y${i}`).inc();
    }
    counter.inc({ provider: 'up', model: 'm1' });
    const values = (await counter.get()).values.map((v) => v.labels);
    expect(values).toEqual([
      { provider: 'any', model: OTHER_LABEL },
      { provider: 'up', model: 'm1' },
    ]);
  });
});

describe(GatewayMetrics.name, () => {
  it('records unconfigured models as "other": series and child maps stay bounded', async () => {
    const metrics = new GatewayMetrics(new GatewayConfigService(config));
    for (let i = 0; i < 3_000; i++) {
      metrics.recordCall('any', `random-${i}`, 'chat', 'ok', 0.01);
      metrics.recordTokens('any', `random-${i}`, 'prompt', 3);
      metrics.recordTimeToFirstToken('any', `random-${i}`, 0.01);
      metrics.retries.inc({ provider: `p-${i}`, reason: `r-${i}` });
    }
    expect(await seriesOf(metrics.registry, 'gateway_requests_total')).toBe(1);
    expect(await seriesOf(metrics.registry, 'gateway_tokens_total')).toBe(1);
    expect(await seriesOf(metrics.registry, 'gateway_retries_total')).toBe(MAX_LABEL_VALUES + 1);
    const text = await metrics.render();
    expect(text).toContain(
      'gateway_requests_total{provider="any",model="other",operation="chat",status="ok"} 3000',
    );
    expect(text).not.toContain('random-');
    // The child maps are keyed by the guarded labels: one entry per series.
    const maps = metrics as unknown as Record<string, Map<string, unknown>>;
    expect(maps.callChildren.size).toBe(1);
    expect(maps.tokenChildren.size).toBe(1);
    expect(maps.ttftChildren.size).toBe(1);
  });

  it(`without a configuration, caps each label at ${MAX_LABEL_VALUES} values and maps at ${MAX_LABEL_SETS}`, async () => {
    const metrics = new GatewayMetrics();
    for (let i = 0; i < 1_000; i++) metrics.recordCall('p', `m${i}`, 'chat', 'ok', 0.01);
    expect(await seriesOf(metrics.registry, 'gateway_requests_total')).toBe(MAX_LABEL_VALUES + 1);
  });
});
