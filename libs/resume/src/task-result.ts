/** One model call a task made (its first answer, a repair, or a failed call). */
export interface ModelCallRecord {
  /** Provider (config name) and its model id; absent when the call failed before either. */
  provider?: string;
  model?: string;
  /** True for the repair attempt that followed an invalid answer. */
  repair: boolean;
  /** `valid`, `invalid` (failed the checks) or `error` (the call itself failed). */
  outcome: 'valid' | 'invalid' | 'error';
  /** Invalid answers: how many problems the checks found (the problems are not kept). */
  problems?: number;
  /** Failed calls: the gateway error code. */
  error?: string;
  /** What the response cache did for this call. */
  cache?: string;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  /** Micro-dollars; 0 when the model is unpriced or the answer came from the cache. */
  costMicroUsd: number;
  /** True when the built-in local fake answered: not a real model. */
  fake?: boolean;
}

/** Token and cost totals over every call of a task. */
export interface TaskUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  costMicroUsd: number;
  costUsd: number;
}

/** What a task returns, inline or as a job's result: the output and how it was made. */
export interface TaskResult<TOutput = unknown> {
  /** The task's name (`parse`, `invoice_check`…). */
  type: string;
  /** The validated output (the caller never receives unvalidated model JSON). */
  output: TOutput;
  /** Who produced the accepted answer. */
  model: { provider: string; model: string; fake: boolean };
  calls: ModelCallRecord[];
  usage: TaskUsage;
}

/** Sums the calls' tokens and cost. */
export function usageOfCalls(calls: readonly ModelCallRecord[]): TaskUsage {
  let promptTokens = 0;
  let completionTokens = 0;
  let costMicroUsd = 0;
  for (const call of calls) {
    promptTokens += call.promptTokens;
    completionTokens += call.completionTokens;
    costMicroUsd += call.costMicroUsd;
  }
  return {
    promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    costMicroUsd,
    costUsd: costMicroUsd / 1_000_000,
  };
}
