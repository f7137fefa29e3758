import { Injectable } from '@nestjs/common';
import type { TaskContext, TaskHandler } from '../task-handler.interface';
import { ResumeTaskType } from '../resume-task-type.enum';
import { Task } from '../task.decorator';
import { resumeSizeOf } from '../shared/resume-input';
import { StructuredCompletionService } from '../structured/structured-completion.service';
import { taskResultOf } from '../structured/task-result.factory';
import { TaskModels } from '../task-models';
import type { TaskResult } from '../task-result';
import type { TestTaskOutput } from './test.output';
import { testOutputSpec } from './test.output';
import { buildTestPrompt } from './test.prompt';
import type { TestTaskInput } from './test.schema';
import { validateTestInput } from './test.schema';

/**
 * `test`: resume × job description → a skills test (interview questions with expected
 * answer points, a difficulty, and the skill each one checks).
 */
@Task(ResumeTaskType.TEST)
@Injectable()
export class TestTaskHandler implements TaskHandler<TestTaskInput, TestTaskOutput> {
  readonly type = ResumeTaskType.TEST;

  constructor(
    private readonly structured: StructuredCompletionService,
    private readonly models: TaskModels,
  ) {}

  validateInput(input: unknown): TestTaskInput {
    return validateTestInput(input);
  }

  sizeOf(input: TestTaskInput): number {
    return resumeSizeOf(input) + input.jobDescription.length;
  }

  async run(input: TestTaskInput, ctx: TaskContext): Promise<TaskResult<TestTaskOutput>> {
    const result = await this.structured.complete(
      {
        task: this.type,
        model: this.models.modelFor(this.type, ctx.model),
        messages: buildTestPrompt(input),
        spec: testOutputSpec(input),
        input,
      },
      ctx,
    );
    return taskResultOf(this.type, result.value, result);
  }
}
