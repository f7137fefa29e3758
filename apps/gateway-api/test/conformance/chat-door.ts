import type OpenAI from 'openai';
import type { Door, StreamedToolAnswer, TextAnswer } from './door';
import { ASK, openAiRefusal, WEATHER_SCHEMA } from './door';

const chatTools: OpenAI.Chat.ChatCompletionTool[] = [
  {
    type: 'function',
    function: { name: 'get_weather', description: 'Weather', parameters: WEATHER_SCHEMA },
  },
];

/** `POST /v1/chat/completions` through `client.chat.completions`. */
export function chatDoor(client: OpenAI): Door {
  const text = async (
    params: Omit<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, 'messages'> & {
      messages?: OpenAI.Chat.ChatCompletionMessageParam[];
    },
  ): Promise<TextAnswer> => {
    const res = await client.chat.completions.create({
      messages: [{ role: 'user', content: 'Say something' }],
      ...params,
    });
    return { text: res.choices[0].message.content ?? '', finish: res.choices[0].finish_reason };
  };
  return {
    name: 'chat',
    async toolCall(model, forced = false) {
      const res = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: ASK }],
        tools: chatTools,
        ...(forced ? { tool_choice: 'required' as const } : {}),
      });
      const call = res.choices[0].message.tool_calls?.[0];
      if (call?.type !== 'function') throw new Error('no function call in the answer');
      return {
        name: call.function.name,
        args: JSON.parse(call.function.arguments) as unknown,
        id: call.id,
        finish: res.choices[0].finish_reason,
      };
    },
    async streamToolCall(model) {
      const stream = await client.chat.completions.create({
        model,
        stream: true,
        messages: [{ role: 'user', content: ASK }],
        tools: chatTools,
      });
      const out: StreamedToolAnswer = {
        name: '',
        args: undefined,
        id: '',
        finish: '',
        fragments: [],
      };
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        for (const call of choice?.delta.tool_calls ?? []) {
          out.name ||= call.function?.name ?? '';
          out.id ||= call.id ?? '';
          if (call.function?.arguments) out.fragments.push(call.function.arguments);
        }
        out.finish = choice?.finish_reason ?? out.finish;
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
                type: 'image_url',
                image_url: {
                  url: 'url' in image ? image.url : `data:${image.mime};base64,${image.data}`,
                },
              },
            ],
          },
        ],
      }),
    jsonSchema: (model) =>
      text({
        model,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'place', schema: WEATHER_SCHEMA, strict: true },
        },
      }),
    stop: (model, stop) => text({ model, stop }),
    async usage(model) {
      const res = await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'A long shared prefix' }],
      });
      return {
        input: res.usage?.prompt_tokens ?? -1,
        cached: res.usage?.prompt_tokens_details?.cached_tokens,
      };
    },
    async streamUsage(model) {
      const stream = await client.chat.completions.create({
        model,
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'A long shared prefix' }],
      });
      let usage: OpenAI.CompletionUsage | null | undefined;
      for await (const chunk of stream) usage = chunk.usage ?? usage;
      return {
        input: usage?.prompt_tokens ?? -1,
        cached: usage?.prompt_tokens_details?.cached_tokens,
      };
    },
    capped: (model, maxTokens) => text({ model, max_tokens: maxTokens }),
    filtered: (model) => text({ model }),
    refusalOf: openAiRefusal,
  };
}
