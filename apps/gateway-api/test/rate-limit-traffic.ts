import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { pollUntil } from './gateway-process';

/** A chat body without its model (each helper call names it). */
export type ChatBody = Omit<ChatCompletionCreateParamsNonStreaming, 'model'>;

/** What one call got, as the rate-limit specs look at it. */
export interface CallOutcome {
  /** HTTP status; 0 when no HTTP answer came at all (connection refused or cut). */
  status: number;
  /** When the call was sent (epoch ms) and how long until its answer, measured per call. */
  sentAt: number;
  latencyMs: number;
  /** The response's headers (of the error response for a refusal). */
  headers?: Headers;
  error?: InstanceType<typeof OpenAI.APIError>;
  /** Why there was no HTTP answer. */
  failure?: string;
}

/**
 * One chat call through the official client (which must not retry): an HTTP error is an
 * outcome like a success, a dead socket too (status 0), so a load run never throws.
 */
export async function sendChat(
  client: OpenAI,
  model: string,
  body: ChatBody,
  headers: Record<string, string> = {},
): Promise<CallOutcome> {
  const sentAt = Date.now();
  try {
    const { response } = await client.chat.completions
      .create({ ...body, model }, { headers })
      .withResponse();
    return {
      status: response.status,
      sentAt,
      latencyMs: Date.now() - sentAt,
      headers: response.headers,
    };
  } catch (error) {
    const latencyMs = Date.now() - sentAt;
    if (error instanceof OpenAI.APIError && error.status !== undefined) {
      return { status: error.status, sentAt, latencyMs, headers: error.headers, error };
    }
    return { status: 0, sentAt, latencyMs, failure: String(error) };
  }
}

/** A header of the outcome's response, or undefined. */
export function headerOf(outcome: CallOutcome, name: string): string | undefined {
  return outcome.headers?.get(name) ?? undefined;
}

/** The first few outcomes that must never appear: 5xx, or no HTTP answer at all. */
export function brokenOf(outcomes: readonly CallOutcome[]): string[] {
  return outcomes
    .filter((o) => o.status === 0 || o.status >= 500)
    .slice(0, 5)
    .map((o) => `${o.status} ${o.error?.message ?? o.failure}`);
}

/** How many outcomes had each status, e.g. `{ 200: 100, 429: 200 }`. */
export function tally(outcomes: readonly CallOutcome[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of outcomes) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** How many outcomes carry each value of a header, e.g. `{ '100': 300 }` (absent: `'-'`). */
export function headerTally(
  outcomes: readonly CallOutcome[],
  name: string,
): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) {
    const value = headerOf(outcome, name) ?? '-';
    counts[value] = (counts[value] ?? 0) + 1;
  }
  return counts;
}

/**
 * The distinct shapes of the refusals: status, error type, code, the error body's keys,
 * and whether both Retry-After headers came with it.
 */
export function refusalShapes(outcomes: readonly CallOutcome[]): string[] {
  const shapes = outcomes
    .filter((o) => o.status !== 200)
    .map((o) =>
      JSON.stringify([
        o.status,
        o.error?.type,
        o.error?.code,
        Object.keys((o.error?.error ?? {}) as object).sort(),
        headerOf(o, 'retry-after') !== undefined && headerOf(o, 'retry-after-ms') !== undefined,
      ]),
    );
  return [...new Set(shapes)];
}

/** The shape {@link refusalShapes} gives for an OpenAI-style refusal with Retry-After. */
export function refusalShape(status: number, type: string, code: string): string {
  return JSON.stringify([status, type, code, ['code', 'message', 'param', 'type'], true]);
}

/** The `p`-th percentile (0–100, nearest rank) of `values`; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** `p50/p99/max` of the latencies of `outcomes`, for the reports. */
export function latencySummary(outcomes: readonly CallOutcome[]): string {
  const latencies = outcomes.map((o) => o.latencyMs);
  const max = latencies.reduce((a, b) => Math.max(a, b), 0);
  return `p50 ${percentile(latencies, 50)} / p99 ${percentile(latencies, 99)} / max ${max} ms`;
}

/**
 * `count` concurrent calls while the fake provider holds every call that reaches it:
 * once each call is either answered (refused) or held, `held` is how many the limits
 * let through, decided with nothing completed. `decidedMs` runs from before the first
 * call was sent until then: every admission decision fell inside it. Then the held
 * calls are answered.
 */
export async function heldBurst(
  fake: FakeProviderServer,
  count: number,
  send: (index: number) => Promise<CallOutcome>,
): Promise<{ outcomes: CallOutcome[]; held: number; decidedMs: number }> {
  fake.pause();
  const started = Date.now();
  let answered = 0;
  const pending = Array.from({ length: count }, (_, i) => send(i).finally(() => answered++));
  let held: number;
  let decidedMs: number;
  try {
    await pollUntil(
      () => answered + fake.inFlight,
      (decided) => decided >= count,
      { timeoutMs: 60_000, everyMs: 5 },
    );
    decidedMs = Date.now() - started;
    held = fake.inFlight;
  } finally {
    fake.resume();
  }
  return { outcomes: await Promise.all(pending), held, decidedMs };
}

/**
 * Sends `count` calls at a steady `perSecond`, each at its own time whatever the answers
 * before it (open loop: a slow answer does not slow the load), and resolves with every
 * outcome in the order sent.
 */
export async function pacedRun(
  count: number,
  perSecond: number,
  send: (index: number) => Promise<CallOutcome>,
): Promise<CallOutcome[]> {
  const started = Date.now();
  const pending: Array<Promise<CallOutcome>> = [];
  while (pending.length < count) {
    const due = Math.min(count, Math.floor(((Date.now() - started) * perSecond) / 1_000) + 1);
    while (pending.length < due) pending.push(send(pending.length));
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return Promise.all(pending);
}
