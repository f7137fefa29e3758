import { Injectable, Logger } from '@nestjs/common';
import { AiGatewayService, isCacheHit, isGatewayError } from '@ai-gateway/core';
import type {
  CallOptions,
  GatewayError,
  ChatCompletionMessageParam,
  ChatResponse,
  ResponseMeta,
} from '@ai-gateway/core';
import { randomUUID } from 'node:crypto';
import { TaskError, TaskErrorCode } from '../errors/task.error';
import type { TaskContext } from '../task-handler.interface';
import type { ModelCallRecord } from '../task-result';
import { buildRepairMessages } from './repair-prompt';
import type { OutputCheck, TaskOutputSpec } from './task-output-spec';

/** One structured model task: prompt, expected output, and the model or route to use. */
export interface StructuredRequest<TInput, TValue> {
  /** The task's name: usage rows and logs carry it. */
  task: string;
  /** Model or route (the task's default route, or the caller's choice). */
  model: string;
  messages: ChatCompletionMessageParam[];
  spec: TaskOutputSpec<TInput, TValue>;
  input: TInput;
}

/** A validated answer, who gave it, and every call it took. */
export interface StructuredResult<TValue> {
  value: TValue;
  provider: string;
  model: string;
  fake: boolean;
  calls: ModelCallRecord[];
}

interface Answer<TValue> {
  check: OutputCheck<TValue>;
  /** The answer's text, for the repair prompt. */
  text: string;
  meta: ResponseMeta;
}

/**
 * The one place tasks call a model, and the guarantee that a caller never gets
 * unvalidated JSON: structured output (`json_schema`) at temperature 0, the answer
 * checked by the task's spec, one repair attempt on the same model, then the next
 * candidate of the route. Provider failures (timeouts, 5xx, open circuits) are the
 * gateway's: it falls back over the remaining candidates itself, and what it cannot
 * serve is thrown as is (retryable: a queued job is tried again later). When every
 * candidate answered badly the task fails with `INVALID_OUTPUT`, which is not retryable.
 */
@Injectable()
export class StructuredCompletionService {
  private readonly logger = new Logger(StructuredCompletionService.name);

  constructor(private readonly gateway: AiGatewayService) {}

  async complete<TInput, TValue>(
    request: StructuredRequest<TInput, TValue>,
    ctx: TaskContext,
  ): Promise<StructuredResult<TValue>> {
    // The route's candidates, walked one at a time below (each answer is checked before
    // the next is asked); a model outside the caller's scope is refused here.
    const candidates = this.gateway.candidatesFor(request.model, ctx.caller);
    const base = ctx.requestId ?? `task_${randomUUID()}`;
    const calls: ModelCallRecord[] = [];
    const rejected: string[] = [];
    let remaining = candidates;

    while (remaining.length > 0) {
      const first = await this.ask(request, request.messages, remaining, ctx, {
        requestId: idOf(base, calls.length),
        calls,
        repair: false,
      });
      if (first.check.ok) return done(first, calls);
      const answered = `${first.meta.provider}/${first.meta.model}`;
      const repaired = await this.repair(request, first, answered, ctx, base, calls);
      if (repaired?.check.ok) return done(repaired, calls);
      rejected.push(answered);
      // Candidates are tried in order: the next round starts after the one that failed.
      const at = remaining.indexOf(answered);
      remaining = remaining.slice(at < 0 ? 1 : at + 1);
    }

    this.logger.warn({
      msg: 'task output rejected on every candidate',
      task: request.task,
      requestId: base,
      rejected,
    });
    throw new TaskError(
      TaskErrorCode.INVALID_OUTPUT,
      `invalid model output: no model answered the ${request.task} task with output that passed its checks (tried ${rejected.join(', ')}, one repair each)`,
      { retryable: false },
    );
  }

  /** The repair attempt on the model that answered badly; undefined when the call failed. */
  private async repair<TInput, TValue>(
    request: StructuredRequest<TInput, TValue>,
    first: Answer<TValue>,
    answered: string,
    ctx: TaskContext,
    base: string,
    calls: ModelCallRecord[],
  ): Promise<Answer<TValue> | undefined> {
    const problems = first.check.ok ? [] : first.check.problems;
    const messages = buildRepairMessages(request.messages, first.text, problems);
    try {
      return await this.ask(request, messages, [answered], ctx, {
        requestId: idOf(base, calls.length),
        calls,
        repair: true,
      });
    } catch (error) {
      // A repair that cannot be sent (recorded by ask) moves on to the next candidate like
      // a bad one; cancellation and caller errors still end the task.
      if (!isGatewayError(error) || !error.retryable) throw error;
      return undefined;
    }
  }

