import type { AttemptRecord, ResponseMeta } from '../shared/call-result';
import type { UsageRow } from './usage-row';
import { USAGE_STATUS_OK } from './usage-row';

/** Longest request id kept (the gateway accepts client ids up to 128 characters). */
const MAX_ID = 128;
/** Longest short label (user, team, provider, model, status, …). */
const MAX_LABEL = 256;
/** Longest free text (fallback chain, budget note). */
const MAX_TEXT = 4_000;
/** Longest prompt text kept (`logging.logPrompts`). */
export const MAX_PROMPT_TEXT = 8_000;
/** Longest guardrail decisions kept (the column is varchar(1000)). */
const MAX_GUARDRAILS = 1_000;
/** Largest value of an int4 column. */
const MAX_INT = 2_147_483_647;

/** What a usage row needs beyond the call's {@link ResponseMeta}. */
export interface UsageRowContext {
  /** When the request arrived, epoch milliseconds. */
  createdAt: number;
  /** `ok` or the gateway error code the request ended with. */
  status: string;
  stream: boolean;
  keyId?: string | null;
  userId?: string | null;
  teamId?: string | null;
  task?: string | null;
  ingress?: string | null;
  cacheStatus?: string | null;
  costMicroUsd?: number | null;
  costSavedMicroUsd?: number;
  priced?: boolean;
  priceSource?: string | null;
  budgetNote?: string | null;
  /** `logging.logPrompts` only: the last user message. */
  promptText?: string | null;
  /** Used when there is no meta (a request refused before routing). */
  requestId?: string;
  clientRequestId?: string | null;
}

/** `provider/model=outcome` for every attempt, in order (the `x-gateway-trace` format). */
export function fallbackChainOf(attempts: readonly AttemptRecord[]): string {
  return attempts.map((a) => `${a.provider}/${a.model}=${a.outcome}`).join(', ');
}

/**
 * The usage row of one request from the pipeline's {@link ResponseMeta} (absent when the
 * request was refused before a provider was chosen) and what only the caller knows.
 */
export function usageRowFromMeta(
  meta: ResponseMeta | undefined,
  context: UsageRowContext,
): UsageRow {
  const calls = meta?.attempts.filter((a) => !a.outcome.startsWith('skipped')).length ?? 0;
  const ok = context.status === USAGE_STATUS_OK;
  return {
    requestId: meta?.requestId ?? context.requestId ?? '',
    clientRequestId: context.clientRequestId ?? null,
    createdAt: context.createdAt,
    keyId: context.keyId ?? null,
    userId: context.userId ?? null,
    teamId: context.teamId ?? null,
    task: context.task ?? null,
    ingress: context.ingress ?? null,
    route: meta?.route ?? null,
    provider: meta?.provider ?? null,
    model: meta?.model ?? null,
    promptTokens: meta?.usage?.prompt ?? 0,
    completionTokens: meta?.usage?.completion ?? 0,
    cachedTokens: meta?.usage?.cached ?? 0,
    reasoningTokens: meta?.usage?.reasoning ?? 0,
    costMicroUsd: context.costMicroUsd ?? null,
    costSavedMicroUsd: context.costSavedMicroUsd ?? 0,
    priced: context.priced ?? false,
    priceSource: context.priceSource ?? null,
    latencyMs: meta?.latencyMs ?? 0,
    ttftMs: meta?.ttftMs ?? null,
    status: context.status,
    errorCode: ok ? null : context.status,
    cacheStatus: context.cacheStatus ?? null,
    attempts: calls,
    fallbackChain: meta && meta.attempts.length > 0 ? fallbackChainOf(meta.attempts) : null,
    stream: context.stream,
    streamCompleted: context.stream ? (meta?.completed ?? null) : null,
    budgetNote: context.budgetNote ?? null,
    promptText: context.promptText ?? null,
    guardrails: meta?.guardrails ?? null,
  };
}

/**
 * A row the database will accept: strings cut to size, counts as non-negative int4,
 * a missing time set to `now`. One bad row must never fail the batch it travels in.
 * Returns undefined for a row without a request id (nothing to make it idempotent by).
 */
export function sanitizeUsageRow(row: UsageRow, now: number): UsageRow | undefined {
  const requestId =
    typeof row.requestId === 'string' ? printable(row.requestId.slice(0, MAX_ID)) : '';
  if (requestId === '') return undefined;
  const cost = row.costMicroUsd;
  return {
    requestId,
    clientRequestId:
      typeof row.clientRequestId === 'string' && row.clientRequestId !== ''
        ? printable(row.clientRequestId.slice(0, MAX_ID))
        : null,
    createdAt:
      Number.isFinite(row.createdAt) && row.createdAt > 0 ? Math.trunc(row.createdAt) : now,
    keyId: label(row.keyId),
    userId: label(row.userId),
    teamId: label(row.teamId),
    task: label(row.task),
    ingress: label(row.ingress),
    route: label(row.route),
    provider: label(row.provider),
    model: label(row.model),
    promptTokens: count(row.promptTokens),
    completionTokens: count(row.completionTokens),
    cachedTokens: count(row.cachedTokens),
    reasoningTokens: count(row.reasoningTokens ?? 0),
    costMicroUsd:
      typeof cost === 'number' && Number.isFinite(cost) ? Math.max(0, Math.round(cost)) : null,
    costSavedMicroUsd: savedOf(row.costSavedMicroUsd),
    priced: row.priced === true,
    priceSource: label(row.priceSource),
    latencyMs: count(row.latencyMs),
    ttftMs: row.ttftMs === null || row.ttftMs === undefined ? null : count(row.ttftMs),
    status: label(row.status) ?? 'unknown',
    errorCode: label(row.errorCode),
    cacheStatus: label(row.cacheStatus),
    attempts: count(row.attempts),
    fallbackChain: text(row.fallbackChain),
    stream: row.stream === true,
    streamCompleted: typeof row.streamCompleted === 'boolean' ? row.streamCompleted : null,
    budgetNote: text(row.budgetNote),
    // Newlines and tabs kept (it is the caller's text); NUL and other controls replaced.
    promptText:
      typeof row.promptText === 'string' && row.promptText !== ''
        ? row.promptText
            .slice(0, MAX_PROMPT_TEXT)
            .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd')
        : null,
    guardrails:
      typeof row.guardrails === 'string' && row.guardrails !== ''
        ? printable(row.guardrails.slice(0, MAX_GUARDRAILS))
        : null,
  };
}

function label(value: string | null | undefined): string | null {
  return typeof value === 'string' && value !== '' ? printable(value.slice(0, MAX_LABEL)) : null;
}

function text(value: string | null | undefined): string | null {
  return typeof value === 'string' && value !== '' ? printable(value.slice(0, MAX_TEXT)) : null;
}

const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROLS = /[\u0000-\u001f\u007f]/g;

/**
 * Control characters become U+FFFD: PostgreSQL text cannot hold NUL at all, and one such
 * label (a caller's `user` or model id) would otherwise fail the row of a served, paid
 * request — and the batch it travels in.
 */
function printable(value: string): string {
  return CONTROL.test(value) ? value.replace(CONTROLS, '\ufffd') : value;
}

function count(value: number): number {
  return Number.isFinite(value) ? Math.min(MAX_INT, Math.max(0, Math.round(value))) : 0;
}

/** A saving as a non-negative whole number of micro-dollars (0 when absent or unreadable). */
function savedOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.round(value)) : 0;
}
