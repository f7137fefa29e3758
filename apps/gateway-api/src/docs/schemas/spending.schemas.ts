import type { BudgetStatusReport, RateLimitReport } from '@ai-gateway/core';
import type { TaskJobState } from '@ai-gateway/resume';
import type { JsonSchema } from './json-schema';
import {
  arrayOf,
  dateTime,
  integer,
  nullable,
  number,
  objectOf,
  oneOfValues,
  ref,
  string,
} from './json-schema';

const budget = objectOf<BudgetStatusReport>()({
  scope: oneOfValues(['provider', 'key', 'user', 'team']),
  id: string('The provider, key id, user or team.'),
  window: string('`daily`, `monthly` or `<n> ms` (a sliding window).'),
  limitUsd: number(),
  spentUsd: number('Settled spending of the current period.'),
  reservedUsd: number('Held by requests in flight.'),
  remainingUsd: number(),
  periodStart: dateTime(),
  resetsAt: dateTime(),
  source: oneOfValues(
    ['config', 'default', 'key'],
    '`default`: a defaultUser/defaultTeam cap met through a key naming that user or team.',
  ),
});

const limit = objectOf<RateLimitReport>()({
  scope: string(
    '`global`, `ip`, `defaultKey`, `defaultUser`, `defaultTeam`, `user`, `team`, `model` or `key`.',
  ),
  id: nullable(string('The user, team, model or key id; null for a scope with one value.')),
  limits: {
    type: 'object',
    description: 'requestsPerMinute, tokensPerMinute, concurrentRequests, failMode.',
    additionalProperties: { type: ['number', 'string'] },
  },
  source: oneOfValues(['config', 'key']),
});

const list = (item: string): JsonSchema => ({
  type: 'object',
  properties: { object: string(undefined, { const: 'list' }), data: arrayOf(ref(item)) },
  required: ['object', 'data'],
});

const STATES: Record<TaskJobState, JsonSchema> = {
  queued: integer(),
  running: integer(),
  retrying: integer(),
  completed: integer(),
  failed: integer(),
};

export const SPENDING_SCHEMAS = {
  BudgetStatus: budget,
  BudgetStatusList: list('BudgetStatus'),
  RateLimitScope: limit,
  RateLimitScopeList: list('RateLimitScope'),
  JobCounts: {
    type: 'object',
    description: 'Jobs per state in the task queue.',
    properties: { ...STATES, driver: oneOfValues(['bullmq', 'in-process']) },
    required: [...Object.keys(STATES), 'driver'],
  },
} satisfies Record<string, JsonSchema>;
