import { Readable } from 'node:stream';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { findModelField, readMultipartModel } from './multipart-model';

const BOUNDARY = '----form7';
const TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

function field(name: string, value: string): string {
  return `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
}
function file(bytes: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\n`,
    ),
    bytes,
    Buffer.from('\r\n'),
  ]);
}
const END = `--${BOUNDARY}--\r\n`;

/** The body as a stream of `size`-byte chunks. */
function upload(body: Buffer, size = 1000): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < body.length; i += size) chunks.push(body.subarray(i, i + size));
  return Readable.from(chunks, { objectMode: false });
}

async function text(stream: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('latin1');
}

describe(readMultipartModel.name, () => {
  it('reads the model sent first, and streams the upload on with the model replaced', async () => {
    const audio = Buffer.alloc(100_000, 'a');
    const body = Buffer.concat([
      Buffer.from(field('model', 'openai/whisper-1')),
      file(audio),
      Buffer.from(END),
    ]);
    const read = await readMultipartModel(upload(body), TYPE);
    expect(read.model).toBe('openai/whisper-1');
    expect(read.contentType).toBe(TYPE);
    const sent = await text(read.withModel('whisper-1'));
    expect(sent).toBe(body.toString('latin1').replace('openai/whisper-1', 'whisper-1'));
  });

  it('finds a model sent after the file (the file is held until then)', async () => {
    const audio = Buffer.alloc(70_000, 'b');
    const body = Buffer.concat([
      file(audio),
      Buffer.from(field('model', 'm1') + field('language', 'en') + END),
    ]);
    const read = await readMultipartModel(upload(body, 4096), TYPE);
    expect(read.model).toBe('m1');
    expect(await text(read.withModel('m2'))).toBe(
      body.toString('latin1').replace('\r\nm1\r\n', '\r\nm2\r\n'),
    );
  });

  it('never takes a "name=\\"model\\"" inside file content for the field', async () => {
    const trap = Buffer.from('Content-Disposition: form-data; name="model"\r\n\r\nwrong\r\n');
    const body = Buffer.concat([file(trap), Buffer.from(field('model', 'right') + END)]);
    expect((await readMultipartModel(upload(body, 7), TYPE)).model).toBe('right');
  });

  it('refuses an upload without a model field, and a body without a boundary', async () => {
    const body = Buffer.concat([file(Buffer.from('x')), Buffer.from(END)]);
    await expect(readMultipartModel(upload(body), TYPE)).rejects.toMatchObject({
      code: GatewayErrorCode.INVALID_REQUEST,
      param: 'model',
    });
    await expect(readMultipartModel(upload(body), 'multipart/form-data')).rejects.toMatchObject({
      code: GatewayErrorCode.INVALID_REQUEST,
      param: 'content-type',
    });
  });

  it('passes on the upload’s own failure (over the size cap)', async () => {
    const failing = new Readable({
      read() {
        this.destroy(Object.assign(new Error('too large'), { code: 'CAP' }));
      },
    });
    await expect(readMultipartModel(failing, TYPE)).rejects.toMatchObject({ code: 'CAP' });
  });
});

describe(findModelField.name, () => {
  it('asks for more while the part headers or the value are incomplete', () => {
    const head = Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="model"\r\n\r\nabc`,
    );
    expect(findModelField(head, BOUNDARY, 0)).toEqual({ kind: 'more', from: 0 });
    expect(findModelField(head.subarray(0, 20), BOUNDARY, 0)).toEqual({ kind: 'more', from: 0 });
  });
});
