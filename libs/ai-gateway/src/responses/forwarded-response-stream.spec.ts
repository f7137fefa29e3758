import { PassThrough } from 'node:stream';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import type { PassthroughResult } from '../passthrough/passthrough.types';
import type { ResponseMeta } from '../shared/call-result';
import { ForwardedResponseStream } from './forwarded-response-stream';
import type { ResponseObject, ResponseStreamEvent } from './responses.types';

const META: ResponseMeta = {
  requestId: 'r1',
  provider: 'openai',
  model: 'gpt-4.1',
  fake: false,
  attempts: [],
  latencyMs: 0,
};

const frame = (event: Record<string, unknown>): string =>
  `event: ${String(event.type)}\ndata: ${JSON.stringify(event)}\n\n`;

function streamOf(frames: string[], end: 'end' | 'cut' = 'end') {
  const body = new PassThrough();
  const result: PassthroughResult = {
    status: 200,
    headers: { 'content-type': 'text/event-stream' },
    body,
    meta: META,
    closed: Promise.resolve(),
  };
  const order: string[] = [];
  const stream = new ForwardedResponseStream(result, 'openai', (response) => {
    order.push(`stored ${response.id}`);
    return Promise.resolve();
  });
  // Written in pieces that split frames, as a network would.
  const text = frames.join('');
  setImmediate(() => {
    body.write(text.slice(0, 25));
    body.write(text.slice(25));
    if (end === 'end') body.end();
    else body.destroy(new Error('socket hang up'));
  });
  return { stream, order, body };
}

async function drain(
  stream: ForwardedResponseStream,
  order: string[],
): Promise<{ events: ResponseStreamEvent[]; error?: unknown }> {
  const events: ResponseStreamEvent[] = [];
  try {
    for await (const event of stream) {
      events.push(event);
      order.push(event.type);
    }
    return { events };
  } catch (error) {
    return { events, error };
  }
}

const created = { type: 'response.created', sequence_number: 0, response: { id: 'resp_a' } };
const delta = { type: 'response.output_text.delta', sequence_number: 1, delta: 'hi' };
const completed = {
  type: 'response.completed',
  sequence_number: 2,
  response: { id: 'resp_a', status: 'completed' } as Partial<ResponseObject>,
};

describe(ForwardedResponseStream.name, () => {
  it("yields OpenAI's events as sent and stores the response before its last event", async () => {
    const { stream, order } = streamOf([created, delta, completed].map(frame));
    const { events, error } = await drain(stream, order);
    expect(error).toBeUndefined();
    expect(events).toEqual([created, delta, completed]);
    expect(order).toEqual([
      'response.created',
      'response.output_text.delta',
      'stored resp_a',
      'response.completed',
    ]);
    expect(stream.nextSequence()).toBe(3);
    expect(stream.meta).toBe(META);
  });

  it('a stream that stops before its last event throws stream_interrupted, stored nothing', async () => {
    const { stream, order } = streamOf([created, delta].map(frame));
    const { events, error } = await drain(stream, order);
    expect(events).toHaveLength(2);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe(GatewayErrorCode.STREAM_INTERRUPTED);
    expect(order).not.toContain('stored resp_a');
  });

  it('a cut connection is stream_interrupted too, never a raw socket error', async () => {
    const { stream, order } = streamOf([created, delta].map(frame), 'cut');
    const { error } = await drain(stream, order);
    expect((error as GatewayError).code).toBe(GatewayErrorCode.STREAM_INTERRUPTED);
  });

  it("passes response.failed on, then throws the provider's reason", async () => {
    const failed = {
      type: 'response.failed',
      sequence_number: 2,
      response: { id: 'resp_a', error: { code: 'server_error', message: 'overloaded' } },
    };
    const { stream, order } = streamOf(
      [created, frame(failed)].map((f) => (typeof f === 'string' ? f : frame(f))),
    );
    const { events, error } = await drain(stream, order);
    expect(events.map((e) => e.type)).toEqual(['response.created', 'response.failed']);
    expect((error as GatewayError).message).toContain('overloaded');
    expect(stream.nextSequence()).toBe(3);
  });

  it("turns OpenAI's own error event into the one failure, not a second error event", async () => {
    const error = { type: 'error', sequence_number: 2, code: 'server_error', message: 'boom' };
    const { stream, order } = streamOf([created, error].map(frame));
    const { events, error: thrown } = await drain(stream, order);
    expect(events.map((e) => e.type)).toEqual(['response.created']);
    expect((thrown as GatewayError).message).toContain('boom');
    expect(stream.nextSequence()).toBe(3);
  });

  it('lets the upstream go when the caller stops reading', async () => {
    const { stream, body } = streamOf([created, delta, completed].map(frame));
    for await (const event of stream) {
      expect(event.type).toBe('response.created');
      break;
    }
    expect(body.destroyed).toBe(true);
  });
});
