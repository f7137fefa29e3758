import { GatewayErrorCode } from '@ai-gateway/core';
import { MAX_RESUME_FILE_BYTES } from '../files/resume-file.extractor';
import { MAX_TEXT_CHARS } from '../task-input.validators';
import { decodedBytes, validateParseInput } from './parse.schema';

const base64 = (text: string) => Buffer.from(text).toString('base64');

describe(validateParseInput.name, () => {
  it('returns resume text, or a file to be read', () => {
    expect(validateParseInput({ resumeText: 'Ada Lovelace, analyst' })).toEqual({
      resumeText: 'Ada Lovelace, analyst',
    });
    const file = { filename: 'Ada CV.PDF', contentBase64: base64('%PDF-1.4 …') };
    expect(validateParseInput({ file })).toEqual({ file });
  });

  it.each([
    ['a non-object input', 'text', 'input'],
    ['an array input', [], 'input'],
    ['neither text nor file', {}, 'input.resumeText'],
    ['a non-string resumeText', { resumeText: 42 }, 'input.resumeText'],
    ['a blank resumeText', { resumeText: ' \n ' }, 'input.resumeText'],
    ['an over-long resumeText', { resumeText: 'x'.repeat(MAX_TEXT_CHARS + 1) }, 'input.resumeText'],
    ['an unknown field', { resumeText: 'cv', resume: 'cv' }, 'input.resume'],
    [
      'both text and a file',
      { resumeText: 'cv', file: { filename: 'cv.txt', contentBase64: base64('cv') } },
      'input.file',
    ],
    ['a file that is a string', { file: 'cv.pdf' }, 'input.file'],
    ['a file without a name', { file: { contentBase64: base64('cv') } }, 'input.file.filename'],
    [
      'a .doc file',
      { file: { filename: 'cv.doc', contentBase64: base64('cv') } },
      'input.file.filename',
    ],
    [
      'a file with no extension',
      { file: { filename: 'resume', contentBase64: base64('cv') } },
      'input.file.filename',
    ],
    ['a file without content', { file: { filename: 'cv.txt' } }, 'input.file.contentBase64'],
    [
      'content that is not base64',
      { file: { filename: 'cv.txt', contentBase64: 'not base64!' } },
      'input.file.contentBase64',
    ],
    [
      'base64 of the wrong length',
      { file: { filename: 'cv.txt', contentBase64: 'abcde' } },
      'input.file.contentBase64',
    ],
    [
      'a file over 5 MB',
      {
        file: {
          filename: 'cv.pdf',
          contentBase64: 'A'.repeat(Math.ceil((MAX_RESUME_FILE_BYTES + 1) / 3) * 4),
        },
      },
      'input.file.contentBase64',
    ],
    [
      'an unknown file field',
      { file: { filename: 'cv.txt', contentBase64: base64('cv'), mime: 'text/plain' } },
      'input.file.mime',
    ],
  ])('rejects %s with INVALID_REQUEST naming %s', (_case, input, param) => {
    expect(() => validateParseInput(input)).toThrow(
      expect.objectContaining({ code: GatewayErrorCode.INVALID_REQUEST, param }),
    );
  });

  it('says which field is wrong in the message', () => {
    expect(() => validateParseInput({ resumeText: '' })).toThrow(
      "Invalid task input: 'input.resumeText' must not be empty",
    );
  });

  it('accepts a file of exactly 5 MB', () => {
    const contentBase64 = Buffer.alloc(MAX_RESUME_FILE_BYTES, 32).toString('base64');
    expect(() => validateParseInput({ file: { filename: 'cv.txt', contentBase64 } })).not.toThrow();
  });
});

describe(decodedBytes.name, () => {
  it('counts decoded bytes from the base64 length and padding', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'abcd', 'résumé']) {
      expect(decodedBytes(base64(text))).toBe(Buffer.byteLength(text));
    }
  });
});
