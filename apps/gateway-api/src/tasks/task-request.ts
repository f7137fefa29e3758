import { GatewayError } from '@ai-gateway/core';
import { TASK_JOB_STATES } from '@ai-gateway/resume';
import type { TaskJobState } from '@ai-gateway/resume';

/** `POST /v1/tasks` body, checked for shape (the input itself is the task handler's). */
export interface TaskRequest {
  type: unknown;
  input: unknown;
  /** Queue it even when small: 202 with a job id. */
  async: boolean;
  /** Model or route instead of the task's default. */
  model?: string;
  /** Called (signed POST) when the job finishes; implies a job. */
  webhookUrl?: unknown;
}

const FIELDS = ['type', 'input', 'async', 'model', 'webhook_url'];

/** Reads the body; a malformed one is the caller's 400 naming the field. */
export function parseTaskRequest(body: unknown): TaskRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw GatewayError.invalidRequest('Invalid request: the body must be a JSON object');
  }
  const object = body as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (!FIELDS.includes(key)) {
      throw GatewayError.invalidRequest(
        `Invalid request: '${key.slice(0, 64)}' is not a known field (expected ${FIELDS.join(', ')})`,
        key.slice(0, 64),
      );
    }
  }
  if (object.type === undefined) {
    throw GatewayError.invalidRequest("Invalid request: 'type' is required", 'type');
  }
  if (object.async !== undefined && typeof object.async !== 'boolean') {
    throw GatewayError.invalidRequest("Invalid request: 'async' must be a boolean", 'async');
  }
  const model = object.model;
  if (model !== undefined && (typeof model !== 'string' || model === '' || model.length > 256)) {
    throw GatewayError.invalidRequest(
      "Invalid request: 'model' must be a model or route name (at most 256 characters)",
      'model',
    );
  }
  return {
    type: object.type,
    input: object.input,
    async: object.async === true,
    ...(model !== undefined ? { model: model } : {}),
    ...(object.webhook_url !== undefined ? { webhookUrl: object.webhook_url } : {}),
  };
}

/** `GET /v1/jobs` query: `state` (default failed) and `limit` (1–100, default 20). */
export function parseJobsQuery(query: Record<string, unknown>): {
  state: TaskJobState;
  limit: number;
} {
  for (const key of Object.keys(query)) {
    if (key !== 'state' && key !== 'limit') {
      throw GatewayError.invalidRequest(
        `Invalid query: '${key.slice(0, 64)}' is not a known parameter (expected state, limit)`,
        key.slice(0, 64),
      );
    }
  }
  const state = query.state ?? 'failed';
  if (typeof state !== 'string' || !(TASK_JOB_STATES as readonly string[]).includes(state)) {
    throw GatewayError.invalidRequest(
      `Invalid query: 'state' must be one of ${TASK_JOB_STATES.join(', ')}`,
      'state',
    );
  }
  const rawLimit = query.limit ?? '20';
  const limit = typeof rawLimit === 'string' && /^\d{1,3}$/.test(rawLimit) ? Number(rawLimit) : 0;
  if (limit < 1 || limit > 100) {
    throw GatewayError.invalidRequest(
      "Invalid query: 'limit' must be an integer from 1 to 100",
      'limit',
    );
  }
  return { state: state as TaskJobState, limit };
}
