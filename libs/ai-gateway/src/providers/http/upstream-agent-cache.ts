import type { Agent } from 'undici';
import type { ProviderConfig } from '../../config/gateway-config.schema';
import { createUpstreamAgent } from './upstream-agent';

/** Distinct per-request connect timeouts kept per provider before the oldest pool goes. */
const DEFAULT_LIMIT = 8;

/**
 * A provider's connection pools, one per connect timeout. A connect timeout belongs to
 * the pool (undici opens connections for the pool, not for a request), so a request that
 * brings its own gets a pool made for that value. The provider's own pool is permanent;
 * the others are kept, most recently used first, up to `limit`, and the one pushed out
 * is closed gracefully (its requests in flight finish).
 */
export class UpstreamAgentCache {
  private readonly base: Agent;
  private readonly byTimeout = new Map<number, Agent>();
  private closing?: Promise<void>;

  constructor(
    private readonly config: ProviderConfig,
    private readonly limit = DEFAULT_LIMIT,
  ) {
    this.base = createUpstreamAgent(config);
  }

  /** The pool whose new connections give up after `connectTimeoutMs` (default: the provider's). */
  agentFor(connectTimeoutMs?: number): Agent {
    if (connectTimeoutMs === undefined || connectTimeoutMs === this.config.connectTimeoutMs) {
      return this.base;
    }
    let agent = this.byTimeout.get(connectTimeoutMs);
    if (agent) {
      // Re-insert: Map order is the recency order.
      this.byTimeout.delete(connectTimeoutMs);
    } else {
      agent = createUpstreamAgent(this.config, connectTimeoutMs);
      if (this.byTimeout.size >= this.limit) this.evictOldest();
    }
    this.byTimeout.set(connectTimeoutMs, agent);
    return agent;
  }

  /** Number of extra pools held (the provider's own not counted). */
  get size(): number {
    return this.byTimeout.size;
  }

  /** Closes every pool gracefully; closing again waits for the same close. */
  close(): Promise<void> {
    if (!this.closing) {
      const agents = [this.base, ...this.byTimeout.values()];
      this.byTimeout.clear();
      this.closing = Promise.all(agents.map((agent) => agent.close())).then(() => undefined);
    }
    return this.closing;
  }

  private evictOldest(): void {
    const oldest = this.byTimeout.entries().next();
    if (oldest.done) return;
    const [timeoutMs, agent] = oldest.value;
    this.byTimeout.delete(timeoutMs);
    // Graceful: requests already dispatched on it finish; nothing new can reach it.
    void agent.close().catch(() => undefined);
  }
}
