import type { DoorName, UsageAnswer } from './door';
import type { Wire } from './upstream-view';

/**
 * The translation matrix as data: which provider kinds the spec runs, which cells are
 * refused (everything else must be carried), and the door-native values a carried cell
 * answers with. docs/TRANSLATION_MATRIX.md is this file and the spec, in prose.
 */

export const DOORS: readonly DoorName[] = ['chat', 'responses', 'messages'];

export type ProviderName = 'openai' | 'vllm' | 'mistral' | 'anthropic' | 'gemini' | 'ollama';

export interface ProviderCase {
  /** Provider entry name (harness `providersFor`); models are `<name>/conf-model`. */
  name: ProviderName;
  kind: string;
  /** The fake's wire format that answers it. */
  wire: Wire;
  /** The vendor's tool-call ids reach the client (Gemini has none; the fake's Ollama sends none). */
  keepsCallIds: boolean;
  /** Non-empty tool-argument fragments the client gets for one call the fake splits in two. */
  argumentFragments: number;
  /** The vendor reports cached prompt tokens. */
  reportsCached: boolean;
  /** The vendor has a content-filter stop reason (Ollama has none: its filtered answer says stop). */
  reportsFilter: boolean;
}

export const PROVIDERS: readonly ProviderCase[] = [
  {
    name: 'openai',
    kind: 'openai',
    wire: 'openai',
    keepsCallIds: true,
    argumentFragments: 2,
    reportsCached: true,
    reportsFilter: true,
  },
  {
    name: 'vllm',
    kind: 'openai-compatible',
    wire: 'openai',
    keepsCallIds: true,
    argumentFragments: 2,
    reportsCached: true,
    reportsFilter: true,
  },
  {
    name: 'mistral',
    kind: 'mistral',
    wire: 'mistral',
    keepsCallIds: true,
    argumentFragments: 2,
    reportsCached: true,
    reportsFilter: true,
  },
  {
    name: 'anthropic',
    kind: 'anthropic',
    wire: 'anthropic',
    keepsCallIds: true,
    argumentFragments: 2,
    reportsCached: true,
    reportsFilter: true,
  },
  // Gemini and Ollama stream each function call whole: one fragment with all the arguments.
  {
    name: 'gemini',
    kind: 'gemini',
    wire: 'gemini',
    keepsCallIds: false,
    argumentFragments: 1,
    reportsCached: true,
    reportsFilter: true,
  },
  {
    name: 'ollama',
    kind: 'ollama',
    wire: 'ollama',
    keepsCallIds: false,
    argumentFragments: 1,
    reportsCached: false,
    reportsFilter: false,
  },
];

export type Feature =
  | 'tool-call'
  | 'forced-tool'
  | 'streamed-tool'
  | 'image-data'
  | 'image-url'
  | 'json-schema'
  | 'stop'
  | 'cached-usage'
  | 'stream-usage'
  | 'length'
  | 'content-filter';

export interface ExpectedRefusal {
  /** The door refuses before routing, or the provider's adapter refuses (an attempt, no upstream bytes). */
  by: 'door' | 'adapter';
  /** The field named in `param` (chat and Responses doors; Anthropic's error shape has no param). */
  param: string;
}

/** The refused cells; every other cell of the matrix is carried. */
export function refusalFor(
  feature: Feature,
  door: DoorName,
  provider: ProviderName,
): ExpectedRefusal | undefined {
  if (feature === 'stop' && door === 'responses') return { by: 'door', param: 'stop' };
  if (feature === 'image-url' && (provider === 'gemini' || provider === 'ollama')) {
    return { by: 'adapter', param: 'messages[0].content[1].image_url.url' };
  }
  if (feature === 'forced-tool' && provider === 'ollama')
    return { by: 'adapter', param: 'tool_choice' };
  return undefined;
}

/** Finish / stop reasons in each door's vocabulary (Responses: status, `incomplete:<reason>`). */
export const FINISH: Readonly<
  Record<DoorName, { stop: string; length: string; tool: string; filter: string }>
> = {
  chat: { stop: 'stop', length: 'length', tool: 'tool_calls', filter: 'content_filter' },
  responses: {
    stop: 'completed',
    length: 'incomplete:max_output_tokens',
    tool: 'completed',
    filter: 'incomplete:content_filter',
  },
  messages: { stop: 'end_turn', length: 'max_tokens', tool: 'tool_use', filter: 'refusal' },
};

/** The fake reports a 20-token prompt, 8 of it read from the vendor's prompt cache. */
export const USAGE_SCRIPT = { prompt: 20, completion: 5, cached: 8 };

/** What each door says about that prompt. */
export function expectedUsage(door: DoorName, provider: ProviderCase): UsageAnswer {
  const cached = provider.reportsCached;
  switch (door) {
    case 'chat':
      return { input: 20, cached: cached ? 8 : undefined };
    case 'responses':
      return { input: 20, cached: cached ? 8 : 0 };
    case 'messages':
      // Anthropic's input_tokens leaves out cache reads.
      return cached ? { input: 12, cached: 8 } : { input: 20, cached: 0 };
  }
}
