import type { TaskResult } from '../task-result';
import { usageOfCalls } from '../task-result';
import type { StructuredResult } from './structured-completion.service';

/** A task's result from its (post-processed) output and the structured call behind it. */
export function taskResultOf<TOutput>(
  type: string,
  output: TOutput,
  structured: StructuredResult<unknown>,
): TaskResult<TOutput> {
  return {
    type,
    output,
    model: { provider: structured.provider, model: structured.model, fake: structured.fake },
    calls: structured.calls,
    usage: usageOfCalls(structured.calls),
  };
}
