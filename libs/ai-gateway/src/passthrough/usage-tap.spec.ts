import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UsageTap, tokensOf } from './usage-tap';

const RESPONSES_ENDS = {
  ended: new Set(['response.completed', 'response.incomplete']),
  failed: new Set(['response.failed', 'error']),
};

async function through(
  contentType: string,
  chunks: string[],
  ends?: typeof RESPONSES_ENDS,
): Promise<UsageTap> {
  const tap = new UsageTap(contentType, ends);
  const out: Buffer[] = [];
  tap.on('data', (chunk: Buffer) => out.push(chunk));
  await pipeline(Readable.from(chunks.map((c) => Buffer.from(c))), tap);
  expect(Buffer.concat(out).toString()).toBe(chunks.join(''));
  return tap;
}

describe(UsageTap.name, () => {
  it('reads the usage of a JSON answer split anywhere', async () => {
    const json = JSON.stringify({ text: 'x', usage: { prompt_tokens: 5, completion_tokens: 7 } });
    const tap = await through('application/json', [json.slice(0, 9), json.slice(9)]);
    expect(tap.usage).toEqual({ prompt: 5, completion: 7 });
  });

  it('reads the last SSE event that carries usage, across chunk boundaries', async () => {
    const events =
      'data: {"choices":[{"text":"a"}]}\n\n' +
      'data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":2,"prompt_tokens_details":{"cached_tokens":1}}}\n\n' +
      'data: [DONE]\n\n';
    const tap = await through('text/event-stream; charset=utf-8', [
      events.slice(0, 50),
      events.slice(50),
    ]);
    expect(tap.usage).toEqual({ prompt: 3, completion: 2, cached: 1 });
  });

  it("reads a Responses stream's usage inside its last event, with reasoning tokens", async () => {
    const usage = {
      input_tokens: 9,
      input_tokens_details: { cached_tokens: 4 },
      output_tokens: 30,
      output_tokens_details: { reasoning_tokens: 12 },
    };
    const events =
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"a"}\n\n' +
      `event: response.completed\ndata: ${JSON.stringify({ type: 'response.completed', response: { usage } })}\n\n`;
    const tap = await through(
      'text/event-stream',
      [events.slice(0, 70), events.slice(70)],
      RESPONSES_ENDS,
    );
    expect(tap.usage).toEqual({ prompt: 9, completion: 30, cached: 4, reasoning: 12 });
    expect(tap.events).toBe(true);
    expect(tap.streamFailure).toBeUndefined();
  });

  it('says why a stream that names its events ended badly', async () => {
    const delta =
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta"}\n\n';
    const cut = await through('text/event-stream', [delta], RESPONSES_ENDS);
    expect(cut.streamFailure).toBe('it stopped before its last event');
    const failed = await through(
      'text/event-stream',
      [delta, 'event: response.failed\ndata: {"type":"response.failed"}\n\n'],
      RESPONSES_ENDS,
    );
    expect(failed.streamFailure).toBe("it ended with 'response.failed'");
    // Data-only frames (no `event:` lines) are judged by their data's type.
    const dataOnly = (type: string) => `data: {"type":"${type}","sequence_number":1}\n\n`;
    expect(
      (
        await through(
          'text/event-stream',
          [dataOnly('response.output_text.delta'), dataOnly('response.completed')],
          RESPONSES_ENDS,
        )
      ).streamFailure,
    ).toBeUndefined();
    expect(
      (await through('text/event-stream', [dataOnly('response.output_text.delta')], RESPONSES_ENDS))
        .streamFailure,
    ).toBe('it stopped before its last event');
    // Without named ends (chat-style streams, JSON answers) there is nothing to judge.
    expect((await through('text/event-stream', [delta])).streamFailure).toBeUndefined();
    expect(
      (await through('application/json', ['{}'], RESPONSES_ENDS)).streamFailure,
    ).toBeUndefined();
  });

  it('reads further when told to: a Responses answer with an image inline', async () => {
    const big = `{"b64":"${'A'.repeat(300 * 1024)}","usage":{"input_tokens":3,"output_tokens":4}}`;
    const tap = new UsageTap('application/json', undefined, 1024 * 1024);
    tap.resume();
    await pipeline(Readable.from([Buffer.from(big)]), tap);
    expect(tap.usage).toEqual({ prompt: 3, completion: 4 });
  });

  it('leaves binary answers and oversized JSON alone', async () => {
    expect((await through('audio/mpeg', ['{"usage":{"input_tokens":1}}'])).usage).toBeUndefined();
    const big = `{"b64":"${'A'.repeat(300 * 1024)}","usage":{"input_tokens":1}}`;
    expect((await through('application/json', [big])).usage).toBeUndefined();
  });
});

describe(tokensOf.name, () => {
  it('reads both vocabularies and nothing else', () => {
    expect(tokensOf({ input_tokens: 4, output_tokens: 6 })).toEqual({ prompt: 4, completion: 6 });
    expect(tokensOf({ type: 'duration', seconds: 3 })).toBeUndefined();
    expect(tokensOf(null)).toBeUndefined();
    expect(tokensOf({ prompt_tokens: -1, completion_tokens: 'x' })).toBeUndefined();
  });
});
