import { GatewayErrorCode } from '../../errors/gateway-error-code';
import type { GatewayError } from '../../errors/gateway.error';
import type { ChatRequest } from '../../types/unified';
import { toGeminiConversation } from './gemini-messages.mapper';

const P = 'gem';

function thrown(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a throw');
}

describe('toGeminiConversation', () => {
  it('gathers system and developer prompts and merges consecutive turns of one role', () => {
    const out = toGeminiConversation(
      [
        { role: 'system', content: 'S1' },
        { role: 'user', content: 'a' },
        { role: 'developer', content: [{ type: 'text', text: 'S2' }] },
        { role: 'user', content: [{ type: 'text', text: 'b' }] },
        { role: 'assistant', content: 'c' },
        { role: 'assistant', content: '' },
      ],
      P,
    );
    expect(out).toEqual({
      systemInstruction: { role: 'system', parts: [{ text: 'S1' }, { text: 'S2' }] },
      contents: [
        { role: 'user', parts: [{ text: 'a' }, { text: 'b' }] },
        { role: 'model', parts: [{ text: 'c' }] },
      ],
    });
  });

  it('answers parallel calls in one turn, naming each result after the nearest earlier call', () => {
    const out = toGeminiConversation(
      [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            { id: 'call_0', type: 'function', function: { name: 'a', arguments: '{}' } },
            { id: 'call_1', type: 'function', function: { name: 'b', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'plain text' },
        { role: 'tool', tool_call_id: 'call_0', content: [{ type: 'text', text: '[1,2]' }] },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_0', type: 'function', function: { name: 'c', arguments: '{"x":1}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_0', content: '{"ok":true}' },
      ],
      P,
    );
    expect(out.contents.slice(1)).toEqual([
      {
        role: 'model',
        parts: [
          { text: 'Checking.' },
          { functionCall: { name: 'a', args: {} } },
          { functionCall: { name: 'b', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'b', response: { content: 'plain text' } } },
          { functionResponse: { name: 'a', response: { content: [1, 2] } } },
        ],
      },
      { role: 'model', parts: [{ functionCall: { name: 'c', args: { x: 1 } } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'c', response: { ok: true } } }] },
    ]);
  });

  it('sends data-URL images, files and audio inline', () => {
    const out = toGeminiConversation(
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look' },
            {
              type: 'image_url',
              image_url: { url: 'data:image/png;base64,iVBORw0=', detail: 'high' },
            },
            {
              type: 'file',
              file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' },
            },
            { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
          ],
        },
      ],
      P,
    );
    expect(out.contents[0].parts).toEqual([
      { text: 'look' },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0=' } },
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
      { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
    ]);
  });

  it.each([
    [
      'messages[0].content[0].image_url.url',
      [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }],
    ],
    [
      'messages[0].content[0].file',
      [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-1' } }] }],
    ],
    ['messages[0].name', [{ role: 'user', content: 'a', name: 'bob' }]],
    ['messages[0].tool_call_id', [{ role: 'tool', tool_call_id: 'nope', content: 'x' }]],
    [
      'messages[1].tool_calls[0].function.arguments',
      [
        { role: 'user', content: 'a' },
        {
          role: 'assistant',
          tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '[1]' } }],
        },
      ],
    ],
    ['messages[0].role', [{ role: 'function', name: 'f', content: 'x' }]],
  ])('throws unsupported_feature at %s', (param, messages) => {
    const error = thrown(() => toGeminiConversation(messages as ChatRequest['messages'], P));
    expect(error).toMatchObject({ code: GatewayErrorCode.UNSUPPORTED_FEATURE, param });
  });
});
