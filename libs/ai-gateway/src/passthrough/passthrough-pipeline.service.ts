import { Injectable } from '@nestjs/common';
import { pipeline } from 'node:stream';
import type { Dispatcher } from 'undici';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { BudgetGate } from '../pipeline/admission/budget-gate';
import { RequestTracing } from '../observability/tracing/request-tracing';
import type { IdentifiedOptions } from '../pipeline/admission/request-admission';
import { withRequestId } from '../pipeline/admission/request-admission';
import type { AttemptParts } from '../pipeline/attempt-calls';
import { executionOf } from '../pipeline/attempt-calls';
import type { Won } from '../pipeline/execution/execution.types';
import { FallbackExecutor } from '../pipeline/execution/fallback-executor.service';
import type { OpenRequest } from '../pipeline/request-ledger';
import { RequestLedger } from '../pipeline/request-ledger';
import type { CallOptions } from '../shared/call-result';
import type { AdmittedPassthrough } from './passthrough-admission';
import { PassthroughAdmission } from './passthrough-admission';
import { PassthroughForwarder } from './passthrough-forwarder';
import type { PassthroughCall, PassthroughResult } from './passthrough.types';
import { UsageTap } from './usage-tap';

/** The attempt after a failed one, when the upload was already spent: it carries the first failure. */
class UploadSpent extends GatewayError {
  constructor(readonly first: GatewayError) {
    // CANCELLED: the request's own end, so no key, breaker or latency is blamed for it.
    super(GatewayErrorCode.CANCELLED, first.message, {
      provider: first.provider,
      retryable: false,
    });
  }
}

/**
 * OpenAI's other endpoints (legacy completions, moderations, images, speech,
 * transcriptions) passed through to the providers that have them, on the chat path's own
 * rails: admission (scope, targets, rate limits, budget holds), the fallback executor
 * (keys, breakers, the caller's pool share, retries, fallback, the decision trace) and
 * the ledger (metrics, settles, one usage row whose `task` names the endpoint). Bodies
 * are forwarded as received but for `model`; answers stream back as they arrive.
 */
@Injectable()
export class PassthroughPipeline {
  constructor(
    private readonly admission: PassthroughAdmission,
    private readonly executor: FallbackExecutor,
    private readonly ledger: RequestLedger,
    private readonly forwarder: PassthroughForwarder,
    private readonly budgets: BudgetGate,
    private readonly tracing: RequestTracing,
  ) {}

  forward(call: PassthroughCall, callOptions: CallOptions = {}): Promise<PassthroughResult> {
    const identified = withRequestId(callOptions);
    const options = { ...identified, ingress: identified.ingress ?? call.endpoint };
    return this.tracing.within('passthrough', modelOf(call).model, options.requestId, () =>
      this.run(call, options),
    );
  }

  private async run(call: PassthroughCall, options: IdentifiedOptions): Promise<PassthroughResult> {
    let admitted: AdmittedPassthrough;
    try {
      admitted = await this.admission.admit(call, options);
    } catch (error) {
      throw this.ledger.refused(modelOf(call), options, error, 'passthrough');
    }
    let open: OpenRequest | undefined;
    let won: Won<Dispatcher.ResponseData>;
    try {
      open = this.ledger.begin(admitted.plan, options, 'passthrough', admitted.limit);
      // Targets whose provider lacks the endpoint are part of the decision: the trace says so.
      for (const { target, reason } of admitted.plan.skipped) {
        open.meta.attempts.push({
          provider: target.provider,
          model: target.model,
          outcome: `skipped:${reason}`,
          latencyMs: 0,
          retry: 0,
        });
      }
      won = await this.executor.execute({
        ...admitted.budget,
        ...executionOf(open, admitted.plan, this.attempt(admitted)),
      });
    } catch (error) {
      open?.deadline.dispose();
      admitted.discard();
      const failure = error instanceof UploadSpent ? error.first : error;
      throw this.ledger.failAdmitted(admitted, open, failure, 'passthrough');
    }
    this.ledger.served(open, won.target);
    return this.relay(admitted, open, won);
  }

  /** One attempt: the body with the target's model id, to the target's provider. */
  private attempt(admitted: AdmittedPassthrough): AttemptParts<Dispatcher.ResponseData> {
    let spent: GatewayError | undefined;
    return {
      call: async (adapter, target, ctx) => {
        // An upload is read as it is sent: a retry or a fallback has nothing left to send.
        if (spent) throw new UploadSpent(spent);
        try {
          return await this.forwarder.send(adapter.config, admitted.requestFor(target.model), ctx);
        } catch (error) {
          if (admitted.once && error instanceof GatewayError) spent = error;
          throw error;
        }
      },
      attemptLimitMs: (p) => admitted.options.timeouts?.attemptMs ?? p.timeoutMs,
      // The attempt's timer covers the upload and the upstream's headers; the body then streams.
      streaming: true,
      discard: (response) => response.body.destroy(),
    };
  }

  /** Streams the answer back; the books close when it has passed, failed or been dropped. */
  private relay(
    admitted: AdmittedPassthrough,
    open: OpenRequest,
    won: Won<Dispatcher.ResponseData>,
  ): PassthroughResult {
    const response = won.value;
    const contentType = headerOf(response.headers['content-type']);
    const tap = new UsageTap(contentType, admitted.spec.streamEnds, admitted.spec.usageBytes);
    open.stream = tap.events;
    let closedBooks!: () => void;
    const closedPromise = new Promise<void>((resolve) => (closedBooks = resolve));
    let closed = false;
    const close = (error: Error | null | undefined): void => {
      if (closed) return;
      closed = true;
      // Stopped by the request itself (caller gone, deadline): its reason, which blames no provider.
      const cut = error ? undefined : tap.streamFailure;
      const failure = !error
        ? cut === undefined
          ? undefined
          : interrupted(new Error(cut), won.target.provider)
        : open.deadline.expired
          ? open.deadline.reason
          : interrupted(error, won.target.provider);
      won.settle(failure);
      open.meta.usage = tap.usage;
      open.meta.completed = failure === undefined;
      if (admitted.spec.priced) this.ledger.charge(open, won.target, won.hold);
      else {
        // No token price fits per-image or per-minute billing: recorded, never charged.
        open.meta.priced = false;
        this.budgets.release(won.hold);
      }
      if (failure) this.ledger.fail(open, failure);
      else this.ledger.finish(open, 'ok');
      open.deadline.dispose();
      closedBooks();
    };
    pipeline(response.body, tap, close);
    // The caller gone before the end: the pipeline above sees the tap destroyed.
    const headers: Record<string, string> = {};
    if (contentType) headers['content-type'] = contentType;
    const length = headerOf(response.headers['content-length']);
    if (length) headers['content-length'] = length;
    return {
      status: response.statusCode,
      headers,
      body: tap,
      meta: open.meta,
      closed: closedPromise,
    };
  }
}

function headerOf(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A failure while the answer streamed: the gateway's own reason, else a cut stream. */
function interrupted(error: Error, provider: string): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError(
    GatewayErrorCode.STREAM_INTERRUPTED,
    `The answer of provider ${provider} stopped before its end`,
    { provider, cause: error },
  );
}

/** What a refusal's usage row names: the JSON body's model (an upload's is not read yet). */
function modelOf(call: PassthroughCall): { model?: unknown } {
  const body = call.body as { model?: unknown } | null;
  return typeof body?.model === 'string' ? { model: body.model } : {};
}
