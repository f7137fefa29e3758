import { Inject, Injectable, Logger } from '@nestjs/common';
import { BreakerConfig, ProviderConfig } from '../config/gateway-config.schema';
import { GatewayConfigService } from '../config/gateway-config.service';
import type { GatewayError } from '../errors/gateway.error';
import type { BreakerStoreOperation } from './breaker.metrics';
import { BreakerMetrics } from './breaker.metrics';
import type {
  BreakerOutcome,
  BreakerPermit,
  BreakerSnapshot,
  BreakerState,
  BreakerStore,
} from './breaker.types';
import { BREAKER_STORE } from './breaker.types';
import { countsAgainstProvider, keyRestUntil } from './breaker-outcome';
import { keyCircuitId } from './circuit-state';
import type { Clock } from '../shared/clock';
import { InjectClock } from '../shared/clock';
import { keyIdsOf } from './key-id';

/**
 * How a call ended, as `CircuitBreakerService.record` needs it. `requestsOwn`: the
 * failure was the request's doing (its deadline, its own shorter timers, its caller
 * gone), so it counts against neither the provider nor the key. `keyBlamed: false`: a
 * 401/403 the caller's input may have caused (a model of its choosing), so the key is
 * not set aside for everyone.
 */
export type BreakerResult =
  { ok: true } | { ok: false; error: GatewayError; requestsOwn?: boolean; keyBlamed?: boolean };

/** The answer of `acquire`: both circuits' verdict, handed back to `record` unchanged. */
export interface CircuitPermit extends BreakerPermit {
  /** Which circuit refused, when `allowed` is false. */
  deniedBy?: 'provider' | 'key';
  /** This call is the half-open probe of the provider's circuit. */
  providerProbe: boolean;
  /** This call is the half-open probe of the key's circuit. */
  keyProbe: boolean;
}

/** One circuit as `GET /v1/providers/status` shows it. */
export interface CircuitStatus {
  state: BreakerState;
  openUntil?: number;
  consecutiveFailures: number;
  windowRequests: number;
  windowFailures: number;
  lastError?: string;
  lastErrorAt?: number;
}

export interface KeyBreakerStatus extends CircuitStatus {
  /** `keyIdOf(key)`: never the key. */
  keyId: string;
}

export interface ProviderBreakerStatus extends CircuitStatus {
  provider: string;
  keys: KeyBreakerStatus[];
  /** True when the store could not be read: the states shown are the fail-open default. */
  degraded: boolean;
}

const DEFAULT_PROVIDER = new ProviderConfig();
const DEFAULT_POLICY = new BreakerConfig();

/**
 * Circuit breakers per provider and per API key. The provider circuit counts only the
 * provider's own faults (5xx, timeouts, connection failures, cut streams); a key is set
 * aside on 401/403 (quarantine) and 429 (cool-off) so the next key takes over, and the
 * caller's own mistakes touch neither — nor do its own limits (a deadline, a timer set
 * shorter than the provider's, a disconnect: `requestsOwn`) or a 401/403 on a model it
 * picked itself (`keyBlamed: false`). State lives in the `BREAKER_STORE` (Redis when
 * configured, shared by every instance). A store failure never stops traffic: breakers
 * fail open, the failure is counted in `gateway_breaker_store_errors_total`, and
 * nothing here throws.
 */
@Injectable()
export class CircuitBreakerService {
  private readonly logger = new Logger(CircuitBreakerService.name);
  private storeFailing = false;

  constructor(
    private readonly config: GatewayConfigService,
    private readonly metrics: BreakerMetrics,
    @InjectClock() private readonly clock: Clock,
    @Inject(BREAKER_STORE) private readonly store: BreakerStore,
  ) {}

  /**
   * May a call go to `provider` (with the key `keyId`)? Both circuits must allow. The
   * provider is asked first, so an open provider costs one store call and spends no
   * key probe.
   */
  async acquire(provider: string, keyId?: string): Promise<CircuitPermit> {
    const policy = this.policyOf(provider);
    const now = this.clock.now();
    const ofProvider = await this.guard('acquire', () => this.store.acquire(provider, policy, now));
    if (!ofProvider) return granted(false, false);
    this.metrics.observe(provider, ofProvider.state);
    if (!ofProvider.allowed) return denied('provider', ofProvider);
    if (keyId === undefined) return granted(ofProvider.probe, false);

    const id = keyCircuitId(provider, keyId);
    const ofKey = await this.guard('acquire', () => this.store.acquire(id, policy, now));
    if (!ofKey) return granted(ofProvider.probe, false);
    this.metrics.observe(id, ofKey.state);
    if (ofKey.allowed) return granted(ofProvider.probe, ofKey.probe);
    // The provider's probe slot was taken for a call that will not happen: hand it back.
    if (ofProvider.probe) {
      await this.recordOne(provider, { ok: false, counts: false, probe: true }, policy, now);
    }
    return denied('key', ofKey);
  }

