import { GatewayError } from '../errors/gateway.error';
import {
  forwardedBody,
  isHostedToolItem,
  nativeFeatureOf,
  parseNativeCall,
} from './responses-native';

describe(nativeFeatureOf.name, () => {
  it('finds what needs OpenAI itself, naming the field', () => {
    const base = { model: 'gpt-4.1', input: 'hi' };
    expect(nativeFeatureOf({ ...base, tools: [{ type: 'function', name: 'f' }] })).toBeUndefined();
    expect(
      nativeFeatureOf({
        ...base,
        tools: [{ type: 'function', name: 'f' }, { type: 'web_search' }],
      }),
    ).toEqual({ param: 'tools[1].type', what: "the built-in tool 'web_search'" });
    expect(nativeFeatureOf({ ...base, tool_choice: { type: 'file_search' } })).toEqual({
      param: 'tool_choice',
      what: "tool_choice 'file_search'",
    });
    expect(
      nativeFeatureOf({ ...base, input: [{ type: 'web_search_call', id: 'ws_1' }] })?.param,
    ).toBe('input[0].type');
    expect(nativeFeatureOf({ ...base, include: ['reasoning.encrypted_content'] })?.param).toBe(
      'include',
    );
    expect(nativeFeatureOf({ ...base, include: [] })).toBeUndefined();
    expect(nativeFeatureOf({ ...base, reasoning: { summary: 'auto' } })?.param).toBe(
      'reasoning.summary',
    );
    expect(nativeFeatureOf({ ...base, reasoning: { effort: 'low' } })).toBeUndefined();
    expect(nativeFeatureOf({ ...base, truncation: 'auto' })?.param).toBe('truncation');
    expect(nativeFeatureOf({ ...base, conversation: 'conv_1' })).toEqual({
      param: 'conversation',
      what: "the field 'conversation'",
    });
    // A field OpenAI's Responses API does not have either stays the translation's 400.
    expect(nativeFeatureOf({ ...base, stop: ['x'] })).toBeUndefined();
    // Background mode is refused by both paths, not forwarded.
    expect(nativeFeatureOf({ ...base, background: true })).toBeUndefined();
    expect(nativeFeatureOf('text')).toBeUndefined();
  });

  it('tells hosted-tool items from function calls', () => {
    expect(isHostedToolItem({ type: 'web_search_call' })).toBe(true);
    expect(isHostedToolItem({ type: 'code_interpreter_call' })).toBe(true);
    expect(isHostedToolItem({ type: 'function_call' })).toBe(false);
    expect(isHostedToolItem({ type: 'message' })).toBe(false);
  });
});

describe(parseNativeCall.name, () => {
  it('reads model, stream, store and input; OpenAI checks the rest', () => {
    const call = parseNativeCall({
      model: 'gpt-4.1',
      input: 'hi',
      tools: [{ type: 'web_search' }],
    });
    expect(call).toMatchObject({ model: 'gpt-4.1', stream: false, store: true });
    expect(call.input).toEqual([{ type: 'message', role: 'user', content: 'hi' }]);
    expect(parseNativeCall({ model: 'm', input: 'x', stream: true, store: false })).toMatchObject({
      stream: true,
      store: false,
    });
  });

  it.each([
    [{ input: 'x' }, 'model'],
    [{ model: 'm', input: 'x', stream: 'yes' }, 'stream'],
    [{ model: 'm', input: 'x', background: true }, 'background'],
    [{ model: 'm', input: 'x', previous_response_id: 3 }, 'previous_response_id'],
    [{ model: 'm' }, 'input'],
  ])('refuses %j naming %s', (body, param) => {
    try {
      parseNativeCall(body);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).param).toBe(param);
    }
  });
});

describe(forwardedBody.name, () => {
  it('sends the body as it came when nothing was continued', () => {
    const body = { model: 'm', input: 'hi', tools: [{ type: 'web_search' }] };
    expect(forwardedBody(parseNativeCall(body), undefined)).toBe(body);
  });

  it('spells a continuation out in input, without the id; messages lose theirs, reasoning and hosted-tool items keep theirs', () => {
    const call = parseNativeCall({ model: 'm', input: 'and now?', previous_response_id: 'resp_1' });
    const upstream = forwardedBody(call, [
      { type: 'message', role: 'user', content: 'first' },
      { type: 'reasoning', id: 'rs_1', summary: [] },
      { type: 'message', id: 'msg_1', role: 'assistant', content: [] },
      { type: 'web_search_call', id: 'ws_1', status: 'completed' },
      ...call.input,
    ]);
    expect(upstream).not.toHaveProperty('previous_response_id');
    expect(upstream.input).toEqual([
      { type: 'message', role: 'user', content: 'first' },
      { type: 'reasoning', id: 'rs_1', summary: [] },
      { type: 'message', role: 'assistant', content: [] },
      { type: 'web_search_call', id: 'ws_1', status: 'completed' },
      { type: 'message', role: 'user', content: 'and now?' },
    ]);
  });
});
