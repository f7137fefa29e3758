import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayError } from '../errors/gateway.error';
import { assertModelsAllowed } from '../keys/model-scope';
import { BudgetGate } from '../pipeline/admission/budget-gate';
import type { AdmittedChat } from '../pipeline/admission/request-admission';
import type { RateLimitAdmission } from '../pipeline/admission/rate-limit-gate';
import { RateLimitGate } from '../pipeline/admission/rate-limit-gate';
import { RequestTokens } from '../pipeline/admission/request-tokens';
import { MiddlewareChain } from '../pipeline/middleware/middleware-chain';
import { ModelResolver } from '../routing/model-resolver.service';
import type { RoutePlan } from '../routing/route-planner.service';
import type { CallOptions } from '../shared/call-result';
import { TokenCounter } from '../tokens/token-counter.service';
import type { ChatRequest, EmbeddingRequest } from '../types/unified';
import type { MultipartUpload } from './multipart-model';
import { readMultipartModel } from './multipart-model';
import type { PassthroughEndpoint, PassthroughEndpointSpec } from './passthrough-endpoints';
import {
  PASSTHROUGH_ENDPOINTS,
  servesEndpoint,
  unsupportedEndpoint,
} from './passthrough-endpoints';
import type { PassthroughCall } from './passthrough.types';
import type { UpstreamRequest } from './passthrough-forwarder';

/** A passthrough call past every check before its first attempt. */
export interface AdmittedPassthrough {
  endpoint: PassthroughEndpoint;
  spec: PassthroughEndpointSpec;
  /** What the books record of a refusal: the model named. */
  body: { model: string };
  options: CallOptions;
  plan: RoutePlan;
  limit?: Extract<RateLimitAdmission, { kind: 'go' }>;
  /** Budget hooks, for endpoints priced by tokens. */
  budget?: AdmittedChat['budget'];
  /** The upstream request of one attempt, with the target's own model id. */
  requestFor(model: string): UpstreamRequest;
  /** True for an upload that can be sent once only (multipart). */
  once: boolean;
  /** A refused upload is read to its end and dropped, so the refusal can be sent. */
  discard(): void;
}

/**
 * The admission of a passthrough call, from the chat path's own pieces: the caller's
 * model scope, the model's targets (those whose provider kind has the endpoint; none →
 * 400 `unsupported_feature`), the rate-limit gate (requests; tokens for completions) and,
 * for endpoints priced by tokens, the budget gate's reservation before each attempt.
 */
@Injectable()
export class PassthroughAdmission {
  constructor(
    private readonly config: GatewayConfigService,
    private readonly resolver: ModelResolver,
    private readonly limits: RateLimitGate,
    private readonly budgets: BudgetGate,
    private readonly tokens: TokenCounter,
    private readonly middleware: MiddlewareChain,
  ) {}

  async admit(call: PassthroughCall, options: CallOptions): Promise<AdmittedPassthrough> {
    const spec = PASSTHROUGH_ENDPOINTS[call.endpoint];
    if (spec.pinned) return this.admitPinned(call, spec, options);
    const parsed = await parseCall(call, spec);
    try {
      return await this.admitParsed(call.endpoint, spec, parsed, options, call.requires);
    } catch (error) {
      if ('withModel' in parsed) parsed.discard();
      throw error;
    }
  }

  private async admitParsed(
    endpoint: PassthroughEndpoint,
    spec: PassthroughEndpointSpec,
    parsed: MultipartUpload | JsonBody,
    options: CallOptions,
    requires: PassthroughCall['requires'],
  ): Promise<AdmittedPassthrough> {
    const model = parsed.model;
    assertModelsAllowed(options.caller?.allowedModels, [model]);
    this.middleware.assertNoneClosed(options, model, `/v1${spec.path}`);
    const plan = this.plan(endpoint, model, requires);
    const admissionId = randomUUID();
    const chat =
      spec.priced && 'body' in parsed
        ? endpoint === 'responses'
          ? responsesShapeOf(parsed.body, model)
          : completionShapeOf(parsed.body, model)
        : undefined;
    const tokens = chat && new RequestTokens(chat, this.tokens, this.config.current.providers);
    // Requests count; tokens only where the request says how many (completions' prompt + max).
    const limited: ChatRequest | EmbeddingRequest = chat ?? { model, input: '' };
    const admission = await this.limits.admit(limited, options, plan, admissionId, false, tokens);
    let attempt = 0;
    return {
      endpoint,
      spec,
      body: { model },
      options,
      plan,
      limit: admission.kind === 'go' ? admission : undefined,
      budget: tokens && {
        reserve: (target) =>
          this.budgets.reserve(tokens, options, target, `${admissionId}#${attempt++}`),
        release: (hold) => this.budgets.release(hold),
      },
      requestFor: (target) => requestOf(spec, parsed, target),
      once: 'withModel' in parsed,
      discard: () => ('withModel' in parsed ? parsed.discard() : undefined),
    };
  }

