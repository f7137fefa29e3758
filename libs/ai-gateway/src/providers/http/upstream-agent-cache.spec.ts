import type { Agent } from 'undici';
import { ProviderConfig } from '../../config/gateway-config.schema';
import { UpstreamAgentCache } from './upstream-agent-cache';

describe(UpstreamAgentCache.name, () => {
  const config = Object.assign(new ProviderConfig(), {
    name: 'vllm',
    kind: 'openai-compatible',
    connectTimeoutMs: 5_000,
  });
  let cache: UpstreamAgentCache;

  beforeEach(() => (cache = new UpstreamAgentCache(config, 2)));
  afterEach(() => cache.close());

  it("serves the provider's own pool when the request sets no connect timeout or the same one", () => {
    const own = cache.agentFor(undefined);
    expect(cache.agentFor(5_000)).toBe(own);
    expect(cache.size).toBe(0);
  });

  it('keeps one pool per distinct connect timeout and reuses it', () => {
    const fast = cache.agentFor(700);
    expect(fast).not.toBe(cache.agentFor(undefined));
    expect(cache.agentFor(700)).toBe(fast);
    expect(cache.agentFor(800)).not.toBe(fast);
    expect(cache.size).toBe(2);
  });

  it('holds at most its limit of extra pools, closing the least recently used', () => {
    const a = cache.agentFor(100);
    const b = cache.agentFor(200);
    const closeA = jest.spyOn(a, 'close');
    const closeB = jest.spyOn(b, 'close');
    cache.agentFor(100); // a is now the most recently used
    const c = cache.agentFor(300);
    expect(cache.size).toBe(2);
    expect(closeB).toHaveBeenCalled();
    expect(closeA).not.toHaveBeenCalled();
    expect(cache.agentFor(100)).toBe(a);
    expect(cache.agentFor(300)).toBe(c);
  });

  it('closes every pool it holds', async () => {
    const pools: Agent[] = [cache.agentFor(undefined), cache.agentFor(100), cache.agentFor(200)];
    const closes = pools.map((pool) => jest.spyOn(pool, 'close'));
    await cache.close();
    for (const close of closes) expect(close).toHaveBeenCalled();
    expect(cache.size).toBe(0);
  });
});
