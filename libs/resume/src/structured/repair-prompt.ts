import type { ChatCompletionMessageParam } from '@ai-gateway/core';

/** Problems listed in a repair prompt; more would only crowd the context. */
const MAX_LISTED = 12;

/**
 * The one repair attempt: the model's own answer, then what was wrong with it. The model
 * is asked for the whole corrected object, never a patch, so the answer is judged anew.
 */
export function buildRepairMessages(
  original: readonly ChatCompletionMessageParam[],
  answer: string,
  problems: readonly string[],
): ChatCompletionMessageParam[] {
  const listed = problems.slice(0, MAX_LISTED).map((problem) => `- ${problem}`);
  if (problems.length > MAX_LISTED) listed.push(`- and ${problems.length - MAX_LISTED} more`);
  return [
    ...original,
    { role: 'assistant', content: answer },
    {
      role: 'user',
      content: [
        'Your answer was rejected:',
        ...listed,
        'Answer again with the complete corrected JSON object only: no prose, no code fences.',
      ].join('\n'),
    },
  ];
}
