import { Injectable } from '@nestjs/common';
import type { TaskContext, TaskHandler } from '../task-handler.interface';
import { ResumeTaskType } from '../resume-task-type.enum';
import { Task } from '../task.decorator';
import { resumeSizeOf } from '../shared/resume-input';
import { StructuredCompletionService } from '../structured/structured-completion.service';
import { taskResultOf } from '../structured/task-result.factory';
import { TaskModels } from '../task-models';
import type { TaskResult } from '../task-result';
import type { ScoreTaskOutput } from './score.calculator';
import { scoreOf, scoreSectionsOf } from './score.calculator';
import { SCORE_OUTPUT } from './score.output';
import { buildScorePrompt } from './score.prompt';
import type { ScoreTaskInput } from './score.schema';
import { validateScoreInput } from './score.schema';

/**
 * `score`: resume × job description → 0–100 overall with sub-scores, matched and
 * missing keywords, and reasons quoting the resume. The model judges; `scoreOf` counts.
 */
@Task(ResumeTaskType.SCORE)
@Injectable()
export class ScoreTaskHandler implements TaskHandler<ScoreTaskInput, ScoreTaskOutput> {
  readonly type = ResumeTaskType.SCORE;

  constructor(
    private readonly structured: StructuredCompletionService,
    private readonly models: TaskModels,
  ) {}

  validateInput(input: unknown): ScoreTaskInput {
    return validateScoreInput(input);
  }

  sizeOf(input: ScoreTaskInput): number {
    return resumeSizeOf(input) + input.jobDescription.length;
  }

  async run(input: ScoreTaskInput, ctx: TaskContext): Promise<TaskResult<ScoreTaskOutput>> {
    const result = await this.structured.complete(
      {
        task: this.type,
        model: this.models.modelFor(this.type, ctx.model),
        messages: buildScorePrompt(input),
        spec: SCORE_OUTPUT,
        input,
      },
      ctx,
    );
    const judgment = result.value;
    // A JSON resume says itself which sections it has; only a text needs the model's word.
    const sections = 'resume' in input ? scoreSectionsOf(input.resume) : judgment.sectionsPresent;
    return taskResultOf(this.type, scoreOf(judgment, sections), result);
  }
}
