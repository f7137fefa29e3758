import { Injectable } from '@nestjs/common';
import type { ProviderConfig } from '../config/gateway-config.schema';
import { CircuitBreakerService } from './circuit-breaker.service';
import { keyCircuitId } from './circuit-state';
import type { Clock } from '../shared/clock';
import { InjectClock } from '../shared/clock';
import { keyIdsOf } from './key-id';

/** The key chosen for one call; both absent for a provider without keys. */
export interface PickedKey {
  key?: string;
  /** `keyIdOf(key)`: what logs, metrics, status and the breaker see instead of the key. */
  keyId?: string;
}

/**
 * Spreads a provider's calls over its `apiKeys`, round-robin, skipping keys that are
 * cooling off (429) or quarantined (401/403). A key whose rest is over (half-open) takes
 * its turn once, as the probe; until that probe's answer is in (or `openMs` passed),
 * this instance passes over it, so concurrent calls do not all queue up behind one
 * probe slot and get refused.
 */
@Injectable()
export class KeySelector {
  private readonly cursors = new Map<string, number>();
  /** Key circuit → until when the probe offered by this instance is awaited. */
  private readonly probing = new Map<string, number>();

  constructor(
    private readonly breakers: CircuitBreakerService,
    @InjectClock() private readonly clock: Clock,
  ) {}

  /**
   * The next usable key of `provider`: `{}` when it has none configured, `undefined`
   * when every key is resting (the caller falls back to another provider).
   */
  async pick(provider: ProviderConfig): Promise<PickedKey | undefined> {
    const keys = provider.apiKeys;
    if (keys.length === 0) return {};
    const ids = keyIdsOf(keys);
    const states = await this.breakers.keyStates(provider.name, ids);
    const now = this.clock.now();
    // Read the cursor after the await, so concurrent picks still take turns.
    const start = (this.cursors.get(provider.name) ?? 0) % keys.length;
    for (let step = 0; step < keys.length; step++) {
      const index = (start + step) % keys.length;
      const circuit = keyCircuitId(provider.name, ids[index]);
      const state = states[index];
      if (state !== 'half-open') this.probing.delete(circuit);
      if (state === 'closed') return this.take(provider.name, index, keys, ids);
      if (state === 'half-open' && (this.probing.get(circuit) ?? 0) <= now) {
        this.probing.set(circuit, now + provider.breaker.openMs);
        return this.take(provider.name, index, keys, ids);
      }
    }
    return undefined;
  }

  private take(provider: string, index: number, keys: string[], ids: string[]): PickedKey {
    this.cursors.set(provider, index + 1);
    return { key: keys[index], keyId: ids[index] };
  }
}
