import { Injectable } from '@nestjs/common';
import type { GatewayConfig } from './gateway-config.schema';

type ConfigListener = (next: GatewayConfig, previous: GatewayConfig) => void;

/**
 * The one place the validated configuration lives. Consumers read `current` on every
 * use instead of copying values at boot, so a reload (key rotation) takes effect for the
 * next request while in-flight requests finish on the snapshot they started with.
 */
@Injectable()
export class GatewayConfigService {
  private config: GatewayConfig;
  private readonly listeners = new Set<ConfigListener>();

  constructor(initial: GatewayConfig) {
    this.config = initial;
  }

  get current(): GatewayConfig {
    return this.config;
  }

  /** Swaps in a new, already validated configuration and tells subscribers. */
  replace(next: GatewayConfig): void {
    const previous = this.config;
    this.config = next;
    for (const listener of this.listeners) listener(next, previous);
  }

  onChange(listener: ConfigListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
