import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { UsageTokens } from '../types/unified';

/** An event's `type`, read off the start of its data. */
const EVENT_TYPE = /"type"\s*:\s*"([^"]+)"/;

/** Most bytes of a JSON answer (or of one SSE line) kept to read its `usage` from. */
const MAX_KEPT_BYTES = 256 * 1024;

/**
 * Passes an upstream answer through unchanged and reads the token usage it reports:
 * the `usage` of a JSON answer (kept only up to a bound: a larger answer, such as base64
 * images, is passed on without its usage read) or of the last SSE event that carries one.
 * Binary answers (audio) are not looked at.
 */
export class UsageTap extends Transform {
  private readonly mode: 'json' | 'sse' | 'none';
  private kept: Buffer[] = [];
  private keptBytes = 0;
  private overflowed = false;
  private found?: UsageTokens;
  /** SSE: the line still being received. */
  private line = '';
  private readonly decoder = new StringDecoder('utf8');

  /** The stream's last line named one of `ends.events`; `failed`: it named a failure. */
  private ended = false;
  private failedWith?: string;

  constructor(
    contentType: string | undefined,
    /** For event streams that name their events: which end them well, which end them failed. */
    private readonly ends?: StreamEnds,
    /** Most bytes of a JSON answer or one SSE line read for usage (answers with images need more). */
    private readonly maxKeptBytes = MAX_KEPT_BYTES,
  ) {
    super();
    const type = (contentType ?? '').toLowerCase();
    this.mode = type.includes('json') ? 'json' : type.includes('event-stream') ? 'sse' : 'none';
  }

  /** True when the answer is an event stream. */
  get events(): boolean {
    return this.mode === 'sse';
  }

  /**
   * Why an event stream that ended without a transport error still failed: it named a
   * failure event, or it stopped before an event that ends it (undefined when it did not,
   * or when the endpoint names no such events).
   */
  get streamFailure(): string | undefined {
    if (!this.ends || this.mode !== 'sse') return undefined;
    if (this.failedWith) return `it ended with '${this.failedWith}'`;
    return this.ended ? undefined : 'it stopped before its last event';
  }

  /** The usage the answer reported, once it has passed (undefined when it reported none). */
  get usage(): UsageTokens | undefined {
    return this.found;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.mode !== 'none') this.keep(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.mode === 'json' && !this.overflowed)
      this.readUsage(Buffer.concat(this.kept).toString());
    if (this.mode === 'sse') this.readEvent(this.line + this.decoder.end());
    this.kept = [];
    done();
  }

  private keep(chunk: Buffer): void {
    if (this.mode === 'sse') {
      this.readLines(this.decoder.write(chunk));
      return;
    }
    if (this.overflowed) return;
    this.keptBytes += chunk.length;
    if (this.keptBytes > this.maxKeptBytes) {
      this.overflowed = true;
      this.kept = [];
      return;
    }
    this.kept.push(chunk);
  }

  /** Reads every complete SSE line; keeps the unfinished last one (a line past the bound is skipped). */
  private readLines(text: string): void {
    const lines = (this.line + text).split('\n');
    this.line = lines.pop() ?? '';
    for (const line of lines) this.readEvent(line);
    if (this.line.length > this.maxKeptBytes) this.line = '';
  }

  private readEvent(line: string): void {
    if (this.ends && line.startsWith('event:')) {
      this.named(line.slice(6).trim());
      return;
    }
    if (!line.startsWith('data:')) return;
    // Streams sent without `event:` lines (some proxies) name the event in its data.
    if (this.ends) {
      const type = EVENT_TYPE.exec(line.slice(0, 256))?.[1];
      if (type !== undefined) this.named(type);
    }
    if (line.includes('"usage"')) this.readUsage(line.slice(5).trim());
  }

  /** The stream's latest event name: whether it ends the stream well, or failed. */
  private named(name: string): void {
    if (this.ends!.failed.has(name)) this.failedWith = name;
    this.ended = this.ends!.ended.has(name);
  }

  private readUsage(json: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      return;
    }
    // The Responses API's last event carries its usage inside the response.
    const answer = parsed as { usage?: unknown; response?: { usage?: unknown } } | null;
    const usage = tokensOf(answer?.usage ?? answer?.response?.usage);
    if (usage) this.found = usage;
  }
}

/** The event names that end a stream well, and those that end it failed. */
export interface StreamEnds {
  ended: ReadonlySet<string>;
  failed: ReadonlySet<string>;
}

/**
 * Token usage in either of OpenAI's vocabularies: `prompt_tokens` / `completion_tokens`
 * (completions) or `input_tokens` / `output_tokens` (images, transcriptions).
 */
export function tokensOf(usage: unknown): UsageTokens | undefined {
  if (usage === null || typeof usage !== 'object') return undefined;
  const u = usage as Record<string, unknown>;
  const prompt = count(u.prompt_tokens) ?? count(u.input_tokens);
  const completion = count(u.completion_tokens) ?? count(u.output_tokens);
  if (prompt === undefined && completion === undefined) return undefined;
  const details = (u.prompt_tokens_details ?? u.input_tokens_details) as
    { cached_tokens?: unknown } | null | undefined;
  const cached = count(details?.cached_tokens);
  const output = (u.completion_tokens_details ?? u.output_tokens_details) as
    { reasoning_tokens?: unknown } | null | undefined;
  const reasoning = count(output?.reasoning_tokens);
  return {
    prompt: prompt ?? 0,
    completion: completion ?? 0,
    ...(cached ? { cached } : {}),
    ...(reasoning ? { reasoning } : {}),
  };
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
