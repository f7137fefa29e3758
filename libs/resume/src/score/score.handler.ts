import { Injectable } from '@nestjs/common';
import { JsonCompletionService } from '../json-completion.service';
import { DEFAULT_TASK_MODELS } from '../resume-task.defaults';
import type {
  ModelTaskOutput,
  ResumeTaskContext,
  ResumeTaskHandler,
} from '../resume-task-handler.interface';
import { ResumeTaskType } from '../resume-task-type.enum';
import { buildScorePrompt } from './score.prompt';
import type { ScoreTaskInput } from './score.schema';
import { validateScoreInput } from './score.schema';

/** `score`: resume × job description → 0–100 with per-criterion reasons and evidence. */
@Injectable()
export class ScoreTaskHandler implements ResumeTaskHandler<ScoreTaskInput, ModelTaskOutput> {
  readonly type = ResumeTaskType.SCORE;

  constructor(private readonly completion: JsonCompletionService) {}

  validateInput(input: unknown): ScoreTaskInput {
    return validateScoreInput(input);
  }

  run(input: ScoreTaskInput, ctx: ResumeTaskContext): Promise<ModelTaskOutput> {
    return this.completion.complete(
      { model: ctx.model ?? DEFAULT_TASK_MODELS[this.type], messages: buildScorePrompt(input) },
      ctx,
    );
  }
}
