import type { ServerResponse } from 'node:http';

/** Headers the reply already had (request ids): a hijacked reply writes them itself. */
export type PresetHeaders = Record<string, string | number | string[] | undefined>;

/** What one door's event stream looks like on the wire. */
export interface EventStreamFormat<T> {
  /** Headers of a started stream besides the SSE ones (the gateway's meta headers). */
  headers: Record<string, string | number | string[]>;
  /** One item as SSE text. */
  frame(item: T): string;
  /** The last frame of a complete stream, when the format has one (`[DONE]`). */
  end?: string;
  /** The JSON answer when nothing was sent yet. */
  refusal(error: unknown): { status: number; body: unknown };
  /** The frame that ends a stream which failed after its first byte. */
  failure(error: unknown): string;
}

/**
 * Writes a stream as server-sent events, the one writer of every door (chat completions,
 * Responses, Messages). A failure after the first byte ends the stream with the format's
 * failure frame and never its end frame, so a client never mistakes a cut answer for a
 * complete one; a reply that cannot start answers with the error as JSON.
 */
export async function writeEventStream<T>(
  raw: ServerResponse,
  stream: AsyncIterable<T>,
  preset: PresetHeaders,
  format: EventStreamFormat<T>,
): Promise<void> {
  try {
    raw.writeHead(200, {
      ...definedOf(preset),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...format.headers,
    });
  } catch (error) {
    // Nothing was sent: answer with the error, and end the stream so the provider call,
    // the caller's concurrency slot and budget hold are given back now.
    await abandon(stream);
    const { status, body } = format.refusal(error);
    if (!raw.headersSent) raw.writeHead(status, { 'content-type': 'application/json' });
    raw.end(JSON.stringify(body));
    return;
  }
  try {
    for await (const item of stream) {
      if (raw.destroyed) break;
      if (!raw.write(format.frame(item))) await waitDrain(raw);
    }
    if (format.end && !raw.destroyed) raw.write(format.end);
  } catch (error) {
    if (!raw.destroyed) raw.write(format.failure(error));
  } finally {
    raw.end();
  }
}

function waitDrain(raw: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      raw.off('drain', done);
      raw.off('close', done);
      resolve();
    };
    raw.on('drain', done);
    raw.on('close', done);
  });
}

/**
 * Ends a stream nobody will read. Its first item is already in hand, so starting it
 * returns at once; `return()` then runs its clean-up (provider stream closed, request
 * settled as cancelled).
 */
async function abandon(stream: AsyncIterable<unknown>): Promise<void> {
  const iterator = stream[Symbol.asyncIterator]();
  try {
    await iterator.next();
    await iterator.return?.(undefined);
  } catch {
    // A stream that failed while being abandoned has settled itself with that failure.
  }
}

function definedOf(headers: PresetHeaders): Record<string, string | number | string[]> {
  const defined: Record<string, string | number | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) defined[name] = value;
  }
  return defined;
}
