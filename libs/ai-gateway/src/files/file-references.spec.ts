import { GatewayErrorCode } from '../errors/gateway-error-code';
import type { GatewayError } from '../errors/gateway.error';
import { assertNoUnownedStores, chatFileReferencesOf, fileReferencesOf } from './file-references';

describe(fileReferencesOf.name, () => {
  it('finds every file id a Responses body names, with where', () => {
    const body = {
      model: 'm',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'file_id is just text here' },
            { type: 'input_file', file_id: 'file-a' },
            { type: 'input_image', file_id: 'file-b' },
          ],
        },
      ],
      tools: [{ type: 'code_interpreter', container: { type: 'auto', file_ids: ['file-c', 7] } }],
    };
    expect(fileReferencesOf(body)).toEqual([
      { id: 'file-a', param: 'input[0].content[1].file_id' },
      { id: 'file-b', param: 'input[0].content[2].file_id' },
      { id: 'file-c', param: 'tools[0].container.file_ids[0]' },
    ]);
    expect(fileReferencesOf({ model: 'm', input: 'hi' })).toEqual([]);
  });
});

describe(chatFileReferencesOf.name, () => {
  it("finds the chat door's file parts only", () => {
    const body = {
      messages: [
        { role: 'user', content: 'plain' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'see' },
            { type: 'file', file: { file_id: 'file-x' } },
            { type: 'file', file: { file_data: 'data:…' } },
          ],
        },
      ],
    };
    expect(chatFileReferencesOf(body)).toEqual([
      { id: 'file-x', param: 'messages[1].content[1].file.file_id' },
    ]);
    expect(chatFileReferencesOf({ messages: 'nope' })).toEqual([]);
  });
});

describe(assertNoUnownedStores.name, () => {
  it('refuses vector stores and stored conversations, naming the field', () => {
    const refusal = (body: unknown): string | undefined => {
      try {
        assertNoUnownedStores(body);
        return undefined;
      } catch (error) {
        return `${(error as GatewayError).code}:${(error as GatewayError).param}`;
      }
    };
    expect(refusal({ conversation: 'conv_1' })).toBe(
      `${GatewayErrorCode.UNSUPPORTED_FEATURE}:conversation`,
    );
    expect(
      refusal({
        tools: [{ type: 'web_search' }, { type: 'file_search', vector_store_ids: ['vs_1'] }],
      }),
    ).toBe(`${GatewayErrorCode.UNSUPPORTED_FEATURE}:tools[1].vector_store_ids`);
    expect(refusal({ tools: [{ type: 'web_search' }] })).toBeUndefined();
  });
});
