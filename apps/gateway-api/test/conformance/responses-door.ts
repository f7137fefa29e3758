import type OpenAI from 'openai';
import type { Door, StreamedToolAnswer, TextAnswer } from './door';
import { ASK, openAiRefusal, WEATHER_SCHEMA } from './door';

const responseTools: OpenAI.Responses.FunctionTool[] = [
  {
    type: 'function',
    name: 'get_weather',
    description: 'Weather',
    parameters: WEATHER_SCHEMA,
    strict: true,
  },
];

function responseFinish(res: OpenAI.Responses.Response): string {
  return res.status === 'incomplete'
    ? `incomplete:${res.incomplete_details?.reason ?? ''}`
    : (res.status ?? '');
}

/** `POST /v1/responses` through `client.responses`. */
export function responsesDoor(client: OpenAI): Door {
  const text = async (
    params: Partial<OpenAI.Responses.ResponseCreateParamsNonStreaming> & { model: string },
  ): Promise<TextAnswer> => {
    const res = await client.responses.create({ input: 'Say something', store: false, ...params });
    return { text: res.output_text, finish: responseFinish(res) };
  };
  return {
    name: 'responses',
    async toolCall(model, forced = false) {
      const res = await client.responses.create({
        model,
        input: ASK,
        store: false,
        tools: responseTools,
        ...(forced ? { tool_choice: 'required' as const } : {}),
      });
      const call = res.output.find((item) => item.type === 'function_call');
      if (!call) throw new Error('no function_call item in the answer');
      return {
        name: call.name,
        args: JSON.parse(call.arguments) as unknown,
        id: call.call_id,
        finish: responseFinish(res),
      };
    },
    async streamToolCall(model) {
      const stream = await client.responses.create({
        model,
        input: ASK,
        store: false,
        stream: true,
        tools: responseTools,
      });
      const out: StreamedToolAnswer = {
        name: '',
        args: undefined,
        id: '',
        finish: '',
        fragments: [],
      };
      for await (const event of stream) {
        if (event.type === 'response.function_call_arguments.delta' && event.delta !== '') {
          out.fragments.push(event.delta);
        } else if (
          event.type === 'response.output_item.done' &&
          event.item.type === 'function_call'
        ) {
          out.name = event.item.name;
          out.id = event.item.call_id;
          out.args = JSON.parse(event.item.arguments) as unknown;
        } else if (event.type === 'response.completed' || event.type === 'response.incomplete') {
          out.finish = responseFinish(event.response);
        }
      }
      return out;
    },
    image: (model, image) =>
      text({
        model,
        input: [
          {
            type: 'message',
            role: 'user',
            content: [
              { type: 'input_text', text: 'What is in this picture?' },
              {
                type: 'input_image',
                detail: 'auto',
                image_url: 'url' in image ? image.url : `data:${image.mime};base64,${image.data}`,
              },
            ],
          },
        ],
      }),
    jsonSchema: (model) =>
      text({
        model,
        text: {
          format: { type: 'json_schema', name: 'place', schema: WEATHER_SCHEMA, strict: true },
        },
      }),
    // The Responses API has no stop sequences: sent anyway, as a caller porting chat code would.
    stop: (model, stop) =>
      text({ model, stop } as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming & {
        model: string;
      }),
    async usage(model) {
      const res = await client.responses.create({
        model,
        input: 'A long shared prefix',
        store: false,
      });
      return {
        input: res.usage?.input_tokens ?? -1,
        cached: res.usage?.input_tokens_details.cached_tokens,
      };
    },
    async streamUsage(model) {
      const stream = await client.responses.create({
        model,
        input: 'A long shared prefix',
        store: false,
        stream: true,
      });
      let usage: OpenAI.Responses.ResponseUsage | undefined;
      for await (const event of stream) {
        if (event.type === 'response.completed') usage = event.response.usage;
      }
      return {
        input: usage?.input_tokens ?? -1,
        cached: usage?.input_tokens_details.cached_tokens,
      };
    },
    capped: (model, maxTokens) => text({ model, max_output_tokens: maxTokens }),
    filtered: (model) => text({ model }),
    refusalOf: openAiRefusal,
  };
}
