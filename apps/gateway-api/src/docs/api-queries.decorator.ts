import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { TASK_JOB_STATES } from '@ai-gateway/resume';
import { asSchema } from './api-responses.decorator';
import type { JsonSchema } from './schemas/json-schema';
import { integer, oneOfValues, string } from './schemas/json-schema';
import { USAGE_DIMENSIONS, USAGE_INTERVALS, USAGE_PERIODS } from './schemas/usage.schemas';

/** An optional query parameter (every parameter of these APIs is). */
function query(name: string, schema: JsonSchema, description: string): MethodDecorator {
  return ApiQuery({ name, required: false, description, schema: asSchema(schema) });
}

/**
 * The window and filters of `/v1/usage/summary` (with `groupBy`, `interval`) or of
 * `/v1/usage/requests` (with `limit`, `cursor`). Unknown or repeated parameters are a 400.
 */
export function ApiUsageQuery(endpoint: 'summary' | 'requests'): MethodDecorator {
  const window = [
    query(
      'period',
      oneOfValues(USAGE_PERIODS),
      'A window ending now; instead of `from`/`to`. Neither: the last 24 hours.',
    ),
    query('from', string(), 'Start (included), ISO-8601: a date, or a time with its zone.'),
    query('to', string(), 'End (excluded), ISO-8601; default now; at most 366 days after `from`.'),
    ...USAGE_DIMENSIONS.map((dimension) =>
      query(
        dimension,
        string(undefined, { maxLength: 256 }),
        `Only rows whose ${dimension} is this.`,
      ),
    ),
  ];
  const own =
    endpoint === 'summary'
      ? [
          query(
            'groupBy',
            oneOfValues([...USAGE_DIMENSIONS, 'time']),
            'One group per value (`time`: a time series); absent: one overall bucket.',
          ),
          query(
            'interval',
            oneOfValues(USAGE_INTERVALS),
            '`groupBy=time`: the buckets (default: the finest giving at most 200).',
          ),
        ]
      : [
          query(
            'limit',
            integer(undefined, { minimum: 1, maximum: 1000, default: 100 }),
            'Rows per page.',
          ),
          query('cursor', string(), "The previous page's `nextCursor`."),
        ];
  return applyDecorators(...window, ...own);
}

/** `GET /v1/jobs`: which jobs, how many. */
export function ApiJobsQuery(): MethodDecorator {
  return applyDecorators(
    query('state', { ...oneOfValues(TASK_JOB_STATES), default: 'failed' }, 'Jobs in this state.'),
    query(
      'limit',
      integer(undefined, { minimum: 1, maximum: 100, default: 20 }),
      'At most this many, newest first.',
    ),
  );
}

/** `GET /v1/providers/test`: which provider, how long each call may take. */
export function ApiSelfTestQuery(): MethodDecorator {
  return applyDecorators(
    query('provider', string(), 'Test only this provider (config name).'),
    query(
      'timeoutMs',
      integer(undefined, { minimum: 100, maximum: 60_000, default: 15_000 }),
      'Deadline of each call, retries included, ms.',
    ),
  );
}
