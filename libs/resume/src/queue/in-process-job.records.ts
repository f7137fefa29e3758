import type { JobRecord } from '@ai-gateway/core';
import type { Entry } from './in-process-job.entry';
import type { TaskJobData, TaskJobError, TaskJobState } from './task-job.types';
import type { TaskResult } from '../task-result';

/** The error a job carries when the gateway stopped while it ran and it cannot run again. */
export const INTERRUPTED: TaskJobError = {
  code: 'interrupted',
  message: 'The gateway stopped while this job ran, and it had no attempts left',
  retryable: false,
};

/** A job as the file store keeps it. */
export function recordOfEntry(entry: Entry): JobRecord {
  return {
    id: entry.id,
    type: entry.data.type,
    state: entry.state,
    attempts: entry.attempts,
    maxAttempts: entry.maxAttempts,
    createdAt: entry.createdAt,
    ...(entry.startedAt !== undefined ? { startedAt: entry.startedAt } : {}),
    ...(entry.finishedAt !== undefined ? { finishedAt: entry.finishedAt } : {}),
    data: JSON.stringify(entry.data),
    ...(entry.result !== undefined ? { result: JSON.stringify(entry.result) } : {}),
    ...(entry.error !== undefined ? { error: JSON.stringify(entry.error) } : {}),
  };
}

/**
 * A kept job back as a queue entry. One that was running when the process stopped is
 * retried when it has attempts left (its attempt is spent), else it failed, interrupted.
 */
export function entryOfRecord(record: JobRecord): Entry {
  const entry: Entry = {
    id: record.id,
    data: JSON.parse(record.data) as TaskJobData,
    state: record.state as TaskJobState,
    attempts: record.attempts,
    maxAttempts: record.maxAttempts,
    createdAt: record.createdAt,
    ...(record.startedAt !== undefined ? { startedAt: record.startedAt } : {}),
    ...(record.finishedAt !== undefined ? { finishedAt: record.finishedAt } : {}),
    ...(record.result !== undefined ? { result: JSON.parse(record.result) as TaskResult } : {}),
    ...(record.error !== undefined ? { error: JSON.parse(record.error) as TaskJobError } : {}),
  };
  if (entry.state === 'running') {
    if (entry.attempts < entry.maxAttempts) entry.state = 'retrying';
    else {
      entry.state = 'failed';
      entry.error = INTERRUPTED;
      entry.finishedAt = Date.now();
    }
  }
  return entry;
}
