import { GatewayErrorCode } from '@ai-gateway/core';
import { ResumeTaskType } from '../resume-task-type.enum';
import {
  checkIdempotencyKey,
  jobIdFor,
  ownsJob,
  requestHashOf,
  stableJson,
  tenantOf,
} from './task-job.identity';

describe('task job identity', () => {
  it('derives one job id per caller and idempotency key', () => {
    const a = { keyId: 'key-a' };
    expect(jobIdFor(a, 'order-1')).toBe(jobIdFor({ keyId: 'key-a' }, 'order-1'));
    expect(jobIdFor(a, 'order-1')).toMatch(/^job_[0-9a-f]{32}$/);
    // Another tenant's identical key names another job.
    expect(jobIdFor({ keyId: 'key-b' }, 'order-1')).not.toBe(jobIdFor(a, 'order-1'));
    expect(jobIdFor(a, 'order-2')).not.toBe(jobIdFor(a, 'order-1'));
  });

  it('gives every job without a key an id of its own', () => {
    const ids = new Set(Array.from({ length: 100 }, () => jobIdFor(undefined, undefined)));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^job_[0-9a-f]{32}$/);
  });

  it('scopes jobs to the gateway key, else the user, else the anonymous pool', () => {
    expect(tenantOf({ keyId: 'k', userId: 'u' })).toBe('key:k');
    expect(tenantOf({ userId: 'u' })).toBe('user:u');
    expect(tenantOf(undefined)).toBe('anonymous');
    expect(ownsJob({ keyId: 'k' }, { keyId: 'k', userId: 'other' })).toBe(true);
    expect(ownsJob({ keyId: 'k2' }, { keyId: 'k' })).toBe(false);
    expect(ownsJob({}, undefined)).toBe(true);
  });

  it('hashes equal requests equally whatever their key order', () => {
    const one = { type: ResumeTaskType.PARSE, input: { b: 1, a: [1, { y: 2, x: 1 }] } };
    const two = { type: ResumeTaskType.PARSE, input: { a: [1, { x: 1, y: 2 }], b: 1 } };
    expect(requestHashOf(one)).toBe(requestHashOf(two));
    expect(requestHashOf({ ...one, model: 'openai/gpt-4o' })).not.toBe(requestHashOf(one));
    expect(stableJson({ z: undefined, a: null })).toBe('{"a":null}');
  });

  it.each(['', 'x'.repeat(256), 'has space', 'tab\there', 'é'])(
    'refuses the idempotency key %j',
    (key) => {
      expect(() => checkIdempotencyKey(key)).toThrow(
        expect.objectContaining({
          code: GatewayErrorCode.INVALID_REQUEST,
          param: 'Idempotency-Key',
        }),
      );
    },
  );

  it('accepts printable keys up to 255 characters', () => {
    expect(checkIdempotencyKey('a'.repeat(255))).toHaveLength(255);
    expect(checkIdempotencyKey('order_42:retry-1')).toBe('order_42:retry-1');
  });
});
