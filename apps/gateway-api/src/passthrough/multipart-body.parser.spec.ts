import { GatewayErrorCode } from '@ai-gateway/core';
import { Readable } from 'node:stream';
import { capped } from './multipart-body.parser';

async function drain(stream: Readable): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += (chunk as Buffer).length;
  return bytes;
}

describe(capped.name, () => {
  const source = (chunks: number, size: number): Readable =>
    Readable.from(
      Array.from({ length: chunks }, () => Buffer.alloc(size, 1)),
      { objectMode: false },
    );

  it('passes an upload within the limit through whole', async () => {
    expect(await drain(capped(source(4, 1000), 4000))).toBe(4000);
  });

  it('fails with payload_too_large past the limit, then reads and drops the rest', async () => {
    const upload = source(4, 1000);
    await expect(drain(capped(upload, 2500))).rejects.toMatchObject({
      code: GatewayErrorCode.PAYLOAD_TOO_LARGE,
    });
    if (!upload.readableEnded) await new Promise((resolve) => upload.once('end', resolve));
    expect(upload.readableEnded).toBe(true);
  });

  it('closes an upload that goes on past another limit', async () => {
    const upload = source(10, 1000);
    await expect(drain(capped(upload, 2500))).rejects.toMatchObject({
      code: GatewayErrorCode.PAYLOAD_TOO_LARGE,
    });
    if (!upload.destroyed) await new Promise((resolve) => upload.once('close', resolve));
    expect(upload.destroyed).toBe(true);
    expect(upload.readableEnded).toBe(false);
  });
});
