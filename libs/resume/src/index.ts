export { ResumeModule } from './resume.module';
export { ResumeTaskRegistry } from './resume-task.registry';
export type { PreparedTask } from './resume-task.registry';
export { ResumeTaskType, RESUME_TASK_TYPES, isResumeTaskType } from './resume-task-type.enum';
export type { ResumeTaskContext, ResumeTaskHandler } from './resume-task-handler.interface';
export { TaskModels } from './task-models';
export { StructuredCompletionService } from './structured/structured-completion.service';
export type {
  StructuredRequest,
  StructuredResult,
} from './structured/structured-completion.service';
export type { OutputCheck, TaskOutputSpec } from './structured/task-output-spec';
export type { ModelCallRecord, TaskResult, TaskUsage } from './task-result';
export type { ParseTaskInput, ResumeFileInput } from './parse/parse.schema';
export type { ParseTaskOutput } from './parse/parse.output';
export type { ScoreTaskInput } from './score/score.schema';
export type {
  Importance,
  ScoreArea,
  ScoreReason,
  ScoreSection,
  SeniorityFit,
  SkillLevel,
} from './score/score.output';
export type { ScoreTaskOutput } from './score/score.calculator';
export { SCORE_WEIGHTS } from './score/score.calculator';
export type { OptimizeTaskInput } from './optimize/optimize.schema';
export type { OptimizeTaskOutput, ResumeChange } from './optimize/optimize.output';
export type { TestTaskInput, TestDifficulty, QuestionDifficulty } from './test/test.schema';
export type { TestQuestion, TestTaskOutput } from './test/test.output';
export type { ResumeSource } from './shared/resume-input';
export type { JsonResume, JsonResumeSection } from './shared/json-resume';
export { renderResumeText } from './shared/resume-text';
export { TaskQueueModule } from './queue/task-queue.module';
export type { TaskQueueModuleOptions } from './queue/task-queue.module';
export {
  TASK_QUEUE,
  InjectTaskQueue,
  TaskQueueName,
  TASK_JOB_STATES,
} from './queue/task-job.types';
export type {
  EnqueueOutcome,
  EnqueueTask,
  ListJobsQuery,
  TaskJobData,
  TaskJobError,
  TaskJobState,
  TaskJobView,
  TaskQueue,
} from './queue/task-job.types';
export { TaskJobRunner, TaskRunFailure } from './queue/task-job.runner';
export type { TaskRun } from './queue/task-job.runner';
export { TaskQueueMetrics } from './queue/task-queue.metrics';
export { BullMqTaskQueue, viewIn, viewOf } from './queue/bullmq-task.queue';
export type { TaskBullJob } from './queue/bullmq-task.queue';
export { InProcessTaskQueue } from './queue/in-process-task.queue';
export {
  WebhookSender,
  signWebhook,
  checkWebhookUrl,
  WEBHOOK_SIGNATURE_HEADER,
} from './queue/task-webhook';
export type { WebhookDelivery } from './queue/task-webhook';
export { checkIdempotencyKey, tenantOf, ownsJob } from './queue/task-job.identity';
export { queueDriverOf, queueRedisOptions } from './queue/queue-redis';
export { RedisEvictionCheck } from './queue/redis-eviction.check';
