/**
 * What one provider received, read from the fake provider's recording in that vendor's
 * own request shape. Each reader knows one wire format: a field the gateway put in the
 * wrong place (or not at all) reads as absent, so the spec's expectations fail.
 */

/** Wire formats the fake records (`RecordedRequest.format`). */
export type Wire = 'openai' | 'mistral' | 'anthropic' | 'gemini' | 'ollama';

/** A request as the vendor saw it, reduced to the features the conformance spec checks. */
export interface UpstreamView {
  /** Names of the declared tools. */
  toolNames: string[];
  /** Property names of the first tool's parameter schema. */
  toolParams: string[];
  /** The vendor's own "a tool must be called" setting was sent. */
  forcedTool: boolean;
  /** Images of the user turns: inline base64 (with its media type where the vendor keeps one) or a URL. */
  images: Array<{ data?: string; mime?: string; url?: string }>;
  /** The vendor's structured-output switch was set with a schema. */
  jsonSchema: boolean;
  /** Property names of that schema, as the vendor got it. */
  schemaProps: string[];
  stop?: string[];
  /** The output-token cap, under the vendor's own name for it. */
  maxTokens?: number;
}

interface Schema {
  properties?: Record<string, unknown>;
}
interface OpenAiBody {
  messages?: Array<{ content?: unknown }>;
  tools?: Array<{ function?: { name?: string; parameters?: Schema } }>;
  tool_choice?: unknown;
  response_format?: { type?: string; json_schema?: { schema?: Schema } };
  stop?: string | string[];
  max_tokens?: number;
  max_completion_tokens?: number;
}
interface AnthropicBody {
  messages?: Array<{ content?: unknown }>;
  tools?: Array<{ name?: string; input_schema?: Schema }>;
  tool_choice?: { type?: string };
  output_config?: { format?: { type?: string; schema?: Schema } };
  stop_sequences?: string[];
  max_tokens?: number;
}
interface GeminiBody {
  contents?: Array<{ parts?: Array<{ inlineData?: { mimeType?: string; data?: string } }> }>;
  tools?: Array<{ functionDeclarations?: Array<{ name?: string; parameters?: Schema }> }>;
  toolConfig?: { functionCallingConfig?: { mode?: string } };
  generationConfig?: {
    responseMimeType?: string;
    responseSchema?: Schema;
    stopSequences?: string[];
    maxOutputTokens?: number;
  };
}
interface OllamaBody {
  messages?: Array<{ images?: string[] }>;
  tools?: Array<{ function?: { name?: string; parameters?: Schema } }>;
  format?: unknown;
  options?: { stop?: string[]; num_predict?: number };
}

const DATA_URL = /^data:([^;,]+);base64,(.*)$/s;
const keys = (schema: Schema | undefined): string[] => Object.keys(schema?.properties ?? {});
const partsOf = (content: unknown): Array<Record<string, unknown>> =>
  Array.isArray(content) ? (content as Array<Record<string, unknown>>) : [];

function openAiView(body: OpenAiBody): UpstreamView {
  const images = (body.messages ?? []).flatMap((m) =>
    partsOf(m.content).flatMap((part) => {
      if (part.type !== 'image_url') return [];
      const url = (part.image_url as { url: string }).url;
      const data = DATA_URL.exec(url);
      return [data ? { mime: data[1], data: data[2] } : { url }];
    }),
  );
  const format = body.response_format;
  return {
    toolNames: (body.tools ?? []).map((t) => t.function?.name ?? ''),
    toolParams: keys(body.tools?.[0]?.function?.parameters),
    forcedTool: body.tool_choice === 'required',
    images,
    jsonSchema: format?.type === 'json_schema' && format.json_schema?.schema !== undefined,
    schemaProps: keys(format?.json_schema?.schema),
    stop: typeof body.stop === 'string' ? [body.stop] : body.stop,
    maxTokens: body.max_tokens ?? body.max_completion_tokens,
  };
}

function anthropicView(body: AnthropicBody): UpstreamView {
  const images = (body.messages ?? []).flatMap((m) =>
    partsOf(m.content).flatMap((block): UpstreamView['images'] => {
      if (block.type !== 'image') return [];
      const source = block.source as {
        type: string;
        media_type?: string;
        data?: string;
        url?: string;
      };
      return source.type === 'base64'
        ? [{ mime: source.media_type, data: source.data }]
        : [{ url: source.url }];
    }),
  );
  const format = body.output_config?.format;
  return {
    toolNames: (body.tools ?? []).map((t) => t.name ?? ''),
    toolParams: keys(body.tools?.[0]?.input_schema),
    forcedTool: body.tool_choice?.type === 'any',
    images,
    jsonSchema: format?.type === 'json_schema' && format.schema !== undefined,
    schemaProps: keys(format?.schema),
    stop: body.stop_sequences,
    maxTokens: body.max_tokens,
  };
}

function geminiView(body: GeminiBody): UpstreamView {
  const declarations = (body.tools ?? []).flatMap((t) => t.functionDeclarations ?? []);
  const config = body.generationConfig;
  return {
    toolNames: declarations.map((d) => d.name ?? ''),
    toolParams: keys(declarations[0]?.parameters),
    forcedTool: body.toolConfig?.functionCallingConfig?.mode === 'ANY',
    images: (body.contents ?? []).flatMap((c) =>
      (c.parts ?? []).flatMap((p) =>
        p.inlineData ? [{ mime: p.inlineData.mimeType, data: p.inlineData.data }] : [],
      ),
    ),
    jsonSchema: config?.responseMimeType === 'application/json' && !!config.responseSchema,
    schemaProps: keys(config?.responseSchema),
    stop: config?.stopSequences,
    maxTokens: config?.maxOutputTokens,
  };
}

function ollamaView(body: OllamaBody): UpstreamView {
  const format = body.format;
  const schema = typeof format === 'object' && format !== null ? (format as Schema) : undefined;
  return {
    toolNames: (body.tools ?? []).map((t) => t.function?.name ?? ''),
    toolParams: keys(body.tools?.[0]?.function?.parameters),
    // Ollama has no setting that forces a call.
    forcedTool: false,
    // Ollama keeps the base64 bytes only, without a media type.
    images: (body.messages ?? []).flatMap((m) => (m.images ?? []).map((data) => ({ data }))),
    jsonSchema: schema !== undefined,
    schemaProps: keys(schema),
    stop: body.options?.stop,
    maxTokens: body.options?.num_predict,
  };
}

/** The request body of one wire format, read as the conformance view. */
export function upstreamView(wire: Wire, body: unknown): UpstreamView {
  switch (wire) {
    case 'openai':
    case 'mistral':
      return openAiView(body as OpenAiBody);
    case 'anthropic':
      return anthropicView(body as AnthropicBody);
    case 'gemini':
      return geminiView(body as GeminiBody);
    case 'ollama':
      return ollamaView(body as OllamaBody);
  }
}
