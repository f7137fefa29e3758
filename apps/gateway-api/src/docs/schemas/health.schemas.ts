import type { HealthCheckResult } from '@nestjs/terminus';
import type { JsonSchema } from './json-schema';
import { objectOf, oneOfValues, optional, string } from './json-schema';

/** One indicator's report: `status` and what it measured (providers, queue). */
const indicators: JsonSchema = {
  type: 'object',
  description:
    'By indicator: `providers` (configured, fake, missing) and `queue` (driver, depth or reason).',
  additionalProperties: {
    type: 'object',
    properties: { status: oneOfValues(['up', 'down']) },
    required: ['status'],
  },
  examples: [
    {
      providers: { status: 'up', configured: ['openai'], fake: [] },
      queue: { status: 'up', driver: 'in-process' },
    },
  ],
};

const ready = objectOf<HealthCheckResult>()(
  {
    status: oneOfValues(['ok', 'error', 'shutting_down']),
    info: optional(indicators),
    error: optional(indicators),
    details: indicators,
  },
  'Readiness: every enabled provider has an adapter and the task queue answers.',
);

export const HEALTH_SCHEMAS = {
  HealthLive: {
    type: 'object',
    properties: { status: string(undefined, { const: 'ok' }) },
    required: ['status'],
  },
  HealthReady: ready,
} satisfies Record<string, JsonSchema>;
