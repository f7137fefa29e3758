import type { ChatRequest, ChatResponse } from '../types/unified';

/** What a healthy model answers; anything else means JSON instructions do not work there. */
export const PROBE_ANSWER = { ok: true } as const;

/**
 * Room for the answer: a few tokens, enough that a model which thinks before it answers
 * still gets the call through (a cut answer is still a reachable model).
 */
const PROBE_MAX_TOKENS = 32;

/**
 * The probe: tiny (a few tokens each way, so testing every model stays cheap) and asking
 * for JSON, because that is what the resume tasks need. No sampling parameters: some
 * models refuse anything but their defaults, and the probe must not fail on that.
 */
export function buildProbeRequest(model: string): ChatRequest {
  return {
    model,
    messages: [
      {
        role: 'system',
        content: `You are a health probe. Answer with exactly this JSON object: ${JSON.stringify(PROBE_ANSWER)}`,
      },
      { role: 'user', content: 'ping' },
    ],
    max_completion_tokens: PROBE_MAX_TOKENS,
  };
}

/** True when the reply is the probe's JSON object (a Markdown code fence around it is forgiven). */
export function isProbeAnswer(response: ChatResponse): boolean {
  const content = response.choices[0]?.message?.content;
  if (typeof content !== 'string') return false;
  const json = content
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '');
  try {
    const parsed = JSON.parse(json) as unknown;
    return (
      typeof parsed === 'object' &&
      parsed !== null &&
      Object.keys(parsed).length === 1 &&
      (parsed as { ok?: unknown }).ok === PROBE_ANSWER.ok
    );
  } catch {
    return false;
  }
}
