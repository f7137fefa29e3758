import { Injectable } from '@nestjs/common';
import { ReplayedStream } from '../cache/replayed-stream';
import type { CacheLookup } from '../cache/response-cache.service';
import { ResponseCache } from '../cache/response-cache.service';
import { StreamAssembler } from '../cache/stream-assembler';
import type { ChatStream, ResponseMeta } from '../shared/call-result';
import type { ChatRequest, ChatResponse } from '../types/unified';
import type { Span } from '@opentelemetry/api';
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
    const span = this.tracing.child('gateway.cache.lookup');
    let lookup: CacheLookup;
    try {
      lookup = await this.cache.lookup(body, request.options);
    } catch (error) {
      span?.end();
      throw error;
    }
    if (span) endCacheSpan(span, lookup.outcome);
    request.meta.cache = lookup.outcome;
    if (lookup.hit) this.ledger.fromCache(request, lookup);
    return lookup;
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

/** Ends the lookup's span with its outcome. */
function endCacheSpan(span: Span, outcome: CacheOutcome): void {
  span.setAttribute(Gateway.CACHE_STATUS, outcome.status);
  if (outcome.reason) span.setAttribute(Gateway.CACHE_REASON, outcome.reason);
  if (outcome.similarity !== undefined) {
    span.setAttribute(Gateway.CACHE_SIMILARITY, outcome.similarity);
  }
  span.end();
}
