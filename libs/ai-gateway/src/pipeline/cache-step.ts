import { Injectable } from '@nestjs/common';
import { ReplayedStream } from '../cache/replayed-stream';
import type { CacheLookup } from '../cache/response-cache.service';
import { ResponseCache } from '../cache/response-cache.service';
import { StreamAssembler } from '../cache/stream-assembler';
import type { ChatStream, ResponseMeta } from '../shared/call-result';
import type { ChatRequest, ChatResponse } from '../types/unified';
import type { Attributes } from '@opentelemetry/api';
import { performance } from 'node:perf_hooks';
import { Gateway } from '../observability/tracing/gen-ai.attributes';
import { RequestTracing } from '../observability/tracing/request-tracing';
import type { CacheOutcome } from '../shared/call-result';
import type { OpenRequest } from './request-ledger';
import { RequestLedger } from './request-ledger';

/**
 * The response cache's step in the chat path: looked up after the rate limits and before
 * any budget reservation; a hit ends the request here (booked with no provider call and no
 * cost, the saving recorded), a miss says how to store the answer once it is complete.
 */
@Injectable()
export class CacheStep {
  constructor(
    private readonly cache: ResponseCache,
    private readonly ledger: RequestLedger,
    private readonly tracing: RequestTracing,
  ) {}

  /** The lookup's outcome lands in `meta.cache`; a hit is booked before it is returned. */
  async lookup(body: ChatRequest, request: OpenRequest): Promise<CacheLookup> {
    const started = this.tracing.traced ? performance.timeOrigin + performance.now() : 0;
    const lookup = await this.cache.lookup(body, request.options);
    if (started) this.traceLookup(started, lookup.outcome);
    request.meta.cache = lookup.outcome;
    if (lookup.hit) this.ledger.fromCache(request, lookup);
    return lookup;
  }

  /**
   * The lookup as a span, when one took place: a skip by policy (not deterministic, tools,
   * asked not to) is only the request span's `gateway.cache.status`; an unreachable backend
   * is a span of its own.
   */
  private traceLookup(started: number, outcome: CacheOutcome): void {
    if (outcome.status === 'skip' && outcome.reason !== 'unavailable') return;
    const attributes: Attributes = { [Gateway.CACHE_STATUS]: outcome.status };
    if (outcome.reason) attributes[Gateway.CACHE_REASON] = outcome.reason;
    if (outcome.similarity !== undefined) attributes[Gateway.CACHE_SIMILARITY] = outcome.similarity;
    this.tracing.step('gateway.cache.lookup', started, attributes);
  }

  /** A hit served to a streaming caller: the chunks a provider would have sent. */
  replay(
    hit: NonNullable<CacheLookup['hit']>,
    meta: ResponseMeta,
    includeUsage: boolean,
  ): ChatStream {
    return new ReplayedStream(hit.response, meta, includeUsage);
  }

  /** Collects a stream's chunks only when its answer may be stored. */
  assembler(lookup: CacheLookup): StreamAssembler | undefined {
    return lookup.store ? new StreamAssembler() : undefined;
  }

  /** Stores a served answer in the background (the caller never waits). */
  store(lookup: CacheLookup, response: ChatResponse, meta: ResponseMeta): void {
    this.cache.store(lookup, response, meta);
  }
}
