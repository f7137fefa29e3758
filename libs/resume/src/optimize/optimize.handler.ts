import { Injectable } from '@nestjs/common';
import { JsonCompletionService } from '../json-completion.service';
import { DEFAULT_TASK_MODELS } from '../resume-task.defaults';
import type {
  ModelTaskOutput,
  ResumeTaskContext,
  ResumeTaskHandler,
} from '../resume-task-handler.interface';
import { ResumeTaskType } from '../resume-task-type.enum';
import { buildOptimizePrompt } from './optimize.prompt';
import type { OptimizeTaskInput } from './optimize.schema';
import { validateOptimizeInput } from './optimize.schema';

/** `optimize`: the resume rewritten for a job description, with the list of changes. */
@Injectable()
export class OptimizeTaskHandler implements ResumeTaskHandler<OptimizeTaskInput, ModelTaskOutput> {
  readonly type = ResumeTaskType.OPTIMIZE;

  constructor(private readonly completion: JsonCompletionService) {}

  validateInput(input: unknown): OptimizeTaskInput {
    return validateOptimizeInput(input);
  }

  run(input: OptimizeTaskInput, ctx: ResumeTaskContext): Promise<ModelTaskOutput> {
    return this.completion.complete(
      { model: ctx.model ?? DEFAULT_TASK_MODELS[this.type], messages: buildOptimizePrompt(input) },
      ctx,
    );
  }
}
