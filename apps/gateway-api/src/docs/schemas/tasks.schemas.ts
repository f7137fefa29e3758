import { TASK_JOB_STATES } from '@ai-gateway/resume';
import type {
  ModelCallRecord,
  TaskJobError,
  TaskJobView,
  TaskResult,
  TaskUsage,
} from '@ai-gateway/resume';
import type { JsonSchema } from './json-schema';
import {
  arrayOf,
  boolean,
  dateTime,
  integer,
  number,
  objectOf,
  oneOfValues,
  optional,
  ref,
  string,
} from './json-schema';

/** `POST /v1/tasks` body (`parseTaskRequest` in tasks/task-request.ts reads it). */
const taskRequest: JsonSchema = {
  type: 'object',
  description:
    'A task to run: inline when small, as a job (202) with `async`, an `Idempotency-Key`, a `webhook_url` or a large input.',
  properties: {
    type: string('The task: parse, score, optimize, test, or a task the deployment defines.', {
      examples: ['parse'],
    }),
    input: { description: "The task's input; its shape is the task's own (see docs/TASKS.md)." },
    async: boolean('Queue it even when small: 202 with a job id.'),
    model: string("Model or route instead of the task's default.", { maxLength: 256 }),
    webhook_url: string('Called (signed POST) when the job finishes; implies a job.', {
      format: 'uri',
    }),
  },
  required: ['type'],
  additionalProperties: false,
};

const call = objectOf<ModelCallRecord>()(
  {
    provider: optional(string()),
    model: optional(string()),
    repair: boolean('The repair attempt that followed an invalid answer.'),
    outcome: oneOfValues(['valid', 'invalid', 'error']),
    problems: optional(integer('Invalid answers: how many problems the checks found.')),
    error: optional(string('Failed calls: the gateway error code.')),
    cache: optional(string('What the response cache did for this call.')),
    latencyMs: number(),
    promptTokens: integer(),
    completionTokens: integer(),
    costMicroUsd: integer(),
    fake: optional(boolean('The built-in local fake answered: not a real model.')),
  },
  'One model call a task made.',
);

const usage = objectOf<TaskUsage>()({
  promptTokens: integer(),
  completionTokens: integer(),
  totalTokens: integer(),
  costMicroUsd: integer(),
  costUsd: number(),
});

const result = objectOf<TaskResult>()(
  {
    type: string("The task's name."),
    output: { description: "The validated output; its shape is the task's own." },
    model: objectOf<TaskResult['model']>()(
      { provider: string(), model: string(), fake: boolean() },
      'Who produced the accepted answer.',
    ),
    calls: arrayOf(ref('TaskModelCall')),
    usage: ref('TaskUsage'),
  },
  'What a task returns, inline or as a job result.',
);

const inlineResult: JsonSchema = {
  allOf: [ref('TaskResult')],
  type: 'object',
  properties: { object: string(undefined, { const: 'task.result' }) },
  required: ['object'],
  description: 'An inline result of POST /v1/tasks.',
};

const jobError = objectOf<TaskJobError>()({
  code: string(),
  message: string(),
  retryable: boolean('False when the job will not be tried again on its own.'),
});

const job = objectOf<TaskJobView>()(
  {
    id: string(undefined, { pattern: '^job_[0-9a-f]{32}$' }),
    object: string(undefined, { const: 'task.job' }),
    type: string(),
    state: oneOfValues(TASK_JOB_STATES),
    progress: integer('0 until a worker takes it, 100 once finished.', {
      minimum: 0,
      maximum: 100,
    }),
    attempts: integer('Runs started so far.'),
    maxAttempts: integer(),
    createdAt: dateTime(),
    startedAt: optional(dateTime()),
    finishedAt: optional(dateTime()),
    result: optional(ref('TaskResult')),
    error: optional(ref('TaskJobError')),
    webhookUrl: optional(string(undefined, { format: 'uri' })),
  },
  'A job as its caller sees it.',
);

export const TASK_SCHEMAS = {
  TaskRequest: taskRequest,
  TaskModelCall: call,
  TaskUsage: usage,
  TaskResult: result,
  TaskInlineResult: inlineResult,
  TaskJobError: jobError,
  TaskJob: job,
  TaskJobList: {
    type: 'object',
    properties: { object: string(undefined, { const: 'list' }), data: arrayOf(ref('TaskJob')) },
    required: ['object', 'data'],
  },
} satisfies Record<string, JsonSchema>;