  /**
   * A call to one named provider (files, batches): its kind must have the endpoint; the
   * caller's rate limits count it as a request. The body goes as received — an upload
   * streamed unread, JSON as sent — or none for reads and deletes.
   */
  private async admitPinned(
    call: PassthroughCall,
    spec: PassthroughEndpointSpec,
    options: CallOptions,
  ): Promise<AdmittedPassthrough> {
    const method = call.method ?? 'POST';
    const upload = isStream(call.body) ? call.body : undefined;
    try {
      const provider = call.provider ?? '';
      const { providers, routing } = this.config.current;
      const kind = Object.hasOwn(providers, provider) ? providers[provider].kind : undefined;
      // The metrics and usage row name the endpoint where a model would be.
      const target = { provider, model: call.endpoint };
      if (!servesEndpoint(kind, call.endpoint)) {
        throw unsupportedEndpoint(call.endpoint, [target], () => kind);
      }
      let body: UpstreamRequest['body'];
      let contentType: string | undefined;
      if (method === 'POST') this.middleware.assertNoneClosed(options, '', `/v1${spec.path}`);
      if (method === 'POST' && spec.body === 'multipart') {
        if (!upload) throw wrongType('multipart/form-data');
        body = upload;
        contentType = call.contentType;
      } else if (method === 'POST') {
        if (upload) throw wrongType('application/json');
        body = JSON.stringify(call.body ?? {});
        contentType = 'application/json';
      }
      const plan: RoutePlan = {
        candidates: [target],
        skipped: [],
        strategy: 'priority',
        explicit: true,
        fallbackOn: routing.fallbackOn,
        retryBeforeFallback: false,
        deadlineMs: routing.deadlineMs,
        hedge: { enabled: false, minDelayMs: 50 },
      };
      const limited: EmbeddingRequest = { model: call.endpoint, input: '' };
      const admission = await this.limits.admit(limited, options, plan, randomUUID(), false);
      const path = call.path ?? spec.path;
      return {
        endpoint: call.endpoint,
        spec,
        body: { model: call.endpoint },
        options,
        plan,
        limit: admission.kind === 'go' ? admission : undefined,
        requestFor: () => ({ path, method, body, contentType }),
        once: upload !== undefined,
        discard: () => upload?.resume(),
      };
    } catch (error) {
      // A refused upload is read to its end and dropped, so the refusal can be sent.
      upload?.resume();
      throw error;
    }
  }

  /** The model's targets whose provider kind has the endpoint, in priority order. */
  private plan(
    endpoint: PassthroughEndpoint,
    model: string,
    requires: PassthroughCall['requires'],
  ): RoutePlan {
    const { providers, routing, routes } = this.config.current;
    const resolution = this.resolver.resolve(model);
    // A named route keeps its own policy: what falls back, and the total deadline.
    const route = resolution.route === undefined ? undefined : routes[resolution.route];
    const kindOf = (name: string) =>
      Object.hasOwn(providers, name) ? providers[name].kind : undefined;
    const serving = resolution.targets.filter((t) => servesEndpoint(kindOf(t.provider), endpoint));
    if (serving.length === 0)
      throw unsupportedEndpoint(endpoint, resolution.targets, kindOf, requires);
    return {
      // An upload is streamed as it is read: it can go to one target only.
      candidates:
        PASSTHROUGH_ENDPOINTS[endpoint].body === 'multipart' ? serving.slice(0, 1) : serving,
      skipped: resolution.targets
        .filter((t) => !serving.includes(t))
        .map((target) => ({ target, reason: `no_${endpoint}` })),
      route: resolution.route,
      strategy: 'priority',
      explicit: resolution.explicit,
      fallbackOn: route?.fallbackOn ?? routing.fallbackOn,
      retryBeforeFallback: route?.retryBeforeFallback ?? false,
      deadlineMs: route?.deadlineMs ?? routing.deadlineMs,
      hedge: { enabled: false, minDelayMs: 50 },
    };
  }
}

