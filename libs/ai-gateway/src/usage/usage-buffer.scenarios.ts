import type { UsageBuffer } from './usage-buffer';
import { usageRow } from './usage.fixtures';

/** A buffer under test and how to dispose of it. */
export interface BufferUnderTest {
  buffer: UsageBuffer;
  close(): Promise<void>;
}

/** Behaviour every {@link UsageBuffer} shares; `open(limit)` builds a fresh, empty one. */
export function usageBufferScenarios(open: (limit: number) => Promise<BufferUnderTest>): void {
  let subject: BufferUnderTest;
  let buffer: UsageBuffer;

  const start = async (limit = 100): Promise<void> => {
    subject = await open(limit);
    buffer = subject.buffer;
  };
  afterEach(async () => {
    await subject?.close();
  });

  it('gives rows back oldest first, every field intact', async () => {
    await start();
    const rows = [1, 2, 3].map((n) => usageRow(n, { ttftMs: n, streamCompleted: n === 2 }));
    expect(await buffer.push(rows)).toBe(3);
    const claim = await buffer.claim(2);
    expect(claim?.rows).toEqual(rows.slice(0, 2));
    await buffer.ack(claim!);
    expect((await buffer.claim(10))?.rows).toEqual(rows.slice(2));
  });

  it('has nothing to claim when empty', async () => {
    await start();
    expect(await buffer.claim(10)).toBeUndefined();
    expect(await buffer.size()).toBe(0);
  });

  it('accepts rows up to its bound and says how many it took', async () => {
    await start(5);
    expect(await buffer.push([1, 2, 3].map((n) => usageRow(n)))).toBe(3);
    expect(await buffer.push([4, 5, 6, 7].map((n) => usageRow(n)))).toBe(2);
    expect(await buffer.push([usageRow(8)])).toBe(0);
    expect(await buffer.size()).toBe(5);
    const claim = await buffer.claim(10);
    expect(claim?.rows.map((r) => r.requestId)).toEqual([
      'req-1',
      'req-2',
      'req-3',
      'req-4',
      'req-5',
    ]);
  });

  it('removes acknowledged rows for good', async () => {
    await start();
    await buffer.push([1, 2].map((n) => usageRow(n)));
    await buffer.ack((await buffer.claim(10))!);
    expect(await buffer.size()).toBe(0);
    expect(await buffer.claim(10)).toBeUndefined();
  });

  it('puts released rows back in front, in order', async () => {
    await start();
    await buffer.push([1, 2, 3, 4].map((n) => usageRow(n)));
    const claim = await buffer.claim(2);
    expect(await buffer.size()).toBe(2);
    await buffer.release(claim!);
    expect(await buffer.size()).toBe(4);
    expect((await buffer.claim(10))?.rows.map((r) => r.requestId)).toEqual([
      'req-1',
      'req-2',
      'req-3',
      'req-4',
    ]);
  });

  it('keeps rows pushed while a claim is out', async () => {
    await start();
    await buffer.push([usageRow(1)]);
    const claim = await buffer.claim(10);
    await buffer.push([usageRow(2)]);
    await buffer.ack(claim!);
    expect((await buffer.claim(10))?.rows.map((r) => r.requestId)).toEqual(['req-2']);
  });
}
