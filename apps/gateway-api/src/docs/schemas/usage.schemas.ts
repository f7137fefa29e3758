import type {
  UsageDimension,
  UsagePeriod,
  UsageRequestRecord,
  UsageRequestsPage,
  UsageSummary,
  UsageSummaryGroup,
} from '@ai-gateway/core';
import type { JsonSchema } from './json-schema';
import {
  allValuesOf,
  arrayOf,
  boolean,
  dateTime,
  integer,
  nullable,
  number,
  objectOf,
  oneOfValues,
  optional,
  ref,
  string,
} from './json-schema';

/** The dimensions a summary groups by and both endpoints filter by (checked against the type). */
export const USAGE_DIMENSIONS = allValuesOf<UsageDimension>()([
  'provider',
  'model',
  'user',
  'team',
  'key',
  'route',
  'task',
  'ingress',
  'status',
  'cache',
]);

export const USAGE_PERIODS = allValuesOf<UsagePeriod>()(['1h', '24h', '7d', '30d']);

type UsageInterval = NonNullable<UsageSummary['interval']>;

export const USAGE_INTERVALS = allValuesOf<UsageInterval>()(['1m', '5m', '15m', '1h', '6h', '1d']);

const group = objectOf<UsageSummaryGroup>()({
  key: nullable(
    string(
      'The group value (for `groupBy=time`, the ISO start of the bucket); null for rows without one, and for the overall bucket.',
    ),
  ),
  requests: integer(),
  promptTokens: integer(),
  completionTokens: integer(),
  cachedTokens: integer("Prompt tokens served from the provider's prompt cache."),
  totalTokens: integer(),
  costUsd: number('Cost of the priced requests, USD.'),
  costSavedUsd: number("What the cache hits' answers cost when produced: saved, USD."),
  unpricedRequests: integer('Requests that used tokens but had no price.'),
  avgLatencyMs: number(),
  p50LatencyMs: number(),
  p95LatencyMs: number(),
  p50TtftMs: nullable(number('Streamed requests only; null when none streamed.')),
  p95TtftMs: nullable(number('Streamed requests only; null when none streamed.')),
  errorRate: number('Share of requests not `ok`, 0-1.', { minimum: 0, maximum: 1 }),
  cacheHitRate: number('Share of requests answered from the gateway cache, 0-1.', {
    minimum: 0,
    maximum: 1,
  }),
});

const summary = objectOf<UsageSummary>()(
  {
    period: objectOf<UsageSummary['period']>()(
      { from: dateTime('Included.'), to: dateTime('Excluded.') },
      'The window.',
    ),
    groupBy: nullable(
      oneOfValues(
        [...USAGE_DIMENSIONS, 'time'],
        '`time`: a time series; null for one overall bucket.',
      ),
    ),
    interval: optional(oneOfValues(USAGE_INTERVALS, "`groupBy=time`: the buckets' length.")),
    groups: arrayOf(
      ref('UsageSummaryGroup'),
      'By cost, then requests, descending (a time series: by time, ascending).',
    ),
  },
  'Usage aggregated over a window.',
);

const text = (description?: string): JsonSchema => nullable(string(description));

const record = objectOf<UsageRequestRecord>()(
  {
    requestId: string(),
    clientRequestId: optional(text("The caller's own request id, as sent.")),
    createdAt: dateTime('When the request arrived.'),
    keyId: optional(text('Id of the gateway key that made the call.')),
    userId: optional(text()),
    teamId: optional(text()),
    task: optional(text('Resume task, when the call came from one.')),
    ingress: optional(text('The API door: chat.completions, responses, messages, …')),
    route: optional(text()),
    provider: optional(text()),
    model: optional(text()),
    promptTokens: integer(),
    completionTokens: integer(),
    cachedTokens: integer(),
    reasoningTokens: optional(integer()),
    costUsd: nullable(number('Null when the model had no price.')),
    costSavedMicroUsd: integer('Cache hits: what the answer cost when produced, micro-USD.'),
    priced: boolean(),
    priceSource: optional(text()),
    latencyMs: number(),
    ttftMs: optional(nullable(number('Streaming: time to the first token.'))),
    status: string('`ok` or the error code the request ended with.'),
    errorCode: optional(text()),
    cacheStatus: optional(text('hit, semantic-hit, miss or skip.')),
    attempts: integer('Provider calls actually sent.'),
    fallbackChain: optional(text('The decision trace: `provider/model=outcome, …`.')),
    stream: boolean(),
    streamCompleted: optional(nullable(boolean())),
    budgetNote: optional(text()),
    promptText: optional(
      nullable(string('The last user message; only while `logging.logPrompts` is on, else null.')),
    ),
    guardrails: optional(
      nullable(
        string(
          "The middleware's decisions (`pii_scrubber=masked:2, prompt_injection_detector=clean`); null without middleware.",
        ),
      ),
    ),
  },
  'One request of the usage log.',
);

const page = objectOf<UsageRequestsPage>()(
  {
    data: arrayOf(ref('UsageRequestRecord'), 'Newest first.'),
    nextCursor: optional(string('Pass as `cursor` for the next page; absent on the last one.')),
  },
  'A page of the usage log.',
);

export const USAGE_SCHEMAS = {
  UsageSummaryGroup: group,
  UsageSummary: summary,
  UsageRequestRecord: record,
  UsageRequestsPage: page,
} satisfies Record<string, JsonSchema>;
