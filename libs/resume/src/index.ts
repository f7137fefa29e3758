export { ResumeModule } from './resume.module';
export { ResumeTaskRegistry } from './resume-task.registry';
export { ResumeTaskType, RESUME_TASK_TYPES, isResumeTaskType } from './resume-task-type.enum';
export type {
  JsonObject,
  ModelTaskOutput,
  ResumeTaskContext,
  ResumeTaskHandler,
} from './resume-task-handler.interface';
export { DEFAULT_TASK_MODELS } from './resume-task.defaults';
export type { ParseTaskInput } from './parse/parse.schema';
export type { ScoreTaskInput } from './score/score.schema';
export type { OptimizeTaskInput } from './optimize/optimize.schema';
export type { TestTaskInput } from './test/test.schema';
export type { ModelProbe, TestTaskOutput } from './test/test.handler';
