// The task engine: module, registry, handlers (built-in, host, YAML) and their contract.
export { ResumeModule } from './resume.module';
export { TaskRegistry } from './task.registry';
export type { PreparedTask } from './task.registry';
export { Task } from './task.decorator';
export type { TaskContext, TaskHandler } from './task-handler.interface';
export { ResumeTaskType, RESUME_TASK_TYPES } from './resume-task-type.enum';
export { TaskModels } from './task-models';
export { StructuredCompletionService } from './structured/structured-completion.service';
export type {
  StructuredRequest,
  StructuredResult,
} from './structured/structured-completion.service';
export { taskResultOf } from './structured/task-result.factory';
export type { OutputCheck, TaskOutputSpec } from './structured/task-output-spec';
export type { ModelCallRecord, TaskResult, TaskUsage } from './task-result';
export { TaskError, TaskErrorCode, isTaskError } from './errors/task.error';

// The `tasks` config section: pass `tasksSection` where the configuration is loaded.
export { tasksSection, tasksConfigOf } from './config/tasks.section';
export {
  TASK_QUEUE_DRIVERS,
  TaskFilesConfig,
  TaskQueueConfig,
  TasksConfig,
  TaskWebhookConfig,
  TaskWorkerConfig,
} from './config/tasks-config.schema';
export type { TaskQueueDriver } from './config/tasks-config.schema';
export type { DefinedOutput } from './definitions/defined-task.handler';
export type { DefinedInput } from './definitions/defined-input';

// The built-in resume tasks' inputs and outputs.
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

// The job queue (the `TASK_QUEUE` port: BullMQ with Redis, in-process without) and webhooks.
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
export type { TaskBullJob } from './queue/bullmq-job.view';
export { BullMqWebhookQueue } from './queue/bullmq-webhook.queue';
export { WebhookDeliveries } from './queue/webhook-deliveries';
export type { WebhookAttempt } from './queue/webhook-deliveries';
export { signWebhook, checkWebhookUrl, WEBHOOK_SIGNATURE_HEADER } from './queue/task-webhook';
export type { WebhookDelivery } from './queue/task-webhook';
export { checkIdempotencyKey } from './queue/task-job.identity';
export { queueDriverOf } from './queue/queue-redis';
