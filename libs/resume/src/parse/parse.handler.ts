import { Injectable } from '@nestjs/common';
import { JsonCompletionService } from '../json-completion.service';
import { DEFAULT_TASK_MODELS } from '../resume-task.defaults';
import type {
  ModelTaskOutput,
  ResumeTaskContext,
  ResumeTaskHandler,
} from '../resume-task-handler.interface';
import { ResumeTaskType } from '../resume-task-type.enum';
import { buildParsePrompt } from './parse.prompt';
import type { ParseTaskInput } from './parse.schema';
import { validateParseInput } from './parse.schema';

/** `parse`: resume text → JSON Resume–shaped object, in one JSON-mode model call. */
@Injectable()
export class ParseTaskHandler implements ResumeTaskHandler<ParseTaskInput, ModelTaskOutput> {
  readonly type = ResumeTaskType.PARSE;

  constructor(private readonly completion: JsonCompletionService) {}

  validateInput(input: unknown): ParseTaskInput {
    return validateParseInput(input);
  }

  run(input: ParseTaskInput, ctx: ResumeTaskContext): Promise<ModelTaskOutput> {
    return this.completion.complete(
      { model: ctx.model ?? DEFAULT_TASK_MODELS[this.type], messages: buildParsePrompt(input) },
      ctx,
    );
  }
}
