import { readNdjsonLines } from './ndjson-line.reader';

async function collect(chunks: Array<string | Uint8Array>): Promise<string[]> {
  async function* source(): AsyncGenerator<string | Uint8Array> {
    for (const chunk of chunks) yield await Promise.resolve(chunk);
  }
  const out: string[] = [];
  for await (const line of readNdjsonLines(source())) out.push(line);
  return out;
}

describe('readNdjsonLines', () => {
  it('joins lines split across chunks and skips blank lines', async () => {
    expect(await collect(['{"a":', '1}\n{"b"', ':2}\n\n', '{"c":3}\r\n'])).toEqual([
      '{"a":1}',
      '{"b":2}',
      '{"c":3}',
    ]);
  });

  it('keeps a multi-byte character whose bytes straddle two chunks', async () => {
    const bytes = Buffer.from('{"t":"é"}\n');
    const cut = bytes.indexOf(0xc3) + 1;
    expect(await collect([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(['{"t":"é"}']);
  });

  it('yields several lines of one chunk in order, and a last line without newline', async () => {
    expect(await collect(['1\n2\n3\n4'])).toEqual(['1', '2', '3', '4']);
  });
});
