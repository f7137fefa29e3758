import type { ChatResponse } from '../types/unified';
import {
  outputItemId,
  responseId,
  responseOf,
  responseOfItemId,
  responseUsageOf,
} from './responses-output.mapper';
import { parseResponsesRequest } from './responses-request.mapper';

const call = parseResponsesRequest({ model: 'duo', input: 'hi', store: false });

function completion(message: Record<string, unknown>, finish = 'stop'): ChatResponse {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'claude-x',
    choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: finish }],
    usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 },
  } as ChatResponse;
}

describe(responseOf.name, () => {
  it('turns text and tool calls into a message item and function_call items', () => {
    const response = responseOf(
      'resp_1',
      call,
      completion({
        content: 'Let me check.',
        tool_calls: [
          { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"c":1}' } },
        ],
      }),
      1_700_000_000,
    );
    expect(response).toMatchObject({
      id: 'resp_1',
      object: 'response',
      created_at: 1_700_000_000,
      status: 'completed',
      model: 'claude-x',
      store: false,
      output: [
        {
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'output_text', text: 'Let me check.', annotations: [] }],
        },
        {
          type: 'function_call',
          call_id: 'call_1',
          name: 'weather',
          arguments: '{"c":1}',
          status: 'completed',
        },
      ],
      usage: { input_tokens: 9, output_tokens: 3, total_tokens: 12 },
    });
    expect(response.output.map((item) => item.id)).toEqual(['msg_1_0', 'fc_1_1']);
  });

  it('marks an answer cut by the token cap as incomplete', () => {
    expect(responseOf('resp_2', call, completion({ content: 'Once' }, 'length'), 1)).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    });
  });
});

describe(responseUsageOf.name, () => {
  it('always carries the cached and reasoning details, zero when the provider has none', () => {
    expect(responseUsageOf({ prompt_tokens: 5, completion_tokens: 2 })).toEqual({
      input_tokens: 5,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 2,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 7,
    });
    expect(responseUsageOf(undefined)).toBeNull();
  });
});

describe(responseOfItemId.name, () => {
  it('finds the response an output item id came from, and nothing in foreign ids', () => {
    const id = responseId();
    expect(id).toMatch(/^resp_[0-9a-f]{48}$/);
    expect(responseOfItemId(outputItemId('fc', id, 3))).toBe(id);
    expect(
      responseOfItemId('msg_67ccd2bf17f0819081ff3bb2cf6508e60bb6a6b452d3795b'),
    ).toBeUndefined();
    expect(responseOfItemId(`msg_${id.slice(5)}_1/../x`)).toBeUndefined();
  });
});
