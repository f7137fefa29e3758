import type { PiiScrubberConfig } from '../../config/guardrails-config.schema';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import type { ChatRequest, ChatResponse } from '../../types/unified';
import type {
  GatewayMiddleware,
  MiddlewareContext,
  StreamField,
  StreamTextTransform,
} from '../gateway-middleware';
import { refuse } from '../gateway-middleware';
import { GatewayError } from '../../errors/gateway.error';
import { ConfiguredGuard } from '../configured-guard';
import { mapMessageTexts } from '../message-texts';
import type { PiiType } from './pii-detectors';
import { PII_TYPES, detectPii } from './pii-detectors';
import { OutputScanner, maskForeign } from './pii-output-scanner';
import type { PiiAction } from './pii-placeholders';
import { PiiVault, StreamRestorer, scrub } from './pii-placeholders';

const VAULT = 'vault';

/** A restored value inside a JSON string (tool arguments, a JSON answer). */
const jsonEscaped = (original: string): string => JSON.stringify(original).slice(1, -1);

/**
 * The built-in `pii_scrubber`: finds personal data and secrets in every message of a
 * request (text parts, tool results, earlier tool-call arguments) and masks them, replaces
 * them by placeholders restored in the answer (streamed too, across chunk boundaries), or
 * refuses the request (`pii_detected`, naming the type, never the value).
 */
export class PiiScrubber extends ConfiguredGuard<PiiScrubberConfig> implements GatewayMiddleware {
  readonly name = 'pii_scrubber';

  beforeRequest(context: MiddlewareContext): void {
    const { actions } = this.settings();
    const types = PII_TYPES.filter((type) => actions[type] !== 'off');
    if (types.length === 0) return;
    const vault = new PiiVault();
    const found = new Map<PiiType, number>();
    let blocked: PiiType | undefined;
    const actionOf = (type: PiiType) => actions[type] as PiiAction;
    const request: ChatRequest = context.request;
    const scrubText = (text: string) => {
      const matches = detectPii(text, types);
      if (matches.length === 0) return text;
      const result = scrub(text, matches, actionOf, vault);
      for (const [type, n] of Object.entries(result.found)) {
        found.set(type as PiiType, (found.get(type as PiiType) ?? 0) + n);
      }
      blocked ??= result.blocked;
      return result.text;
    };
    const unread = new Set<string>();
    const messages = mapMessageTexts(request.messages, scrubText, (type) => unread.add(type));
    if (unread.size > 0 && this.settings().failMode === 'closed') {
      // What it cannot read would leave unguarded.
      throw new GatewayError(
        GatewayErrorCode.UNSUPPORTED_FEATURE,
        `pii_scrubber cannot read ${[...unread].join(', ')} content parts, and it fails closed: ` +
          'send their text as text parts, or use a route or key without it',
        { param: 'messages', retryable: false },
      );
    }
    const fields = scrubFields(request, scrubText);
    if (blocked) {
      context.decide(`blocked:${blocked}`);
      throw refuse(
        GatewayErrorCode.PII_DETECTED,
        `The request contains personal data the gateway may not send on (${blocked})`,
      );
    }
    let total = 0;
    for (const n of found.values()) total += n;
    if (total === 0) {
      context.decide('clean');
      return;
    }
    context.request = { ...request, ...fields, messages };
    context.decide(`masked:${total}`);
    if (vault.size > 0) context.state.set(VAULT, vault);
  }

  afterResponse(context: MiddlewareContext, response: ChatResponse): void {
    const vault = context.state.get(VAULT) as PiiVault | undefined;
    const scan = this.settings().scanOutputs;
    if (!vault && !scan) return;
    const json = jsonAnswer(context.request);
    const outputs = scan ? this.outputTypes() : [];
    for (const choice of response.choices) {
      const message = choice.message;
      if (typeof message.content === 'string') {
        let text = vault
          ? vault.restore(message.content, json ? jsonEscaped : undefined)
          : message.content;
        if (scan) text = maskForeign(text, outputs, vault);
        message.content = text;
      }
      for (const call of message.tool_calls ?? []) {
        if (call.type !== 'function') continue;
        let args = vault
          ? vault.restore(call.function.arguments, jsonEscaped)
          : call.function.arguments;
        if (scan) args = maskForeign(args, outputs, vault);
        call.function.arguments = args;
      }
    }
  }

  streamText(context: MiddlewareContext, field: StreamField): StreamTextTransform | undefined {
    const vault = context.state.get(VAULT) as PiiVault | undefined;
    const scan = this.settings().scanOutputs;
    if (!vault && !scan) return undefined;
    const escaped = field.field === 'tool_arguments' || jsonAnswer(context.request);
    const restorer = vault && new StreamRestorer(vault, escaped ? jsonEscaped : undefined);
    if (!scan) return restorer;
    const scanner = new OutputScanner(this.outputTypes(), vault);
    if (!restorer) return scanner;
    return {
      push: (text) => scanner.push(restorer.push(text)),
      end: () => scanner.push(restorer.end()) + scanner.end(),
    };
  }

  /** The types scanned for in answers: every type not switched off. */
  private outputTypes(): PiiType[] {
    const { actions } = this.settings();
    return PII_TYPES.filter((type) => actions[type] !== 'off');
  }
}

/** Whether the request asked for a JSON answer (restored values JSON-escaped then). */
function jsonAnswer(request: ChatRequest): boolean {
  const format = request.response_format?.type;
  return format === 'json_object' || format === 'json_schema';
}

/**
 * The request's fields beyond the messages that carry the caller's text or identifiers:
 * `prediction` (the document being edited), `user`, `safety_identifier` and `metadata`
 * values — scrubbed like messages, returned only when one changed.
 */
function scrubFields(request: ChatRequest, scrub: (text: string) => string): Partial<ChatRequest> {
  const out: Record<string, unknown> = {};
  const fields = request as Record<string, unknown>;
  for (const key of ['user', 'safety_identifier']) {
    const value = fields[key];
    const scrubbed = typeof value === 'string' ? scrub(value) : value;
    if (scrubbed !== value) out[key] = scrubbed;
  }
  const metadata = fields.metadata;
  if (metadata && typeof metadata === 'object' && !Array.isArray(metadata)) {
    const entries = Object.entries(metadata as Record<string, unknown>).map(([k, v]) => [
      k,
      typeof v === 'string' ? scrub(v) : v,
    ]);
    if (entries.some(([k, v]) => v !== (metadata as Record<string, unknown>)[k as string])) {
      out.metadata = Object.fromEntries(entries);
    }
  }
  const prediction = request.prediction;
  if (prediction && typeof prediction.content === 'string') {
    const content = scrub(prediction.content);
    if (content !== prediction.content) out.prediction = { ...prediction, content };
  } else if (prediction && Array.isArray(prediction.content)) {
    const parts = prediction.content;
    const content = parts.map((part) =>
      typeof part.text === 'string' ? { ...part, text: scrub(part.text) } : part,
    );
    if (content.some((part, i) => part.text !== parts[i].text)) {
      out.prediction = { ...prediction, content };
    }
  }
  return out;
}