  private async ask<TInput, TValue>(
    request: StructuredRequest<TInput, TValue>,
    messages: ChatCompletionMessageParam[],
    chain: string[],
    ctx: TaskContext,
    call: { requestId: string; calls: ModelCallRecord[]; repair: boolean },
  ): Promise<Answer<TValue>> {
    let verdict: OutputCheck<TValue> | undefined;
    const judge = (response: ChatResponse): OutputCheck<TValue> => {
      verdict ??= judgeAnswer(response, request);
      return verdict;
    };
    const options: CallOptions = {
      requestId: call.requestId,
      signal: ctx.signal,
      // The chain is the allowed route's own targets: the key's scope was checked above.
      caller: ctx.caller && { ...ctx.caller, allowedModels: undefined },
      task: request.task,
      chain,
      // Exact cache only (two resumes for one job are similar, not interchangeable), and
      // only answers that passed the checks are stored.
      cache: { semantic: false, accept: (response) => judge(response).ok },
    };
    let result;
    try {
      result = await this.gateway.chat(
        {
          model: request.model,
          messages,
          temperature: 0,
          response_format: {
            type: 'json_schema',
            json_schema: { name: request.spec.name, schema: request.spec.jsonSchema },
          },
        },
        options,
      );
    } catch (error) {
      if (isGatewayError(error)) {
        call.calls.push(failedCall(error, call.repair, chain.length === 1 ? chain[0] : undefined));
      }
      throw error;
    }
    const { response, meta } = result;
    const check = judge(response);
    call.calls.push(callRecord(meta, call.repair, check));
    return { check, text: response.choices[0]?.message.content ?? '', meta };
  }
}

/** `base` for the first call of a task, then `base-2`, `base-3`… (usage rows need unique ids). */
function idOf(base: string, index: number): string {
  return index === 0 ? base : `${base}-${index + 1}`;
}

function done<TValue>(answer: Answer<TValue>, calls: ModelCallRecord[]): StructuredResult<TValue> {
  if (!answer.check.ok) throw new Error('unreachable: done() with a failed check');
  return {
    value: answer.check.value,
    provider: answer.meta.provider,
    model: answer.meta.model,
    fake: answer.meta.fake,
    calls,
  };
}

/** Parses the first choice as a JSON object and runs the spec's checks on it. */
function judgeAnswer<TInput, TValue>(
  response: ChatResponse,
  request: StructuredRequest<TInput, TValue>,
): OutputCheck<TValue> {
  const choice = response.choices[0];
  if (choice?.finish_reason === 'length') {
    return { ok: false, problems: ['the answer was cut at the token limit; answer more briefly'] };
  }
  const text = choice?.message.content;
  if (typeof text !== 'string' || text.trim() === '') {
    return { ok: false, problems: ['the answer was empty; answer with one JSON object'] };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripCodeFence(text));
  } catch {
    return { ok: false, problems: ['the answer is not valid JSON'] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, problems: ['the answer must be one JSON object'] };
  }
  return request.spec.check(parsed, request.input);
}

/** Some models wrap JSON in a Markdown fence even in JSON mode; the fence is not content. */
function stripCodeFence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i.exec(text);
  return fenced ? fenced[1] : text;
}

function callRecord(
  meta: ResponseMeta,
  repair: boolean,
  check: OutputCheck<unknown>,
): ModelCallRecord {
  return {
    provider: meta.provider,
    model: meta.model,
    repair,
    outcome: check.ok ? 'valid' : 'invalid',
    ...(check.ok ? {} : { problems: check.problems.length }),
    cache: meta.cache?.status,
    latencyMs: meta.latencyMs,
    promptTokens: meta.usage?.prompt ?? 0,
    completionTokens: meta.usage?.completion ?? 0,
    costMicroUsd: isCacheHit(meta.cache) ? 0 : (meta.costMicroUsd ?? 0),
    ...(meta.fake ? { fake: true } : {}),
  };
}

function failedCall(error: GatewayError, repair: boolean, target?: string): ModelCallRecord {
  const slash = target?.indexOf('/') ?? -1;
  return {
    provider: error.provider ?? (slash > 0 ? target!.slice(0, slash) : undefined),
    ...(slash > 0 ? { model: target!.slice(slash + 1) } : {}),
    repair,
    outcome: 'error',
    error: error.code,
    latencyMs: 0,
    promptTokens: 0,
    completionTokens: 0,
    costMicroUsd: 0,
  };
}
