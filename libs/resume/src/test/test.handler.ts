import { Injectable } from '@nestjs/common';
import { GatewayErrorCode, isGatewayError } from '@ai-gateway/core';
import type { UsageTokens } from '@ai-gateway/core';
import { performance } from 'node:perf_hooks';
import { JsonCompletionService } from '../json-completion.service';
import { DEFAULT_TASK_MODELS } from '../resume-task.defaults';
import type { ResumeTaskContext, ResumeTaskHandler } from '../resume-task-handler.interface';
import { ResumeTaskType } from '../resume-task-type.enum';
import { buildTestPrompt, PROBE_ANSWER } from './test.prompt';
import type { TestTaskInput } from './test.schema';
import { validateTestInput } from './test.schema';

/** How one probed model did. */
export interface ModelProbe {
  /** The model or route as probed. */
  model: string;
  /** `ok` only when the model answered the probe's JSON object. */
  status: 'ok' | 'error';
  latencyMs: number;
  /** Provider that answered (or failed), when known. */
  provider?: string;
  /** True when the built-in local fake answered: not a real model. */
  fake?: boolean;
  usage?: UsageTokens;
  error?: { code: GatewayErrorCode; message: string };
}

/** Output of the `test` task. Cost per probe arrives with the budgets issue. */
export interface TestTaskOutput {
  probes: ModelProbe[];
}

/**
 * `test`: sends a tiny JSON-mode probe to each model through the same request path as
 * the other tasks and reports, per model, whether it answered correctly and how fast.
 * A failing model is a result, not an error; only cancellation aborts the task.
 */
@Injectable()
export class TestTaskHandler implements ResumeTaskHandler<TestTaskInput, TestTaskOutput> {
  readonly type = ResumeTaskType.TEST;

  constructor(private readonly completion: JsonCompletionService) {}

  validateInput(input: unknown): TestTaskInput {
    return validateTestInput(input);
  }

  async run(input: TestTaskInput, ctx: ResumeTaskContext): Promise<TestTaskOutput> {
    const models = input.models ?? [ctx.model ?? DEFAULT_TASK_MODELS[this.type]];
    return { probes: await Promise.all(models.map((model) => this.probe(model, ctx))) };
  }

  private async probe(model: string, ctx: ResumeTaskContext): Promise<ModelProbe> {
    const started = performance.now();
    try {
      const { data, meta } = await this.completion.complete(
        { model, messages: buildTestPrompt() },
        ctx,
      );
      const answered = data.ok === PROBE_ANSWER.ok;
      return {
        model,
        status: answered ? 'ok' : 'error',
        latencyMs: meta.latencyMs,
        provider: meta.provider,
        fake: meta.fake,
        usage: meta.usage,
        ...(answered
          ? {}
          : {
              error: {
                code: GatewayErrorCode.SERVER_ERROR,
                message: `invalid model output: expected ${JSON.stringify(PROBE_ANSWER)}`,
              },
            }),
      };
    } catch (error) {
      if (!isGatewayError(error) || error.code === GatewayErrorCode.CANCELLED) throw error;
      return {
        model,
        status: 'error',
        latencyMs: Math.round(performance.now() - started),
        provider: error.provider,
        error: { code: error.code, message: error.message },
      };
    }
  }
}
