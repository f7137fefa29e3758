import { GatewayError } from '@ai-gateway/core';
import type { Caller } from '@ai-gateway/core';
import { createHash, randomUUID } from 'node:crypto';
import type { EnqueueTask } from './task-job.types';

/** Printable ASCII, as Stripe and the IETF idempotency-key draft accept. */
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Whose jobs these are: the gateway key, else the named user, else the open gateway's pool. */
export function tenantOf(caller: Caller | undefined): string {
  if (caller?.keyId) return `key:${caller.keyId}`;
  if (caller?.userId) return `user:${caller.userId}`;
  return 'anonymous';
}

/** True when `caller` may read or re-run a job enqueued by `owner`. */
export function ownsJob(caller: Caller | undefined, owner: Caller | undefined): boolean {
  return tenantOf(caller) === tenantOf(owner);
}

/**
 * The job id: derived from the idempotency key (scoped to the caller, so two tenants'
 * keys never meet), else random. BullMQ refuses a second job with an id it holds, which
 * is what makes "the same key twice → one job" hold across gateway instances.
 */
export function jobIdFor(caller: Caller | undefined, idempotencyKey: string | undefined): string {
  if (idempotencyKey === undefined) return `job_${randomUUID().replaceAll('-', '')}`;
  const digest = createHash('sha256')
    .update(`${tenantOf(caller)}\n${idempotencyKey}`)
    .digest('hex');
  return `job_${digest.slice(0, 32)}`;
}

/** Throws INVALID_REQUEST unless the header value is a usable idempotency key. */
export function checkIdempotencyKey(value: string): string {
  if (!IDEMPOTENCY_KEY.test(value)) {
    throw GatewayError.invalidRequest(
      "Invalid request: 'Idempotency-Key' must be 1 to 255 printable ASCII characters",
      'Idempotency-Key',
    );
  }
  return value;
}

/** SHA-256 of what the job would do: a reused idempotency key must name the same request. */
export function requestHashOf(task: EnqueueTask): string {
  return createHash('sha256')
    .update(
      stableJson({
        type: task.type,
        input: task.input,
        model: task.model ?? null,
        webhookUrl: task.webhookUrl ?? null,
      }),
    )
    .digest('hex');
}

/** JSON with object keys sorted, so equal values hash equally whatever their key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
