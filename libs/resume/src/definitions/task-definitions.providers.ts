import type { Provider } from '@nestjs/common';
import { GatewayConfigService } from '@ai-gateway/core';
import { tasksConfigOf } from '../config/tasks.section';
import { StructuredCompletionService } from '../structured/structured-completion.service';
import { TaskModels } from '../task-models';
import { DefinedTaskHandler } from './defined-task.handler';
import { loadTaskDefinitions } from './task-definition.loader';

/** Token of the handlers built from `tasks.definitions` (YAML tasks), one per file. */
export const DEFINED_TASK_HANDLERS = Symbol('DEFINED_TASK_HANDLERS');

/**
 * Reads the YAML definitions once, at boot: a bad file fails the boot with every problem
 * listed. A definition changed later takes a restart (a config reload keeps the set).
 */
export const definedTaskHandlersProvider: Provider = {
  provide: DEFINED_TASK_HANDLERS,
  inject: [GatewayConfigService, StructuredCompletionService, TaskModels],
  useFactory: (
    config: GatewayConfigService,
    structured: StructuredCompletionService,
    models: TaskModels,
  ): DefinedTaskHandler[] =>
    loadTaskDefinitions(tasksConfigOf(config.current).definitions).map(
      (definition) => new DefinedTaskHandler(definition, structured, models),
    ),
};
