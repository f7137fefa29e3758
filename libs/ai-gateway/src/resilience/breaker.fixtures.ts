import { loadGatewayConfig } from '../config/gateway-config.loader';
import { GatewayConfigService } from '../config/gateway-config.service';
import type { GatewayMetrics } from '../observability/gateway-metrics.service';
import type { Clock } from '../shared/clock';

/** Two secret-looking keys for specs; they must never show up in ids, status or metrics. */
export const KEY_A = 'sk-test-AAAAAAAAAAAAAAAAAAAAAAAAAAAA';
export const KEY_B = 'sk-test-BBBBBBBBBBBBBBBBBBBBBBBBBBBB';
export const KEY_C = 'sk-test-CCCCCCCCCCCCCCCCCCCCCCCCCCCC';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  constructor(public time = 1_700_000_000_000) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}

/** Providers for the breaker specs: `openai` with keys A and B, keyless `local`, disabled `off`. */
export const BREAKER_TEST_PROVIDERS = {
  openai: {
    kind: 'openai',
    apiKeys: [KEY_A, KEY_B],
    breaker: { failureThreshold: 2, openMs: 1_000, windowMs: 10_000, minRequests: 100 },
    keyCooldownMs: 60_000,
    keyQuarantineMs: 600_000,
  },
  local: { kind: 'ollama', breaker: { failureThreshold: 2, openMs: 1_000 } },
  off: { kind: 'openai', enabled: false, apiKeys: [KEY_C] },
};

export function breakerTestConfig(): GatewayConfigService {
  return new GatewayConfigService(
    loadGatewayConfig({ config: { providers: BREAKER_TEST_PROVIDERS }, env: {} }),
  );
}

/** Sum of a metric's samples matching `labels` (0 when none). */
export async function metricValue(
  metrics: GatewayMetrics,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`metric ${name} is not registered`);
  const { values } = await metric.get();
  return values
    .filter((sample) => Object.entries(labels).every(([k, v]) => sample.labels[k] === v))
    .reduce((sum, sample) => sum + sample.value, 0);
}
