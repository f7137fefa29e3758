import type { BreakerConfig } from '../config/gateway-config.schema';
import type {
  BreakerOutcome,
  BreakerPermit,
  BreakerSnapshot,
  BreakerState,
  BreakerStore,
} from './breaker.types';
import type { BreakerStoreOptions, CircuitFields } from './circuit-state';
import { closedCircuit, shouldOpen, toSnapshot } from './circuit-state';

/**
 * Breaker state of one gateway instance, in a Map. The error rate is counted over a
 * fixed window (`windowMs`, restarted by the first outcome after it ends): simple, the
 * same in Lua, and the consecutive-failure rule already catches a provider that dies
 * right after a window boundary. Entries are few (one per provider and per key), so
 * nothing is evicted.
 *
 * `RedisBreakerStore` implements the same state machine in Lua; both run the scenarios
 * of `breaker-store.scenarios.ts`.
 */
export class MemoryBreakerStore implements BreakerStore {
  private readonly circuits = new Map<string, CircuitFields>();

  constructor(private readonly options: BreakerStoreOptions = {}) {}

  acquire(id: string, policy: BreakerConfig, now: number): Promise<BreakerPermit> {
    return Promise.resolve(this.acquireNow(id, policy, now));
  }

  record(
    id: string,
    outcome: BreakerOutcome,
    policy: BreakerConfig,
    now: number,
  ): Promise<BreakerSnapshot> {
    return Promise.resolve(this.recordNow(id, outcome, policy, now));
  }

  trip(id: string, until: number, reason: string, now: number): Promise<void> {
    const circuit = this.circuit(id);
    const wasOpen = circuit.state === 'open';
    // A shorter trip never shortens a longer one (a quarantined key answering 429).
    circuit.openUntil = wasOpen ? Math.max(circuit.openUntil, until) : until;
    circuit.state = 'open';
    circuit.probeUntil = 0;
    circuit.lastError = reason;
    circuit.lastErrorAt = now;
    if (!wasOpen) this.moved(id, 'open');
    return Promise.resolve();
  }

  snapshot(ids: string[], now: number): Promise<BreakerSnapshot[]> {
    return Promise.resolve(
      ids.map((id) => toSnapshot(id, this.circuits.get(id) ?? closedCircuit(), now)),
    );
  }

  private acquireNow(id: string, policy: BreakerConfig, now: number): BreakerPermit {
    const circuit = this.circuits.get(id);
    if (!circuit || circuit.state === 'closed') {
      return { allowed: true, state: 'closed', probe: false };
    }
    if (circuit.state === 'open' && now < circuit.openUntil) {
      return { allowed: false, state: 'open', probe: false, openUntil: circuit.openUntil };
    }
    if (circuit.state === 'half-open' && now < circuit.probeUntil) {
      return { allowed: false, state: 'half-open', probe: false };
    }
    const from = circuit.state;
    circuit.state = 'half-open';
    circuit.probeUntil = now + policy.openMs;
    if (from === 'open') this.moved(id, 'half-open');
    return { allowed: true, state: 'half-open', probe: true };
  }

  private recordNow(
    id: string,
    outcome: BreakerOutcome,
    policy: BreakerConfig,
    now: number,
  ): BreakerSnapshot {
    const circuit = this.circuit(id);
    if (now >= circuit.windowEnd) restartWindow(circuit, policy, now);
    circuit.requests += 1;
    const probing = outcome.probe && circuit.state === 'half-open';

    if (!outcome.counts) {
      // Neither proof of health nor of sickness: free the probe slot for the next call.
      if (probing) circuit.probeUntil = 0;
    } else if (outcome.ok) {
      circuit.consecutive = 0;
      if (probing) {
        circuit.state = 'closed';
        circuit.openUntil = 0;
        circuit.probeUntil = 0;
        restartWindow(circuit, policy, now);
        this.moved(id, 'closed');
      }
    } else {
      circuit.consecutive += 1;
      circuit.failures += 1;
      circuit.lastError = outcome.error ?? 'error';
      circuit.lastErrorAt = now;
      // Only the probe decides a half-open circuit; late answers of calls let through
      // before it opened are stale and change nothing but the counters.
      const opens = circuit.state === 'closed' ? shouldOpen(circuit, policy) : probing;
      if (opens) {
        circuit.state = 'open';
        circuit.openUntil = now + policy.openMs;
        circuit.probeUntil = 0;
        this.moved(id, 'open');
      }
    }
    return toSnapshot(id, circuit, now);
  }

  private circuit(id: string): CircuitFields {
    let circuit = this.circuits.get(id);
    if (!circuit) {
      circuit = closedCircuit();
      this.circuits.set(id, circuit);
    }
    return circuit;
  }

  private moved(id: string, to: BreakerState): void {
    this.options.onTransition?.(id, to);
  }
}

function restartWindow(circuit: CircuitFields, policy: BreakerConfig, now: number): void {
  circuit.windowEnd = now + policy.windowMs;
  circuit.requests = 0;
  circuit.failures = 0;
}
