import type { ChatCompletionMessageParam } from '@ai-gateway/core';

/** What a healthy model answers; anything else means JSON mode does not work there. */
export const PROBE_ANSWER = { ok: true } as const;

/**
 * The probe: tiny (a few tokens each way, so probing every provider stays cheap) and in
 * JSON mode, because that is the path every resume task takes.
 */
export function buildTestPrompt(): ChatCompletionMessageParam[] {
  return [
    {
      role: 'system',
      content: `You are a health probe. Answer with exactly this JSON object: ${JSON.stringify(PROBE_ANSWER)}`,
    },
    { role: 'user', content: 'ping' },
  ];
}
