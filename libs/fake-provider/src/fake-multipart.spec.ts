import type { FakeUploadedFile } from './fake-multipart';
import { parseMultipart } from './fake-multipart';

describe('parseMultipart', () => {
  const body = (boundary: string): Buffer =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n`,
      ),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
      ),
      Buffer.from([0, 1, 2, 13, 10, 3]),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);

  it('reads text fields and counts each file’s bytes (binary, CRLF inside included)', () => {
    expect(parseMultipart(body('xyz'), 'multipart/form-data; boundary=xyz')).toEqual({
      model: 'whisper-1',
      file: { filename: 'a.wav', contentType: 'audio/wav', size: 6, head: expect.any(String) },
    });
  });

  it('keeps the bytes of files up to the size asked for, out of the enumerable fields', () => {
    const kept = parseMultipart(body('xyz'), 'multipart/form-data; boundary=xyz', 6)?.file;
    expect(kept).toMatchObject({ filename: 'a.wav', size: 6 });
    expect((kept as FakeUploadedFile).content).toEqual(Buffer.from([0, 1, 2, 13, 10, 3]));
    expect(Object.keys(kept as FakeUploadedFile)).not.toContain('content');

    const tooBig = parseMultipart(body('xyz'), 'multipart/form-data; boundary=xyz', 5)?.file;
    expect((tooBig as FakeUploadedFile).content).toBeUndefined();
  });

  it('takes a quoted boundary', () => {
    expect(parseMultipart(body('a b'), 'multipart/form-data; boundary="a b"')?.model).toBe(
      'whisper-1',
    );
  });

  it('is undefined for a body that is not multipart', () => {
    expect(parseMultipart(Buffer.from('{}'), 'application/json')).toBeUndefined();
  });
});
