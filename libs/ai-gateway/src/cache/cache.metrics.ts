import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { GatewayMetrics } from '../observability/gateway-metrics.service';

/** What a lookup found: served (`hit`), nothing (`miss`), a shadow-mode match, or a match the guards refused. */
export type CacheLookupResult = 'hit' | 'miss' | 'shadow_hit' | 'guarded';

/** Metrics of the response cache, on the gateway's registry. */
@Injectable()
export class CacheMetrics {
  private readonly lookups: Counter<'layer' | 'result'>;
  private readonly skips: Counter<'reason'>;
  private readonly saved: Counter;
  private readonly stores: Counter<'layer'>;
  private readonly errors: Counter<'backend' | 'operation'>;
  private readonly refusals: Counter<'reason'>;
  private readonly children = new Map<string, { inc(value?: number): void }>();
  /** Read when the metrics are scraped: bytes and entries held in this process. */
  private sizeSource: () => { bytes: number; entries: number; semanticEntries: number } = () => ({
    bytes: 0,
    entries: 0,
    semanticEntries: 0,
  });

  constructor(metrics: GatewayMetrics) {
    const registers = [metrics.registry];
    this.lookups = new Counter({
      name: 'gateway_cache_lookups_total',
      help: 'Response cache lookups, by layer (exact, semantic) and result (hit, miss, shadow_hit, guarded)',
      labelNames: ['layer', 'result'] as const,
      registers,
    });
    this.skips = new Counter({
      name: 'gateway_cache_skips_total',
      help: 'Requests that bypassed the cache, by reason (disabled, requested, not-deterministic, tools, unavailable, uncacheable)',
      labelNames: ['reason'] as const,
      registers,
    });
    this.saved = new Counter({
      name: 'gateway_cache_saved_usd_total',
      help: 'What the answers served from the cache cost when they were produced (USD)',
      registers,
    });
    this.stores = new Counter({
      name: 'gateway_cache_stores_total',
      help: 'Answers stored in the cache, by layer',
      labelNames: ['layer'] as const,
      registers,
    });
    this.errors = new Counter({
      name: 'gateway_cache_backend_errors_total',
      help: 'Cache backend operations that failed (the request went on without the cache)',
      labelNames: ['backend', 'operation'] as const,
      registers,
    });
    this.refusals = new Counter({
      name: 'gateway_cache_semantic_refusals_total',
      help: 'Semantic matches above the threshold refused by a guard, by what differed',
      labelNames: ['reason'] as const,
      registers,
    });
    // Reasons and backends come from code, not callers; still bounded, as every label.
    metrics.bound(this.lookups, ['layer', 'result']);
    metrics.bound(this.skips, ['reason']);
    metrics.bound(this.stores, ['layer']);
    metrics.bound(this.errors, ['backend', 'operation']);
    metrics.bound(this.refusals, ['reason']);
    const size = (): ReturnType<typeof this.sizeSource> => this.sizeSource();
    new Gauge({
      name: 'gateway_cache_memory_bytes',
      help: 'Bytes the response cache holds in this instance: the memory exact store and the semantic index (with Redis, its mirror of the scopes searched here)',
      registers,
      collect() {
        this.set(size().bytes);
      },
    });
    new Gauge({
      name: 'gateway_cache_entries',
      help: 'Entries held in this instance, by layer',
      labelNames: ['layer'] as const,
      registers,
      collect() {
        const now = size();
        this.set({ layer: 'exact' }, now.entries);
        this.set({ layer: 'semantic' }, now.semanticEntries);
      },
    });
  }

  /** Where the gauges read the sizes from (the cache service, once built). */
  measureWith(source: () => { bytes: number; entries: number; semanticEntries: number }): void {
    this.sizeSource = source;
  }

  lookup(layer: 'exact' | 'semantic', result: CacheLookupResult): void {
    this.child(`l\u0000${layer}\u0000${result}`, () => this.lookups.labels(layer, result)).inc();
  }

  skip(reason: string): void {
    this.child(`s\u0000${reason}`, () => this.skips.labels(reason)).inc();
  }

  savedUsd(usd: number): void {
    if (usd > 0) this.saved.inc(usd);
  }

  stored(layer: 'exact' | 'semantic'): void {
    this.child(`t\u0000${layer}`, () => this.stores.labels(layer)).inc();
  }

  backendError(backend: string, operation: string): void {
    this.child(`e\u0000${backend}\u0000${operation}`, () =>
      this.errors.labels(backend, operation),
    ).inc();
  }

  refused(reason: string): void {
    this.child(`r\u0000${reason}`, () => this.refusals.labels(reason)).inc();
  }

  private child(
    key: string,
    make: () => { inc(value?: number): void },
  ): { inc(value?: number): void } {
    let child = this.children.get(key);
    if (!child) {
      child = make();
      this.children.set(key, child);
    }
    return child;
  }
}
