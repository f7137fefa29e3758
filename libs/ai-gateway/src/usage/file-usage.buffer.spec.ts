import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileUsageBuffer } from './file-usage.buffer';
import { usageBufferScenarios } from './usage-buffer.scenarios';
import { usageRow } from './usage.fixtures';

describe(FileUsageBuffer.name, () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'usage-buffer-'));
    path = join(dir, 'nested', 'usage-buffer.jsonl');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('shared scenarios', () => {
    usageBufferScenarios((limit) =>
      Promise.resolve({ buffer: new FileUsageBuffer(path, limit), close: () => Promise.resolve() }),
    );
  });

  it('keeps unwritten rows across a restart, and not the acknowledged ones', async () => {
    const before = new FileUsageBuffer(path, 100);
    await before.push([1, 2, 3].map((n) => usageRow(n)));
    await before.ack((await before.claim(1))!);

    const after = new FileUsageBuffer(path, 100);
    expect(await after.size()).toBe(2);
    expect((await after.claim(10))?.rows.map((r) => r.requestId)).toEqual(['req-2', 'req-3']);
  });

  it('replays a claim never acknowledged (a crash mid-drain): at least once', async () => {
    const before = new FileUsageBuffer(path, 100);
    await before.push([1, 2].map((n) => usageRow(n)));
    await before.claim(10);

    const after = new FileUsageBuffer(path, 100);
    expect((await after.claim(10))?.rows.map((r) => r.requestId)).toEqual(['req-1', 'req-2']);
  });

  it('counts the bound across restarts', async () => {
    await new FileUsageBuffer(path, 3).push([1, 2].map((n) => usageRow(n)));
    expect(await new FileUsageBuffer(path, 3).push([3, 4].map((n) => usageRow(n)))).toBe(1);
  });

  it('empties the file once everything is acknowledged', async () => {
    const buffer = new FileUsageBuffer(path, 100);
    await buffer.push([1, 2].map((n) => usageRow(n)));
    await buffer.ack((await buffer.claim(10))!);
    expect((await stat(path)).size).toBe(0);
    expect(await readFile(`${path}.offset`, 'utf8')).toBe('0');
  });

  it('skips a torn last line (crash mid-append) and keeps the rows after it', async () => {
    const buffer = new FileUsageBuffer(path, 100);
    await buffer.push([usageRow(1)]);
    await writeFile(path, '{"requestId":"req-2","crea', { flag: 'a' });

    const after = new FileUsageBuffer(path, 100);
    await after.push([usageRow(3)]);
    const claim = await after.claim(10);
    expect(claim?.rows.map((r) => r.requestId)).toEqual(['req-1', 'req-3']);
    expect(claim?.unreadable).toBe(1);
  });

  it('claims across read chunks (rows larger than one read)', async () => {
    const buffer = new FileUsageBuffer(path, 10_000);
    const big = 'x'.repeat(3_000);
    await buffer.push(Array.from({ length: 200 }, (_, n) => usageRow(n, { budgetNote: big })));
    let seen = 0;
    for (let claim = await buffer.claim(70); claim; claim = await buffer.claim(70)) {
      expect(claim.rows.every((r, i) => r.requestId === `req-${seen + i}`)).toBe(true);
      seen += claim.rows.length;
      await buffer.ack(claim);
    }
    expect(seen).toBe(200);
  });
});
