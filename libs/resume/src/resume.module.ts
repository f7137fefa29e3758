import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { definedTaskHandlersProvider } from './definitions/task-definitions.providers';
import { OptimizeTaskHandler } from './optimize/optimize.handler';
import { ParseTaskHandler } from './parse/parse.handler';
import { ScoreTaskHandler } from './score/score.handler';
import { StructuredCompletionService } from './structured/structured-completion.service';
import { TaskModels } from './task-models';
import { TaskRegistry } from './task.registry';
import { TestTaskHandler } from './test/test.handler';

/**
 * The task engine behind `TaskRegistry`: the built-in resume tasks (parse, score,
 * optimize, test), the YAML tasks of `tasks.definitions`, and every `@Task('<name>')`
 * provider of the host's own modules (found at boot; a host module that injects
 * `StructuredCompletionService` or `TaskModels` imports this module). Handlers call
 * `AiGatewayService`, so the host imports the gateway globally, with this library's
 * config section: `AiGatewayModule.forRoot({ ..., configSections: [tasksSection],
 * isGlobal: true })` next to `ResumeModule`. Without the section a `tasks:` key in the
 * configuration is an unknown key, and the tasks run on the section's defaults.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    StructuredCompletionService,
    TaskModels,
    ParseTaskHandler,
    ScoreTaskHandler,
    OptimizeTaskHandler,
    TestTaskHandler,
    definedTaskHandlersProvider,
    TaskRegistry,
  ],
  exports: [TaskRegistry, StructuredCompletionService, TaskModels],
})
export class ResumeModule {}
