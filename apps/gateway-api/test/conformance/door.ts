import OpenAI from 'openai';

/**
 * The three ingress doors driven by their official clients, each feature asked for in
 * the door's own vocabulary and its answer read back in the door's own vocabulary
 * (finish reasons, usage fields stay door-native: the spec's expectations name them).
 */

export type DoorName = 'chat' | 'responses' | 'messages';

export const WEATHER_SCHEMA = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
  additionalProperties: false,
};

/** A tool call the client read off the answer. */
export interface ToolAnswer {
  name: string;
  args: unknown;
  id: string;
  /** Chat `finish_reason`, Responses `status`, Messages `stop_reason`. */
  finish: string;
}

/** The same, streamed: every non-empty argument fragment the client received, in order. */
export interface StreamedToolAnswer extends ToolAnswer {
  fragments: string[];
}

export interface TextAnswer {
  text: string;
  /** As above; an incomplete Response reads `incomplete:<reason>`. */
  finish: string;
  /** Messages only: the answer's `stop_sequence`. */
  stopSequence?: string | null;
}

/** Prompt-side usage in the door's fields (chat: prompt_tokens / cached_tokens, …). */
export interface UsageAnswer {
  input: number;
  cached: number | undefined;
}

/** A refusal as the client saw it. */
export interface Refusal {
  status: number;
  /** The error code, where the door's error shape has one (see `refusalOf`). */
  code: string | null | undefined;
  param: string | null | undefined;
  /** `x-gateway-trace`: `provider/model=outcome` of each attempt, when one was made. */
  trace: string | null | undefined;
}

export type ImageInput = { data: string; mime: string } | { url: string };

export interface Door {
  name: DoorName;
  toolCall(model: string, forced?: boolean): Promise<ToolAnswer>;
  streamToolCall(model: string): Promise<StreamedToolAnswer>;
  image(model: string, image: ImageInput): Promise<TextAnswer>;
  jsonSchema(model: string): Promise<TextAnswer>;
  stop(model: string, stop: string[]): Promise<TextAnswer>;
  usage(model: string): Promise<UsageAnswer>;
  /** The same usage, read off a streamed answer's end. */
  streamUsage(model: string): Promise<UsageAnswer>;
  capped(model: string, maxTokens: number): Promise<TextAnswer>;
  /** A plain prompt (the fake is scripted to stop for its content filter). */
  filtered(model: string): Promise<TextAnswer>;
  /** The refusal the door's client raised, or undefined for any other failure. */
  refusalOf(error: unknown): Refusal | undefined;
}

/** The prompt of the tool features. */
export const ASK = 'Weather in Paris?';

/** A header of an SDK error (both SDKs keep the fetch `Headers` of the failed response). */
export function headerOf(headers: unknown, name: string): string | null | undefined {
  return (headers as { get(name: string): string | null } | undefined)?.get(name);
}

/** The refusal the openai client raised (chat and Responses doors share its error shape). */
export function openAiRefusal(error: unknown): Refusal | undefined {
  if (!(error instanceof OpenAI.APIError) || error.status === undefined) return undefined;
  return {
    status: error.status,
    code: error.code,
    param: error.param,
    trace: headerOf(error.headers, 'x-gateway-trace'),
  };
}
