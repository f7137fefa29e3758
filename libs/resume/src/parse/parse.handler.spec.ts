import { GatewayErrorCode } from '@ai-gateway/core';
import type { StructuredCompletionService } from '../structured/structured-completion.service';
import type { TaskModels } from '../task-models';
import { ParseTaskHandler } from './parse.handler';

/** `prepare` and `sizeOf` need no model: the collaborators are never called. */
const handler = new ParseTaskHandler(
  undefined as unknown as StructuredCompletionService,
  undefined as unknown as TaskModels,
);
const file = (filename: string, text: string) => ({
  file: { filename, contentBase64: Buffer.from(text).toString('base64') },
});

describe(ParseTaskHandler.name, () => {
  it('prepare turns a text file into resume text, which passes validateInput again', async () => {
    const prepared = await handler.prepare(file('cv.txt', 'Ada Lovelace\nAnalyst at Babbage & Co'));
    expect(prepared).toEqual({ resumeText: 'Ada Lovelace\nAnalyst at Babbage & Co' });
    expect(handler.validateInput(prepared)).toEqual(prepared);
  });

  it('prepare leaves resume text alone', async () => {
    await expect(handler.prepare({ resumeText: 'Ada' })).resolves.toEqual({ resumeText: 'Ada' });
  });

  it('prepare reports an unreadable file as the caller’s mistake on input.file', async () => {
    await expect(handler.prepare(file('cv.pdf', 'not a pdf at all'))).rejects.toMatchObject({
      code: GatewayErrorCode.INVALID_REQUEST,
      param: 'input.file',
    });
    await expect(handler.prepare(file('cv.txt', ' \n\t '))).rejects.toMatchObject({
      code: GatewayErrorCode.INVALID_REQUEST,
      param: 'input.file',
    });
  });

  it('sizeOf counts characters of text, or bytes of a file not yet read', () => {
    expect(handler.sizeOf({ resumeText: 'Ada Lovelace' })).toBe(12);
    expect(handler.sizeOf(file('cv.txt', 'twelve bytes'))).toBe(12);
  });
});
