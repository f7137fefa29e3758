import type { OnModuleDestroy } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { ProviderConfig } from '../config/gateway-config.schema';
import { transportError } from '../providers/http/abort';
import { abortableRequest } from '../providers/http/abortable-request';
import { connectTimeoutError, isConnectTimeout } from '../providers/http/timed-connector';
import { UpstreamAgentCache } from '../providers/http/upstream-agent-cache';
import { readUpstreamError } from '../providers/openai-compatible/openai-compatible.errors';
import type { ProviderCallContext } from '../providers/provider-adapter.interface';

/** One request to send upstream: where under the base URL, and what. */
export interface UpstreamRequest {
  path: string;
  /** Default POST. */
  method?: 'GET' | 'POST' | 'DELETE';
  /** None for reads and deletes. */
  body?: string | Readable;
  contentType?: string;
}

/**
 * Sends passthrough requests to a provider's configured base URL — never anywhere else —
 * with the attempt's key, the provider's extra headers and a pooled undici agent built
 * like the adapters' (same connection cap, connect timer, keep-alive). Pools are kept per
 * provider and replaced when its configuration changes (the old one closes gracefully).
 */
@Injectable()
export class PassthroughForwarder implements OnModuleDestroy {
  private readonly pools = new Map<
    string,
    { config: ProviderConfig; fingerprint: string; agents: UpstreamAgentCache }
  >();

  /** Resolves once the upstream accepted (status < 400 and headers in); the body streams on. */
  async send(
    provider: ProviderConfig,
    request: UpstreamRequest,
    ctx: ProviderCallContext,
  ): Promise<Dispatcher.ResponseData> {
    const headers: Record<string, string> = { accept: '*/*', ...provider.headers };
    if (request.contentType) headers['content-type'] = request.contentType;
    if (ctx.apiKey) headers.authorization = `Bearer ${ctx.apiKey}`;
    if (ctx.traceHeaders) Object.assign(headers, ctx.traceHeaders);
    const baseUrl = (provider.baseUrl ?? '').replace(/\/+$/, '');
    let response: Dispatcher.ResponseData;
    try {
      response = await abortableRequest(baseUrl + request.path, {
        method: request.method ?? 'POST',
        headers,
        body: request.body ?? null,
        signal: ctx.signal,
        dispatcher: this.agentsOf(provider).agentFor(ctx.connectTimeoutMs),
      });
    } catch (error) {
      if (isConnectTimeout(error) && !ctx.signal.aborted) {
        throw connectTimeoutError(
          provider.name,
          ctx.connectTimeoutMs ?? provider.connectTimeoutMs,
          error,
        );
      }
      // An upload over the size cap fails undici's request with the cap's own error.
      throw transportError(provider.name, ctx, error);
    }
    if (response.statusCode >= 400) throw await readUpstreamError(provider.name, response);
    return response;
  }

  async onModuleDestroy(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map(({ agents }) => agents.close()));
  }

  private agentsOf(provider: ProviderConfig): UpstreamAgentCache {
    const pool = this.pools.get(provider.name);
    // The same config object (the common case) needs no comparison; a reload brings new ones.
    if (pool?.config === provider) return pool.agents;
    const fingerprint = JSON.stringify(provider);
    if (pool?.fingerprint === fingerprint) {
      pool.config = provider;
      return pool.agents;
    }
    // Graceful: requests already under way on the old pool finish there.
    void pool?.agents.close().catch(() => undefined);
    const agents = new UpstreamAgentCache(provider);
    this.pools.set(provider.name, { config: provider, fingerprint, agents });
    return agents;
  }
}