/** The call's body read as its endpoint expects: a JSON object, or an upload's head. */
async function parseCall(
  call: PassthroughCall,
  spec: PassthroughEndpointSpec,
): Promise<MultipartUpload | JsonBody> {
  const upload = isStream(call.body) ? call.body : undefined;
  try {
    if (spec.body === 'json') {
      if (upload) throw wrongType('application/json');
      return jsonBodyOf(call.body);
    }
    if (!upload) throw wrongType('multipart/form-data');
    return await readMultipartModel(upload, call.contentType);
  } catch (error) {
    // An upload refused unread is dropped, so the refusal can be sent.
    upload?.resume();
    throw error;
  }
}

function isStream(body: unknown): body is Readable {
  return typeof (body as { pipe?: unknown } | null)?.pipe === 'function';
}

function wrongType(expected: string): GatewayError {
  return GatewayError.invalidRequest(
    `Invalid request: this endpoint takes ${expected}`,
    'content-type',
  );
}

interface JsonBody {
  model: string;
  body: Record<string, unknown>;
}

function jsonBodyOf(body: unknown): JsonBody {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw GatewayError.invalidRequest('Invalid request: the body must be a JSON object', 'body');
  }
  const model = (body as { model?: unknown }).model;
  if (typeof model !== 'string' || model === '') {
    throw GatewayError.invalidRequest(
      "Invalid request: 'model' is required (a provider/model, a route or a model id)",
      'model',
    );
  }
  return { model, body: body as Record<string, unknown> };
}

function requestOf(
  spec: PassthroughEndpointSpec,
  parsed: MultipartUpload | JsonBody,
  model: string,
): UpstreamRequest {
  if ('withModel' in parsed) {
    return { path: spec.path, body: parsed.withModel(model), contentType: parsed.contentType };
  }
  return {
    path: spec.path,
    body: JSON.stringify({ ...parsed.body, model }),
    contentType: 'application/json',
  };
}

/**
 * A legacy completion as the chat request the token gates know how to hold: its prompt
 * text as one user message, its output cap (`max_tokens`, OpenAI's default 16) times the
 * completions it asks for (`n`, `best_of`).
 */
function completionShapeOf(body: Record<string, unknown>, model: string): ChatRequest {
  const prompt = body.prompt;
  const texts = Array.isArray(prompt) ? prompt : [prompt];
  const content = texts.filter((t): t is string => typeof t === 'string').join('\n');
  const maxTokens = numberOr(body.max_tokens, 16);
  // Several prompts (strings, or token arrays) are several completions each.
  const prompts = Array.isArray(prompt) && typeof prompt[0] !== 'number' ? prompt.length : 1;
  const n = Math.max(1, numberOr(body.n, 1), numberOr(body.best_of, 1));
  return { model, messages: [{ role: 'user', content }], max_tokens: maxTokens * n * prompts };
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/**
 * A forwarded Responses request as the chat request the token gates hold: its
 * instructions and every text in its input as one user message (images and files are
 * not counted: OpenAI bills them by size), its output cap (`max_output_tokens`) or the
 * model's when absent.
 */
function responsesShapeOf(body: Record<string, unknown>, model: string): ChatRequest {
  const texts: string[] = [];
  collectTexts(body.instructions, texts);
  collectTexts(body.input, texts);
  const max = body.max_output_tokens;
  return {
    model,
    messages: [{ role: 'user', content: texts.join('\n') }],
    ...(typeof max === 'number' && Number.isFinite(max) ? { max_tokens: max } : {}),
  };
}

/** Every `text`, string `content` and string `output` in an input, depth first. */
function collectTexts(value: unknown, into: string[], depth = 0): void {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const v of value) collectTexts(v, into, depth + 1);
  else if (value !== null && typeof value === 'object' && depth < 8) {
    const item = value as Record<string, unknown>;
    for (const field of ['text', 'content', 'output', 'arguments'] as const) {
      if (field in item) collectTexts(item[field], into, depth + 1);
    }
  }
}
