import { Injectable, Optional } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { GatewayConfigService } from '../config/gateway-config.service';
import { MetricLabels, OTHER_LABEL, guardLabels } from './metric-labels';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Label sets one hot-path child map keeps; past it provider and model become `other` too. */
export const MAX_LABEL_SETS = 2_000;

/**
 * Prometheus metrics of the gateway, on a registry of its own (so two gateways in one
 * process, as in tests, do not collide). Labels stay low-cardinality whatever callers
 * send: every label set passes {@link MetricLabels} (provider and model only from the
 * configuration, `other` beyond; other labels capped), the metrics classes of the other
 * folders included (`bound`).
 */
@Injectable()
export class GatewayMetrics {
  readonly registry = new Registry();

  /** The guard every label set of this registry goes through. */
  readonly labelGuard: MetricLabels;

  readonly requests = new Counter({
    name: 'gateway_requests_total',
    help: 'Model calls handled, by provider, model, operation and outcome (ok or an error code)',
    labelNames: ['provider', 'model', 'operation', 'status'] as const,
    registers: [this.registry],
  });

  readonly latency = new Histogram({
    name: 'gateway_request_duration_seconds',
    help: 'Time from request to the last byte of the answer',
    labelNames: ['provider', 'model', 'operation', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly timeToFirstToken = new Histogram({
    name: 'gateway_time_to_first_token_seconds',
    help: 'Streaming: time from request to the first chunk from the provider',
    labelNames: ['provider', 'model'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly tokens = new Counter({
    name: 'gateway_tokens_total',
    help: 'Tokens reported by providers, by kind (prompt, completion, cached)',
    labelNames: ['provider', 'model', 'kind'] as const,
    registers: [this.registry],
  });

  readonly configReloads = new Counter({
    name: 'gateway_config_reloads_total',
    help: 'Configuration reloads, by what started them (file, signal, admin, peer) and outcome (applied, refused)',
    labelNames: ['trigger', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly retries = new Counter({
    name: 'gateway_retries_total',
    help: 'Retries of a provider call, by provider and the error that caused them',
    labelNames: ['provider', 'reason'] as const,
    registers: [this.registry],
  });

  readonly fallbacks = new Counter({
    name: 'gateway_fallbacks_total',
    help: 'Moves to the next candidate, by the provider left and the error that caused it',
    labelNames: ['provider', 'reason'] as const,
    registers: [this.registry],
  });

  readonly skips = new Counter({
    name: 'gateway_candidate_skips_total',
    help: 'Candidates skipped without a call (open circuit, resting keys, unavailable)',
    labelNames: ['provider', 'reason'] as const,
    registers: [this.registry],
  });

  readonly keyRotations = new Counter({
    name: 'gateway_key_rotations_total',
    help: 'Calls moved to the next API key after a key was refused (401/403) or throttled (429)',
    labelNames: ['provider', 'reason'] as const,
    registers: [this.registry],
  });

  readonly hedges = new Counter({
    name: 'gateway_hedges_total',
    help: 'Hedged attempts started because the first candidate was slow',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });

  readonly httpRequests = new Counter({
    name: 'gateway_http_requests_total',
    help: 'HTTP requests answered by the gateway app, by route and status code',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });

  /** Label children per label set: prom-client hashes a labels object on every call otherwise. */
  private readonly callChildren = new Map<
    string,
    { count: { inc(): void }; time: { observe(v: number): void } }
  >();
  private readonly tokenChildren = new Map<string, { inc(v: number): void }>();
  private readonly ttftChildren = new Map<string, { observe(v: number): void }>();

  constructor(@Optional() config?: GatewayConfigService) {
    this.labelGuard = new MetricLabels(config && (() => config.current));
    collectDefaultMetrics({ register: this.registry });
    this.bound(this.requests, ['provider', 'model', 'operation', 'status']);
    this.bound(this.latency, ['provider', 'model', 'operation', 'status']);
    this.bound(this.timeToFirstToken, ['provider', 'model']);
    this.bound(this.tokens, ['provider', 'model', 'kind']);
    for (const counter of [this.retries, this.fallbacks, this.skips, this.keyRotations]) {
      this.bound(counter, ['provider', 'reason']);
    }
    this.bound(this.hedges, ['provider']);
    this.bound(this.httpRequests, ['route', 'status']);
  }

  private readonly guard = (
    labels: Record<string, string | number | undefined>,
  ): Record<string, string> => this.labelGuard.of(labels);

  /**
   * Makes every label set given to `metric` (a metric of this registry, defined in another
   * folder) pass the label guard, whoever calls it. Returns `metric`.
   */
  bound<T extends object>(metric: T, labelNames: readonly string[]): T {
    return guardLabels(metric, labelNames, this.guard);
  }

  /** One finished model call: counted and timed under its provider, model, operation and outcome. */
  recordCall(
    provider: string,
    model: string,
    operation: string,
    status: string,
    seconds: number,
  ): void {
    const labels = this.bounded(this.callChildren, { provider, model, operation, status });
    const key = `${labels.provider}\u0000${labels.model}\u0000${labels.operation}\u0000${labels.status}`;
    let children = this.callChildren.get(key);
    if (!children) {
      children = { count: this.requests.labels(labels), time: this.latency.labels(labels) };
      this.callChildren.set(key, children);
    }
    children.count.inc();
    children.time.observe(seconds);
  }

  /** A stream's time to first token, in seconds. */
  recordTimeToFirstToken(provider: string, model: string, seconds: number): void {
    const labels = this.bounded(this.ttftChildren, { provider, model });
    const key = `${labels.provider}\u0000${labels.model}`;
    let child = this.ttftChildren.get(key);
    if (!child) {
      child = this.timeToFirstToken.labels(labels);
      this.ttftChildren.set(key, child);
    }
    child.observe(seconds);
  }

  /** Tokens reported by a provider, by kind (prompt, completion, cached). */
  recordTokens(
    provider: string,
    model: string,
    kind: 'prompt' | 'completion' | 'cached',
    count: number,
  ): void {
    const labels = this.bounded(this.tokenChildren, { provider, model, kind });
    const key = `${labels.provider}\u0000${labels.model}\u0000${labels.kind}`;
    let child = this.tokenChildren.get(key);
    if (!child) {
      child = this.tokens.labels(labels);
      this.tokenChildren.set(key, child);
    }
    child.inc(count);
  }

  /**
   * The labels of one observation: guarded first, so the child maps (keyed by these) hold
   * one entry per series, never one per caller input; and once a map is full (a huge
   * configuration), provider and model become `other` too.
   */
  private bounded<L extends Record<string, string>>(children: Map<string, unknown>, labels: L): L {
    const safe = this.labelGuard.of(labels) as L;
    if (children.size < MAX_LABEL_SETS) return safe;
    return { ...safe, provider: OTHER_LABEL, model: OTHER_LABEL };
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
