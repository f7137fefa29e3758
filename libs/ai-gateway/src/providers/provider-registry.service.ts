import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import type { GatewayConfig, ProviderConfig } from '../config/gateway-config.schema';
import { GatewayConfigService } from '../config/gateway-config.service';
import type { ProviderAdapter } from './provider-adapter.interface';
import { PROVIDER_FACTORIES } from './provider-factories';

/** How long a replaced adapter keeps its pool for requests already in flight. */
const RETIRE_AFTER_MS = 60_000;

/**
 * Holds one adapter per enabled provider, built from the current config. On a config
 * change only providers whose entry changed are rebuilt; the old adapter is retired
 * after a grace period so in-flight requests finish on it.
 */
@Injectable()
export class ProviderRegistry implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ProviderRegistry.name);
  private adapters = new Map<string, { adapter: ProviderAdapter; fingerprint: string }>();
  private readonly retiring = new Set<NodeJS.Timeout>();
  private unsubscribe?: () => void;

  constructor(private readonly config: GatewayConfigService) {}

  async onModuleInit(): Promise<void> {
    await this.sync(this.config.current);
    this.unsubscribe = this.config.onChange((next) => {
      this.sync(next).catch((error: unknown) =>
        this.logger.error(`Provider reload failed: ${String(error)}`),
      );
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.unsubscribe?.();
    for (const timer of this.retiring) clearTimeout(timer);
    await Promise.all([...this.adapters.values()].map(({ adapter }) => adapter.close()));
    this.adapters.clear();
  }

  get(name: string): ProviderAdapter | undefined {
    return this.adapters.get(name)?.adapter;
  }

  list(): ProviderAdapter[] {
    return [...this.adapters.values()].map(({ adapter }) => adapter);
  }

  private async sync(config: GatewayConfig): Promise<void> {
    const next = new Map<string, { adapter: ProviderAdapter; fingerprint: string }>();
    const replaced: ProviderAdapter[] = [];
    for (const provider of Object.values(config.providers)) {
      if (!provider.enabled) continue;
      const fingerprint = fingerprintOf(provider);
      const existing = this.adapters.get(provider.name);
      if (existing?.fingerprint === fingerprint) {
        next.set(provider.name, existing);
        continue;
      }
      const adapter = PROVIDER_FACTORIES[provider.kind](provider);
      await adapter.init?.();
      next.set(provider.name, { adapter, fingerprint });
    }
    for (const [name, { adapter }] of this.adapters) {
      if (next.get(name)?.adapter !== adapter) replaced.push(adapter);
    }
    this.adapters = next;
    for (const adapter of replaced) {
      const timer = setTimeout(() => {
        this.retiring.delete(timer);
        adapter.close().catch(() => undefined);
      }, RETIRE_AFTER_MS);
      timer.unref();
      this.retiring.add(timer);
    }
  }
}

function fingerprintOf(provider: ProviderConfig): string {
  return JSON.stringify(provider);
}
