import type { ChatCompletionMessageParam } from '@ai-gateway/core';
import type { StructuredCompletionService } from '../structured/structured-completion.service';
import type { OutputCheck, TaskOutputSpec } from '../structured/task-output-spec';
import { taskResultOf } from '../structured/task-result.factory';
import type { TaskContext, TaskHandler } from '../task-handler.interface';
import type { TaskModels } from '../task-models';
import { JSON_ONLY } from '../task-prompt.helpers';
import type { TaskResult } from '../task-result';
import type { DefinedInput } from './defined-input';
import { definedInputSize, validateDefinedInput } from './defined-input';
import { schemaProblems } from './output-schema';
import { renderTemplate } from './prompt-template';
import { quoteProblems } from './quote-rules';
import type { TaskDefinition } from './task-definition';

/** A YAML task's answer: the JSON object its schema describes. */
export type DefinedOutput = Record<string, unknown>;

/**
 * A task defined in YAML, run by the same engine as the built-ins: the input checked
 * against its fields, the prompt rendered from its templates, the answer validated
 * against its output schema and quote rules — a failure of either is an invalid answer,
 * so it gets the repair attempt, then the next candidate of the route.
 */
export class DefinedTaskHandler implements TaskHandler<DefinedInput, DefinedOutput> {
  private readonly spec: TaskOutputSpec<DefinedInput, DefinedOutput>;

  constructor(
    private readonly definition: TaskDefinition,
    private readonly structured: StructuredCompletionService,
    private readonly models: TaskModels,
  ) {
    const { schema, rules } = definition.output;
    this.spec = {
      name: definition.name,
      jsonSchema: schema as unknown as Record<string, unknown>,
      check: (answer, input): OutputCheck<DefinedOutput> => {
        const problems = [
          ...schemaProblems(answer, schema),
          ...quoteProblems(rules, answer, input),
        ];
        return problems.length > 0
          ? { ok: false, problems }
          : { ok: true, value: answer as DefinedOutput };
      },
    };
  }

  /** The task name (`POST /v1/tasks` `type`). */
  get name(): string {
    return this.definition.name;
  }

  /** Where it was defined, for boot messages. */
  get source(): string {
    return this.definition.source;
  }

  validateInput(input: unknown): DefinedInput {
    return validateDefinedInput(this.definition.input, input);
  }

  sizeOf(input: DefinedInput): number {
    return definedInputSize(input);
  }

  async run(input: DefinedInput, ctx: TaskContext): Promise<TaskResult<DefinedOutput>> {
    const { name, model, prompt } = this.definition;
    const messages: ChatCompletionMessageParam[] = [
      // The answer is parsed as one JSON object: said here, not in every definition.
      { role: 'system', content: `${renderTemplate(prompt.system, input)}\n\n${JSON_ONLY}` },
      { role: 'user', content: renderTemplate(prompt.user, input) },
    ];
    const result = await this.structured.complete(
      {
        task: name,
        model: this.models.modelFor(name, ctx.model, model),
        messages,
        spec: this.spec,
        input,
      },
      ctx,
    );
    return taskResultOf(name, result.value, result);
  }
}
