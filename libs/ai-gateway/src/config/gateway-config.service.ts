import { Injectable } from '@nestjs/common';
import { registerConfigSecrets } from '../errors/known-secrets';
import type { ConfigSection } from './config-section';
import { GATEWAY_CONFIG_SECTIONS } from './gateway-config.sections';
import { withOwnKeyedMaps } from './own-keyed-maps';
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
  /** The core's sections and other libraries' (their name-keyed maps are hardened too). */
  private readonly sections: readonly ConfigSection[];

  constructor(initial: GatewayConfig, extraSections: readonly ConfigSection[] = []) {
    this.sections = [...GATEWAY_CONFIG_SECTIONS, ...extraSections];
    // Errors redact every configured secret (provider keys, admin key, signing secrets).
    registerConfigSecrets(initial);
    this.config = withOwnKeyedMaps(initial, this.sections);
  }

  get current(): GatewayConfig {
    return this.config;
  }

  /** Swaps in a new, already validated configuration and tells subscribers. */
  replace(next: GatewayConfig): void {
    const previous = this.config;
    // Before the swap: an error built from the new config's calls already knows its keys.
    registerConfigSecrets(next);
    this.config = withOwnKeyedMaps(next, this.sections);
    for (const listener of this.listeners) listener(next, previous);
  }

  onChange(listener: ConfigListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
