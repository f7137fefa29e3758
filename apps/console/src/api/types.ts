// The gateway's HTTP shapes as the console reads them (mirrors of the gateway's own types:
// the console is a separate browser build and talks to the gateway only over HTTP).

/** Errors in OpenAI's shape, as every gateway endpoint answers them. */
export interface ErrorBody {
  error?: { message?: string; type?: string; param?: string | null; code?: string | null };
}

/** One bucket of `GET /v1/usage/summary`. */
export interface UsageGroup {
  key: string | null;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  totalTokens: number;
  costUsd: number;
  /** Newer gateways: what cache hits saved. */
  costSavedUsd?: number;
  unpricedRequests: number;
  avgLatencyMs: number;
  p50LatencyMs?: number;
  p95LatencyMs: number;
  /** Null when no row of the group has a time to first token. */
  p50TtftMs?: number | null;
  p95TtftMs?: number | null;
  errorRate: number;
  cacheHitRate: number;
}

export interface UsageSummary {
  period: { from: string; to: string };
  groupBy: string | null;
  groups: UsageGroup[];
}

/** One row of the usage log (`GET /v1/usage/requests`). */
export interface UsageRecord {
  requestId: string;
  clientRequestId?: string | null;
  createdAt: string;
  keyId?: string | null;
  userId?: string | null;
  teamId?: string | null;
  task?: string | null;
  ingress?: string | null;
  route?: string | null;
  provider?: string | null;
  model?: string | null;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  reasoningTokens?: number;
  costUsd: number | null;
  costSavedMicroUsd?: number;
  priced: boolean;
  priceSource?: string | null;
  latencyMs: number;
  ttftMs?: number | null;
  status: string;
  errorCode?: string | null;
  cacheStatus?: string | null;
  attempts: number;
  fallbackChain?: string | null;
  stream: boolean;
  streamCompleted?: boolean | null;
  budgetNote?: string | null;
  guardrails?: string | null;
}

export interface UsagePage {
  data: UsageRecord[];
  nextCursor?: string;
}

/** `closed`, `open` or `half_open` (any other state the gateway adds is shown as is). */
export type CircuitState = string;

interface CircuitView {
  state: CircuitState;
  openUntil?: string;
  consecutiveFailures: number;
  windowRequests: number;
  windowFailures: number;
  lastError?: string;
  lastErrorAt?: string;
}

/** `GET /v1/providers/status`: one provider. */
export interface ProviderStatus extends CircuitView {
  provider: string;
  kind: string;
  fake: boolean;
  degraded: boolean;
  windowMs: number;
  keys: Array<CircuitView & { keyId: string }>;
  latency: Array<{ model: string; latencyMs?: number; ttftMs?: number; samples: number }>;
}

export interface ListBody<T> {
  object: 'list';
  data: T[];
}

/** `GET /v1/models`. */
export interface ModelEntry {
  id: string;
  owned_by?: string;
  provider?: string;
  fake?: boolean;
}

/** `GET /v1/admin/budgets`. */
export interface BudgetEntry {
  /** `provider`, `key`, `user` or `team`. */
  scope: string;
  id: string;
  window: string;
  limitUsd: number | null;
  spentUsd: number;
  reservedUsd: number;
}

/** `GET /v1/admin/limits`. */
export interface LimitEntry {
  scope: string;
  id: string | null;
  limits: Record<string, number>;
}

export interface KeyBudget {
  dailyUsd?: number;
  monthlyUsd?: number;
  windowUsd?: number;
  windowMs?: number;
}

export interface KeyLimits {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  concurrentRequests?: number;
}

/** A gateway key as the admin API shows it; `key` (the secret) only on create and rotate. */
export interface GatewayKey {
  id: string;
  name: string;
  hint: string;
  userId: string | null;
  teamId: string | null;
  multiUser: boolean;
  allowedModels: string[] | null;
  budget: KeyBudget | null;
  limits: KeyLimits | null;
  expiresAt: string | null;
  disabled: boolean;
  disabledAt: string | null;
  createdAt: string;
  rotatedAt: string | null;
  key?: string;
}

/** The body of `POST /v1/admin/keys` and `PATCH /v1/admin/keys/:id` (null clears a field). */
export interface KeyInput {
  name?: string;
  userId?: string | null;
  teamId?: string | null;
  multiUser?: boolean;
  allowedModels?: string[] | null;
  budget?: KeyBudget | null;
  limits?: KeyLimits | null;
  expiresAt?: string | null;
}

export type JobState = 'queued' | 'running' | 'retrying' | 'completed' | 'failed';

/** `GET /v1/jobs/:id`. */
export interface JobView {
  id: string;
  type: string;
  state: JobState;
  progress: number;
  attempts: number;
  maxAttempts: number;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  result?: unknown;
  error?: { code: string; message: string; retryable: boolean };
  webhookUrl?: string;
}
