import type { Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { OptimizeTaskHandler } from './optimize/optimize.handler';
import { ParseTaskHandler } from './parse/parse.handler';
import type { ResumeTaskHandler } from './resume-task-handler.interface';
import { RESUME_TASK_HANDLERS, ResumeTaskRegistry } from './resume-task.registry';
import { ScoreTaskHandler } from './score/score.handler';
import { StructuredCompletionService } from './structured/structured-completion.service';
import { TaskModels } from './task-models';
import { TestTaskHandler } from './test/test.handler';

/** Every handler class; a new task type adds its folder and one entry here. */
const HANDLERS: ReadonlyArray<Type<ResumeTaskHandler>> = [
  ParseTaskHandler,
  ScoreTaskHandler,
  OptimizeTaskHandler,
  TestTaskHandler,
];

/**
 * The resume tasks (parse, score, optimize, test) behind `ResumeTaskRegistry`.
 * Handlers call `AiGatewayService`, so the host imports the gateway globally:
 * `AiGatewayModule.forRoot({ ..., isGlobal: true })` next to `ResumeModule`.
 */
@Module({
  providers: [
    StructuredCompletionService,
    TaskModels,
    ...HANDLERS,
    {
      provide: RESUME_TASK_HANDLERS,
      inject: [...HANDLERS],
      useFactory: (...handlers: ResumeTaskHandler[]): ResumeTaskHandler[] => handlers,
    },
    ResumeTaskRegistry,
  ],
  exports: [ResumeTaskRegistry, StructuredCompletionService, TaskModels],
})
export class ResumeModule {}