  /** Reports how a call let through by `acquire` ended. Does nothing for a refused permit. */
  async record(
    provider: string,
    keyId: string | undefined,
    permit: CircuitPermit,
    result: BreakerResult,
  ): Promise<void> {
    if (!permit.allowed) return;
    const settings = this.config.current.providers[provider] ?? DEFAULT_PROVIDER;
    const policy = settings.breaker;
    const now = this.clock.now();
    const error = result.ok ? undefined : result.error;
    const neutral = !result.ok && result.requestsOwn === true;
    const counts = error === undefined || (!neutral && countsAgainstProvider(error.code));
    const writes = [
      this.recordOne(
        provider,
        { ok: result.ok, counts, probe: permit.providerProbe, error: error?.code },
        policy,
        now,
      ),
    ];
    if (keyId !== undefined) {
      const restsKey = !result.ok && !neutral && result.keyBlamed !== false;
      writes.push(
        this.recordKey(
          keyCircuitId(provider, keyId),
          permit.keyProbe,
          error,
          restsKey,
          settings,
          now,
        ),
      );
    }
    await Promise.all(writes);
  }

  /** Every enabled provider's circuit and its keys' circuits, from one store read. */
  async status(): Promise<ProviderBreakerStatus[]> {
    const providers = Object.values(this.config.current.providers).filter((p) => p.enabled);
    const ids = providers.flatMap((p) => [
      p.name,
      ...keyIdsOf(p.apiKeys).map((keyId) => keyCircuitId(p.name, keyId)),
    ]);
    const now = this.clock.now();
    const snapshots = await this.guard('snapshot', () => this.store.snapshot(ids, now));
    const byId = new Map(snapshots?.map((s) => [s.id, s]));
    const view = (id: string): CircuitStatus => this.statusOf(id, byId.get(id));
    return providers.map((p) => ({
      provider: p.name,
      ...view(p.name),
      degraded: snapshots === undefined,
      keys: keyIdsOf(p.apiKeys).map((keyId) => ({
        keyId,
        ...view(keyCircuitId(p.name, keyId)),
      })),
    }));
  }

  /**
   * The current state of some of a provider's key circuits, in order (for
   * `KeySelector`). A store failure reads as all closed (fail open).
   */
  async keyStates(provider: string, keyIds: readonly string[]): Promise<BreakerState[]> {
    const ids = keyIds.map((keyId) => keyCircuitId(provider, keyId));
    const now = this.clock.now();
    const snapshots = await this.guard('snapshot', () => this.store.snapshot(ids, now));
    return ids.map((_, i) => snapshots?.[i]?.state ?? 'closed');
  }

  private policyOf(provider: string): BreakerConfig {
    return this.config.current.providers[provider]?.breaker ?? DEFAULT_POLICY;
  }

  private async recordOne(
    id: string,
    outcome: BreakerOutcome,
    policy: BreakerConfig,
    now: number,
  ): Promise<void> {
    const snapshot = await this.guard('record', () => this.store.record(id, outcome, policy, now));
    if (snapshot) this.metrics.observe(id, snapshot.state);
  }

  /**
   * A key rests after 401/403 and 429 (unless `mayRest` is false); any other outcome
   * counts a request and frees its probe.
   */
  private async recordKey(
    id: string,
    probe: boolean,
    error: GatewayError | undefined,
    mayRest: boolean,
    settings: ProviderConfig,
    now: number,
  ): Promise<void> {
    const until = error && mayRest ? keyRestUntil(error, settings, now) : undefined;
    if (error && until !== undefined && until > now) {
      await this.tripOne(id, until, error.code, now);
      return;
    }
    const ok = error === undefined;
    await this.recordOne(id, { ok, counts: ok, probe, error: error?.code }, settings.breaker, now);
  }

  private async tripOne(id: string, until: number, reason: string, now: number): Promise<void> {
    await this.guard('trip', () => this.store.trip(id, until, reason, now));
  }

  private statusOf(id: string, snapshot: BreakerSnapshot | undefined): CircuitStatus {
    if (!snapshot) {
      return { state: 'closed', consecutiveFailures: 0, windowRequests: 0, windowFailures: 0 };
    }
    this.metrics.observe(id, snapshot.state);
    const { id: _id, ...status } = snapshot;
    return status;
  }

  /** Runs a store call; on failure counts it, logs once per outage and yields undefined. */
  private async guard<T>(
    operation: BreakerStoreOperation,
    call: () => Promise<T>,
  ): Promise<T | undefined> {
    try {
      const result = await call();
      if (this.storeFailing) {
        this.storeFailing = false;
        this.logger.log({ msg: 'breaker store reachable again' });
      }
      return result;
    } catch (error) {
      this.metrics.storeError(operation);
      if (!this.storeFailing) {
        this.storeFailing = true;
        this.logger.warn({
          msg: 'breaker store unavailable: circuits fail open',
          error: error instanceof Error ? error.message : String(error),
        });
      }
      return undefined;
    }
  }
}

function granted(providerProbe: boolean, keyProbe: boolean): CircuitPermit {
  const probe = providerProbe || keyProbe;
  return { allowed: true, state: probe ? 'half-open' : 'closed', probe, providerProbe, keyProbe };
}

function denied(by: 'provider' | 'key', permit: BreakerPermit): CircuitPermit {
  return {
    ...permit,
    allowed: false,
    probe: false,
    deniedBy: by,
    providerProbe: false,
    keyProbe: false,
  };
}
