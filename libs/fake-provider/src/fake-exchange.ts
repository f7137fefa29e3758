import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FakeScript } from './fake-script';
import type { FakeOperation } from './fake-operation';
import type { FakeState } from './fake-state';

/** One request as the fake recorded it, for tests to assert what reached the "provider". */
export interface RecordedRequest {
  format: string;
  operation: FakeOperation | 'other';
  method: string;
  path: string;
  /** Model id the request named, when it named one. */
  model?: string;
  stream: boolean;
  /** The API key the request carried (header or query), as sent. */
  apiKey?: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  receivedAt: number;
}

/** Everything a wire-format route needs to answer one request. */
export interface FakeExchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Regex groups of the matched route. */
  params: string[];
  /**
   * Parsed JSON body (undefined for GET or an empty body); a multipart body as its fields,
   * with each file as `{ filename, contentType, size }` (see `fake-multipart.ts`).
   */
  body: unknown;
  script: FakeScript;
  /** What the server keeps between requests (files, batches) and the scripts of later calls. */
  state: FakeState;
  /** Resolves after `ms`, early if the client went away. */
  sleep(ms: number | undefined): Promise<void>;
  /** True once the client closed the connection. */
  readonly closed: boolean;
}

/** The exchange of one request: its parts, its script, and a sleep that ends when the client goes. */
export function createExchange(
  parts: Pick<FakeExchange, 'req' | 'res' | 'url' | 'params' | 'body' | 'script' | 'state'>,
): FakeExchange {
  const { res } = parts;
  let closed = false;
  res.on('close', () => (closed = true));
  return {
    ...parts,
    get closed() {
      return closed;
    },
    sleep: (ms) =>
      !ms || ms <= 0 || closed
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const timer = setTimeout(done, ms);
            function done(): void {
              clearTimeout(timer);
              res.off('close', done);
              resolve();
            }
            res.on('close', done);
          }),
  };
}

export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString('utf8');
}

/** The whole body as bytes (uploads are binary). */
export function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

export function startEventStream(res: ServerResponse, contentType = 'text/event-stream'): void {
  res.writeHead(200, {
    'content-type': contentType,
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.flushHeaders();
}

/** Writes one SSE event (`event:` line only when given). */
export function writeSse(res: ServerResponse, data: unknown, event?: string): void {
  const json = typeof data === 'string' ? data : JSON.stringify(data);
  res.write(event ? `event: ${event}\ndata: ${json}\n\n` : `data: ${json}\n\n`);
}

/**
 * Closes the connection without finishing the response (no terminating chunk), as a
 * crashing upstream would. What was already written is flushed first, so the client
 * sees a partial body and then the cut.
 */
export function cutConnection(res: ServerResponse): void {
  // Node 24 ends the socket before chunks already written are flushed; the empty write's
  // callback runs once they are on the wire, so the cut comes after them on every Node.
  res.write('', () => res.socket?.end());
}

/**
 * The body faults of a non-streaming answer: `malformed` sends a 200 whose JSON breaks
 * off, `disconnect` promises a longer body and cuts the connection after `partialJson`.
 * Returns true when a fault was sent (the route must not answer again).
 */
export function sendBodyFault(ex: FakeExchange, partialJson: string): boolean {
  if (ex.script.fault === 'malformed') {
    ex.res.writeHead(200, { 'content-type': 'application/json' });
    ex.res.end(partialJson);
    return true;
  }
  if (ex.script.fault === 'disconnect') {
    ex.res.writeHead(200, { 'content-type': 'application/json', 'content-length': 4096 });
    ex.res.write(partialJson);
    setImmediate(() => cutConnection(ex.res));
    return true;
  }
  return false;
}

/**
 * Streams `count` items with the script's pacing and faults: waits `ttftMs` before the
 * first item and `chunkDelayMs` between items; for `disconnect` / `error-event` /
 * `malformed` faults, stops after `faultAfterChunks` items and calls `onFault`.
 * Returns false when the stream was cut (the caller must not finish it).
 */
export async function paceStream(
  ex: FakeExchange,
  count: number,
  writeItem: (index: number) => void,
  onFault: (fault: 'disconnect' | 'error-event' | 'malformed') => void,
): Promise<boolean> {
  const { script } = ex;
  const streamFault =
    script.fault === 'disconnect' || script.fault === 'error-event' || script.fault === 'malformed'
      ? script.fault
      : undefined;
  const faultAt = streamFault ? Math.min(script.faultAfterChunks ?? 1, count) : -1;
  await ex.sleep(script.ttftMs);
  for (let index = 0; index < count; index++) {
    if (ex.closed) return false;
    if (index === faultAt && streamFault) {
      onFault(streamFault);
      return false;
    }
    if (index > 0) await ex.sleep(script.chunkDelayMs);
    writeItem(index);
  }
  if (faultAt === count && streamFault) {
    onFault(streamFault);
    return false;
  }
  return !ex.closed;
}
