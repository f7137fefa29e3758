import type { ProviderStatusReport, SelfTestReport, SelfTestResult } from '@ai-gateway/core';
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

const BREAKER_STATES = allValuesOf<ProviderStatusReport['state']>()([
  'closed',
  'open',
  'half-open',
]);
const PROVIDER_KINDS = allValuesOf<SelfTestResult['kind']>()([
  'openai',
  'mistral',
  'openai-compatible',
  'anthropic',
  'gemini',
  'ollama',
  'fake',
]);
const SELF_TEST_STATUSES = allValuesOf<SelfTestResult['status']>()(['ok', 'error', 'skipped']);

const circuit = {
  state: oneOfValues(BREAKER_STATES),
  openUntil: optional(dateTime('Until when the circuit stays open.')),
  consecutiveFailures: integer(),
  windowRequests: integer('Requests in the breaker window.'),
  windowFailures: integer('Failures in the breaker window.'),
  lastError: optional(string('The last error code (never a key).')),
  lastErrorAt: optional(dateTime()),
};

type KeyStatus = ProviderStatusReport['keys'][number];
type LatencyStatus = ProviderStatusReport['latency'][number];

const status = objectOf<ProviderStatusReport>()(
  {
    provider: string('Provider (config name).'),
    kind: string('Provider kind: openai, anthropic, gemini, …'),
    fake: boolean('The built-in local fake: not a real model.'),
    degraded: boolean('The breaker store could not be read: the fail-open default is shown.'),
    windowMs: integer('Length of the window the counts cover, ms.'),
    ...circuit,
    keys: arrayOf(
      objectOf<KeyStatus>()(
        { keyId: string('A non-secret id derived from the key: never the key.'), ...circuit },
        'The circuit of one of the provider keys.',
      ),
    ),
    latency: arrayOf(
      objectOf<LatencyStatus>()(
        {
          model: string(),
          latencyMs: optional(number('Moving average of the whole call, ms.')),
          ttftMs: optional(number('Moving average of the time to first token, ms.')),
          samples: integer(),
        },
        'Latency measured by this instance, per model.',
      ),
    ),
  },
  "One provider's circuits and measured latency.",
);

const selfTestResult = objectOf<SelfTestResult>()(
  {
    provider: string(),
    kind: oneOfValues(PROVIDER_KINDS),
    model: nullable(string('Null when the provider was skipped as a whole.')),
    status: oneOfValues(SELF_TEST_STATUSES),
    latencyMs: nullable(number('Wall time of the call, retries included.')),
    usage: nullable(
      objectOf<NonNullable<SelfTestResult['usage']>>()({
        prompt: integer(),
        completion: integer(),
      }),
    ),
    costUsd: nullable(number('Null when unpriced, failed or skipped.')),
    fake: boolean(),
    validJson: optional(boolean("Whether the reply was exactly the probe's JSON object.")),
    requestId: optional(string("The call's request id (its usage row).")),
    error: optional(
      objectOf<NonNullable<SelfTestResult['error']>>()({
        code: string('The gateway error code.'),
        message: string('Never carries a provider or gateway key.'),
      }),
    ),
    reason: optional(string('Why nothing was sent.')),
  },
  'How one configured model did in the self-test.',
);

const selfTestReport = objectOf<SelfTestReport>()(
  {
    object: string(undefined, { const: 'list' }),
    data: arrayOf(ref('SelfTestResult')),
    summary: objectOf<SelfTestReport['summary']>()(
      { ok: integer(), error: integer(), skipped: integer() },
      'Results per status.',
    ),
  },
  'The answer of GET /v1/providers/test.',
);

export const PROVIDER_SCHEMAS = {
  ProviderStatus: status,
  ProviderStatusList: {
    type: 'object',
    properties: {
      object: string(undefined, { const: 'list' }),
      data: arrayOf(ref('ProviderStatus')),
    },
    required: ['object', 'data'],
  },
  SelfTestResult: selfTestResult,
  SelfTestReport: selfTestReport,
} satisfies Record<string, JsonSchema>;
