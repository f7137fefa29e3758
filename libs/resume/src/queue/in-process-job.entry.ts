import type { TaskResult } from '../task-result';
import type { TaskJobData, TaskJobError, TaskJobState, TaskJobView } from './task-job.types';

/** One job of the in-process queue: its data, where it is, and how it ended. */
export interface Entry {
  id: string;
  data: TaskJobData;
  state: TaskJobState;
  attempts: number;
  maxAttempts: number;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  result?: TaskResult;
  error?: TaskJobError;
  abort?: AbortController;
  timer?: NodeJS.Timeout;
}

/** A job of the in-process queue as callers see it. */
export function viewOfEntry(entry: Entry): TaskJobView {
  const finished = entry.state === 'completed' || entry.state === 'failed';
  return {
    id: entry.id,
    object: 'task.job',
    type: entry.data.type,
    state: entry.state,
    progress: finished ? 100 : 0,
    attempts: entry.attempts,
    maxAttempts: entry.maxAttempts,
    createdAt: new Date(entry.createdAt).toISOString(),
    ...(entry.startedAt ? { startedAt: new Date(entry.startedAt).toISOString() } : {}),
    ...(finished && entry.finishedAt
      ? { finishedAt: new Date(entry.finishedAt).toISOString() }
      : {}),
    ...(entry.state === 'completed' ? { result: entry.result } : {}),
    ...(entry.error && entry.state !== 'completed'
      ? { error: { ...entry.error, retryable: entry.state !== 'failed' } }
      : {}),
    ...(entry.data.webhookUrl ? { webhookUrl: entry.data.webhookUrl } : {}),
  };
}
