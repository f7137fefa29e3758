import { Injectable, Optional } from '@nestjs/common';
import { GatewayConfigService } from '@ai-gateway/core';
import type { TaskFilesConfig } from '../config/tasks-config.schema';
import { tasksConfigOf } from '../config/tasks.section';
import { extractionOwnerOf, extractResumeText } from '../files/resume-file.extractor';
import type { TaskContext, TaskHandler } from '../task-handler.interface';
import { ResumeTaskType } from '../resume-task-type.enum';
import { Task } from '../task.decorator';
import { StructuredCompletionService } from '../structured/structured-completion.service';
import { taskResultOf } from '../structured/task-result.factory';
import { invalidInput, MAX_TEXT_CHARS } from '../task-input.validators';
import { TaskModels } from '../task-models';
import type { TaskResult } from '../task-result';
import type { ParseTaskOutput } from './parse.output';
import { PARSE_OUTPUT } from './parse.output';
import { buildParsePrompt } from './parse.prompt';
import type { ParseTaskInput } from './parse.schema';
import { decodedBytes, validateParseInput } from './parse.schema';

/**
 * `parse`: resume text (or a PDF, DOCX or text file) → a JSON Resume that passes the
 * official schema, with a confidence per section.
 */
@Task(ResumeTaskType.PARSE)
@Injectable()
export class ParseTaskHandler implements TaskHandler<ParseTaskInput, ParseTaskOutput> {
  readonly type = ResumeTaskType.PARSE;

  constructor(
    private readonly structured: StructuredCompletionService,
    private readonly models: TaskModels,
    @Optional() private readonly config?: GatewayConfigService,
  ) {}

  validateInput(input: unknown): ParseTaskInput {
    return validateParseInput(input);
  }

  /**
   * A file becomes its text here, at enqueue time: an unreadable file is the caller's
   * 400 (on `input.file`), and the job stores text, not megabytes of base64. It is read
   * for the caller's key (its share of the readers) within `tasks.files`.
   */
  async prepare(input: ParseTaskInput, ctx: TaskContext = {}): Promise<ParseTaskInput> {
    if (!('file' in input)) return input;
    const { filename, contentBase64 } = input.file;
    const text = await extractResumeText(
      { filename, data: Buffer.from(contentBase64, 'base64') },
      { owner: extractionOwnerOf(ctx.caller), limits: this.filesConfig() },
    );
    if (text.trim() === '') invalidInput('file', 'contains no text to read');
    if (text.length > MAX_TEXT_CHARS) {
      invalidInput('file', `holds more than ${MAX_TEXT_CHARS} characters of text`);
    }
    return { resumeText: text };
  }

  /** `tasks.files` of the current config (none without a gateway: the reader's defaults). */
  private filesConfig(): TaskFilesConfig | undefined {
    return this.config ? tasksConfigOf(this.config.current).files : undefined;
  }

  sizeOf(input: ParseTaskInput): number {
    return 'file' in input ? decodedBytes(input.file.contentBase64) : input.resumeText.length;
  }

  async run(input: ParseTaskInput, ctx: TaskContext): Promise<TaskResult<ParseTaskOutput>> {
    // A caller that skipped `prepare` (a direct library call) still gets its file read.
    const prepared = await this.prepare(input, ctx);
    const resumeText = 'resumeText' in prepared ? prepared.resumeText : '';
    const result = await this.structured.complete(
      {
        task: this.type,
        model: this.models.modelFor(this.type, ctx.model),
        messages: buildParsePrompt(resumeText),
        spec: PARSE_OUTPUT,
        input: { resumeText },
      },
      ctx,
    );
    return taskResultOf(this.type, result.value, result);
  }
}
