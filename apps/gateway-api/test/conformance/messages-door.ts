import Anthropic from '@anthropic-ai/sdk';
import type { Door, Refusal, StreamedToolAnswer, TextAnswer, UsageAnswer } from './door';
import { ASK, headerOf, WEATHER_SCHEMA } from './door';

const messagesTools: Anthropic.Tool[] = [
  {
    name: 'get_weather',
    description: 'Weather',
    input_schema: WEATHER_SCHEMA as Anthropic.Tool.InputSchema,
  },
];

/**
 * Anthropic's error body has no `code` or `param`: the code is read from the SDK's
 * `errorCode` (`error.details.error_code`) when the gateway sends one, else from the
 * decision trace (an adapter's refusal is the attempt's outcome).
 */
function messagesRefusal(error: unknown): Refusal | undefined {
  if (!(error instanceof Anthropic.APIError) || error.status === undefined) return undefined;
  const trace = headerOf(error.headers, 'x-gateway-trace');
  const details = error.details as unknown as { param?: string } | null;
  return {
    status: error.status,
    code: error.errorCode ?? /=([a-z_]+)$/.exec(trace ?? '')?.[1] ?? null,
    param: details?.param ?? null,
    trace,
  };
}

/** `POST /v1/messages` through `@anthropic-ai/sdk`'s `messages.create`. */
export function messagesDoor(client: Anthropic): Door {
  const text = async (
    params: Partial<Anthropic.MessageCreateParamsNonStreaming> & { model: string },
  ): Promise<TextAnswer> => {
    const res = await client.messages.create({
      max_tokens: 64,
      messages: [{ role: 'user', content: 'Say something' }],
      ...params,
    });
    const joined = res.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    return { text: joined, finish: res.stop_reason ?? '', stopSequence: res.stop_sequence };
  };
  return {
    name: 'messages',
    async toolCall(model, forced = false) {
      const res = await client.messages.create({
        model,
        max_tokens: 64,
        messages: [{ role: 'user', content: ASK }],
        tools: messagesTools,
        ...(forced ? { tool_choice: { type: 'any' as const } } : {}),
      });
      const call = res.content.find((block) => block.type === 'tool_use');
      if (!call) throw new Error('no tool_use block in the answer');
      return { name: call.name, args: call.input, id: call.id, finish: res.stop_reason ?? '' };
    },
    async streamToolCall(model) {
      const stream = await client.messages.create({
        model,
        max_tokens: 64,
        stream: true,
        messages: [{ role: 'user', content: ASK }],
        tools: messagesTools,
      });
      const out: StreamedToolAnswer = {
        name: '',
        args: undefined,
        id: '',
        finish: '',
        fragments: [],
      };
      for await (const event of stream) {
        if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') {
          out.name = event.content_block.name;
          out.id = event.content_block.id;
        } else if (
          event.type === 'content_block_delta' &&
          event.delta.type === 'input_json_delta' &&
          event.delta.partial_json !== ''
        ) {
          out.fragments.push(event.delta.partial_json);
        } else if (event.type === 'message_delta') {
          out.finish = event.delta.stop_reason ?? '';
        }
      }
      out.args = JSON.parse(out.fragments.join('')) as unknown;
      return out;
    },
    image: (model, image) =>
      text({
        model,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is in this picture?' },
              {
                type: 'image',
                source:
                  'url' in image
                    ? { type: 'url', url: image.url }
                    : {
                        type: 'base64',
                        media_type: image.mime as Anthropic.Base64ImageSource['media_type'],
                        data: image.data,
                      },
              },
            ],
          },
        ],
      }),
    jsonSchema: (model) =>
      text({ model, output_config: { format: { type: 'json_schema', schema: WEATHER_SCHEMA } } }),
    stop: (model, stop) => text({ model, stop_sequences: stop }),
    async usage(model) {
      const res = await client.messages.create({
        model,
        max_tokens: 64,
        messages: [{ role: 'user', content: 'A long shared prefix' }],
      });
      return {
        input: res.usage.input_tokens,
        cached: res.usage.cache_read_input_tokens ?? undefined,
      };
    },
    async streamUsage(model) {
      const stream = await client.messages.create({
        model,
        max_tokens: 64,
        stream: true,
        messages: [{ role: 'user', content: 'A long shared prefix' }],
      });
      let usage: UsageAnswer = { input: -1, cached: undefined };
      // message_start says 0 (the prompt's size is known at the end): message_delta has it.
      for await (const event of stream) {
        if (event.type === 'message_delta') {
          usage = {
            input: event.usage.input_tokens ?? -1,
            cached: event.usage.cache_read_input_tokens ?? undefined,
          };
        }
      }
      return usage;
    },
    capped: (model, maxTokens) => text({ model, max_tokens: maxTokens }),
    filtered: (model) => text({ model }),
    refusalOf: messagesRefusal,
  };
}
