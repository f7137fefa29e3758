import { Injectable } from '@nestjs/common';
import type { TaskContext, TaskHandler } from '../task-handler.interface';
import { ResumeTaskType } from '../resume-task-type.enum';
import { Task } from '../task.decorator';
import { resumeSizeOf } from '../shared/resume-input';
import { StructuredCompletionService } from '../structured/structured-completion.service';
import { taskResultOf } from '../structured/task-result.factory';
import { TaskModels } from '../task-models';
import type { TaskResult } from '../task-result';
import type { OptimizeTaskOutput } from './optimize.output';
import { OPTIMIZE_OUTPUT } from './optimize.output';
import { buildOptimizePrompt } from './optimize.prompt';
import type { OptimizeTaskInput } from './optimize.schema';
import { validateOptimizeInput } from './optimize.schema';

/**
 * `optimize`: the resume rewritten for a job description (JSON Resume) with the list of
 * changes. An answer that invents an employer, title, degree or date is rejected.
 */
@Task(ResumeTaskType.OPTIMIZE)
@Injectable()
export class OptimizeTaskHandler implements TaskHandler<OptimizeTaskInput, OptimizeTaskOutput> {
  readonly type = ResumeTaskType.OPTIMIZE;

  constructor(
    private readonly structured: StructuredCompletionService,
    private readonly models: TaskModels,
  ) {}

  validateInput(input: unknown): OptimizeTaskInput {
    return validateOptimizeInput(input);
  }

  sizeOf(input: OptimizeTaskInput): number {
    return resumeSizeOf(input) + input.jobDescription.length;
  }

  async run(input: OptimizeTaskInput, ctx: TaskContext): Promise<TaskResult<OptimizeTaskOutput>> {
    const result = await this.structured.complete(
      {
        task: this.type,
        model: this.models.modelFor(this.type, ctx.model),
        messages: buildOptimizePrompt(input),
        spec: OPTIMIZE_OUTPUT,
        input,
      },
      ctx,
    );
    return taskResultOf(this.type, result.value, result);
  }
}
