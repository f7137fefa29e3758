import type { Job } from 'bullmq';
import type { TaskResult } from '../task-result';
import { parseStoredFailure } from './task-job.runner';
import type { TaskJobData, TaskJobState, TaskJobView } from './task-job.types';

export type TaskBullJob = Job<TaskJobData, TaskResult>;

/** A BullMQ job as callers see it (reads its state: one Redis round trip). */
export async function viewOf(job: TaskBullJob): Promise<TaskJobView> {
  return viewIn(job, await job.getState());
}

/** A BullMQ job as callers see it, in a state the caller already knows. */
export function viewIn(job: TaskBullJob, bullState: string): TaskJobView {
  let state: TaskJobState;
  switch (bullState) {
    case 'active':
      state = 'running';
      break;
    case 'completed':
      state = 'completed';
      break;
    case 'failed':
      state = 'failed';
      break;
    case 'delayed':
      state = job.attemptsMade > 0 ? 'retrying' : 'queued';
      break;
    default:
      state = 'queued';
  }
  const finished = state === 'completed' || state === 'failed';
  const view: TaskJobView = {
    id: job.id!,
    object: 'task.job',
    type: job.data.type,
    state,
    progress: finished ? 100 : 0,
    attempts: job.attemptsStarted ?? job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    createdAt: new Date(job.timestamp).toISOString(),
    ...(job.processedOn ? { startedAt: new Date(job.processedOn).toISOString() } : {}),
    ...(finished ? { finishedAt: new Date(job.finishedOn ?? Date.now()).toISOString() } : {}),
    ...(job.data.webhookUrl ? { webhookUrl: job.data.webhookUrl } : {}),
  };
  if (state === 'completed') view.result = job.returnvalue;
  if (state === 'failed' || state === 'retrying') {
    view.error = parseStoredFailure(job.failedReason, state === 'failed');
  }
  return view;
}
