import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { UsageTokens } from '../types/unified';

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

  constructor(contentType: string | undefined) {
    super();
    const type = (contentType ?? '').toLowerCase();
    this.mode = type.includes('json') ? 'json' : type.includes('event-stream') ? 'sse' : 'none';
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
    if (this.keptBytes > MAX_KEPT_BYTES) {
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
    if (this.line.length > MAX_KEPT_BYTES) this.line = '';
  }

  private readEvent(line: string): void {
    if (!line.startsWith('data:') || !line.includes('"usage"')) return;
    this.readUsage(line.slice(5).trim());
  }

  private readUsage(json: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      return;
    }
    const usage = tokensOf((parsed as { usage?: unknown } | null)?.usage);
    if (usage) this.found = usage;
  }
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
  return { prompt: prompt ?? 0, completion: completion ?? 0, ...(cached ? { cached } : {}) };
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
