import { createHash, randomBytes } from 'node:crypto';
import type { FakeScript } from './fake-script';

/** What the model "said", independent of the wire format that carries it. */
export interface FakePlan {
  text: string;
  toolCalls: Array<{ id: string; name: string; arguments: string }>;
  usage: { prompt: number; completion: number; cached: number };
  finishReason: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  /** The text split into stream chunks. */
  textChunks: string[];
}

/** Facts a wire format extracts from its own request shape. */
export interface FakePromptFacts {
  /** All prompt text concatenated (for token estimates). */
  promptText: string;
  lastUserText: string;
}

/** A fresh object id in OpenAI's style: the prefix and 24 random hex digits (`resp_…`). */
export function fakeId(prefix: string): string {
  return prefix + randomBytes(12).toString('hex');
}

/** Rough token estimate (≈ 4 characters per token), good enough for a fake. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

export function planResponse(script: FakeScript, facts: FakePromptFacts): FakePlan {
  const toolCalls = (script.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `call_fake_${index}`,
    name: call.name,
    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
  }));
  let text: string;
  if (script.text !== undefined) text = script.text;
  else if (toolCalls.length > 0 && !script.echo) text = '';
  else text = facts.lastUserText === '' ? 'Hello from the fake provider.' : facts.lastUserText;
  if (script.prefix) text = script.prefix + text;

  const completionText = text + toolCalls.map((c) => c.name + c.arguments).join('');
  return {
    text,
    toolCalls,
    usage: {
      prompt: script.usage?.prompt ?? estimateTokens(facts.promptText),
      completion: script.usage?.completion ?? estimateTokens(completionText),
      cached: script.usage?.cached ?? 0,
    },
    finishReason: script.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    textChunks: splitChunks(text, script.chunks),
  };
}

/** Splits text into `count` chunks (default: words, at most 64) that join back exactly. */
export function splitChunks(text: string, count?: number): string[] {
  if (text === '') return [];
  if (count === undefined) {
    const words = text.match(/\S+\s*|\s+/g) ?? [text];
    if (words.length <= 64) return words;
    count = 64;
  }
  const size = Math.ceil(text.length / Math.max(1, count));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

/**
 * A deterministic unit vector for a text: hashed word features, so equal texts embed
 * equally and texts sharing words are closer than unrelated ones.
 */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [text];
  for (const word of words) {
    const digest = createHash('sha256').update(word).digest();
    const index = digest.readUInt32BE(0) % dimensions;
    vector[index] += digest[4] & 1 ? 1 : -1;
  }
  const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0)) || 1;
  return vector.map((v) => v / norm);
}

/** Text of an OpenAI-style message content (string or parts). */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) =>
        part !== null &&
        typeof part === 'object' &&
        typeof (part as { text?: unknown }).text === 'string'
          ? (part as { text: string }).text
          : '',
      )
      .join('');
  }
  return '';
}
