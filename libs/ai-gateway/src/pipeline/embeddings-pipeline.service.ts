import { Injectable } from '@nestjs/common';
import type { EmbeddingsSource } from '../cache/semantic/provider-embedder';
import type { CallOptions, EmbedResult } from '../shared/call-result';
import { RequestTracing } from '../observability/tracing/request-tracing';
import type { Admitted, IdentifiedOptions } from './admission/request-admission';
import { RequestAdmission, withRequestId } from './admission/request-admission';
import type { EmbeddingRequest } from '../types/unified';
import { AttemptCalls, executionOf } from './attempt-calls';
import { FallbackExecutor } from './execution/fallback-executor.service';
import { RequestLedger } from './request-ledger';
import { modelOf } from './usage';

/**
 * The embeddings request path: admit (validate, scope, the model's targets, limits) → the
 * targets with retries and fallback → the books. It is also what the semantic cache's
 * provider embedders call, so their embeddings are routed, limited and logged like any
 * other (task `cache-embedding`) — without going through the chat path.
 */
@Injectable()
export class EmbeddingsPipeline implements EmbeddingsSource {
  constructor(
    private readonly admission: RequestAdmission,
    private readonly calls: AttemptCalls,
    private readonly executor: FallbackExecutor,
    private readonly ledger: RequestLedger,
    private readonly tracing: RequestTracing,
  ) {}

  embed(request: unknown, callOptions: CallOptions = {}): Promise<EmbedResult> {
    const options = withRequestId(callOptions);
    return this.tracing.within('embeddings', modelOf(request), options.requestId, () =>
      this.run(request, options),
    );
  }

  private async run(request: unknown, options: IdentifiedOptions): Promise<EmbedResult> {
    let admitted: Admitted<EmbeddingRequest>;
    try {
      admitted = await this.admission.embeddings(request, options);
    } catch (error) {
      throw this.ledger.refused(request, options, error, 'embeddings');
    }
    const { body, plan } = admitted;
    const open = this.ledger.begin(plan, options, 'embeddings', admitted.limit);
    try {
      const won = await this.executor.execute(
        executionOf(open, plan, this.calls.embeddings(body, options)),
      );
      this.ledger.served(open, won.target);
      open.meta.usage = { prompt: won.value.usage?.prompt_tokens ?? 0, completion: 0 };
      won.settle();
      this.ledger.finish(open, 'ok');
      return { response: won.value, meta: open.meta };
    } catch (error) {
      throw this.ledger.fail(open, error);
    } finally {
      open.deadline.dispose();
    }
  }

  /** One text's vector through the whole path (the semantic cache's provider embedders). */
  async embedText(model: string, text: string): Promise<number[]> {
    const { response } = await this.embed({ model, input: text }, { task: 'cache-embedding' });
    return response.data[0].embedding;
  }
}
