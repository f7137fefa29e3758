import { Injectable } from '@nestjs/common';
import type { CacheLookup } from '../cache/response-cache.service';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import { RequestTracing } from '../observability/tracing/request-tracing';
import { IdleWatchdog, idleTimeoutError } from '../resilience/stream-guard';
import type { ChatStream } from '../shared/call-result';
import { CacheStep } from './cache-step';
import type { StreamStart, Won } from './execution/execution.types';
import { GatewayChatStream } from './gateway-chat-stream';
import type { OpenRequest } from './request-ledger';
import { RequestLedger } from './request-ledger';

/**
 * A stream past its first chunk, handed to the caller: the idle timer between chunks,
 * and its one ending — the attempt settled (breaker, latency), the cost charged, the
 * books closed, and the answer stored in the cache when it completed.
 */
@Injectable()
export class StreamRelay {
  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly ledger: RequestLedger,
    private readonly cache: CacheStep,
    private readonly tracing: RequestTracing,
  ) {}

  relay(
    won: Won<StreamStart>,
    request: OpenRequest,
    cached: CacheLookup,
    includeUsage: boolean,
  ): ChatStream {
    // Assembled only when the answer may be stored; stored only if the stream completes.
    const assembler = this.cache.assembler(cached);
    const { meta, deadline } = request;
    const { first, rest, idleMs, ttftMs, attemptTtftMs } = won.value;
    const target = won.target;
    this.ledger.served(request, target);
    meta.ttftMs = ttftMs;
    this.metrics.recordTimeToFirstToken(target.provider, target.model, ttftMs / 1000);
    this.tracing.firstChunk({ operation: request.operation, ...target }, ttftMs / 1000);
    const watchdog = new IdleWatchdog(idleMs, () =>
      won.abort(idleTimeoutError(target.provider, idleMs)),
    );
    return new GatewayChatStream(first, rest, meta, includeUsage, {
      waiting: () => watchdog.waiting(),
      received: () => watchdog.received(),
      observe: assembler && ((chunk) => assembler.add(chunk)),
      onEnd: (error) => {
        watchdog.stop();
        won.settle(error, attemptTtftMs);
        this.ledger.charge(request, target, won.hold);
        deadline.dispose();
        if (error) {
          this.ledger.fail(request, error);
          return;
        }
        this.ledger.finish(request, 'ok');
        const response = assembler?.complete();
        if (response) this.cache.store(cached, response, meta);
      },
    });
  }
}
