import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordedRequest } from './fake-exchange';
import { readBody, sendJson } from './fake-exchange';
import type { FakeScript, QueuedScript } from './fake-script';

/** What the admin endpoints act on: the server's queue and records. */
export interface FakeAdminTarget {
  enqueue(
    script: FakeScript,
    times: number,
    match?: QueuedScript['match'],
    probability?: number,
  ): void;
  clearScripts(): void;
  clearRequests(): void;
  /** Forgets uploaded files and batches. */
  clearStore(): void;
  /** Scripts, records and the store, all cleared. */
  reset(): void;
  readonly requestCount: number;
  readonly inFlight: number;
  readonly maxInFlight: number;
  readonly requests: readonly RecordedRequest[];
}

interface ScriptsBody {
  script?: FakeScript;
  scripts?: FakeScript[];
  times?: number;
  match?: QueuedScript['match'];
  probability?: number;
}

/**
 * `POST /_fake/scripts` (queue `{ script | scripts, times?, match?, probability? }`),
 * `DELETE /_fake/scripts`, `GET /_fake/requests` (recorded requests with the in-flight
 * figures), `DELETE /_fake/requests`, `DELETE /_fake/store` (uploaded files and batches),
 * `POST /_fake/reset` (all of these): how a test in another process drives the fake.
 */
export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  target: FakeAdminTarget,
): Promise<void> {
  if (url.pathname === '/_fake/scripts' && req.method === 'POST') {
    const body = JSON.parse((await readBody(req)) || '{}') as ScriptsBody;
    const scripts = body.scripts ?? (body.script ? [body.script] : []);
    for (const script of scripts) {
      target.enqueue(script, body.times ?? 1, body.match, body.probability);
    }
    sendJson(res, 200, { queued: scripts.length });
  } else if (url.pathname === '/_fake/scripts' && req.method === 'DELETE') {
    target.clearScripts();
    sendJson(res, 200, { cleared: true });
  } else if (url.pathname === '/_fake/requests' && req.method === 'GET') {
    sendJson(res, 200, {
      count: target.requestCount,
      inFlight: target.inFlight,
      maxInFlight: target.maxInFlight,
      requests: target.requests,
    });
  } else if (url.pathname === '/_fake/requests' && req.method === 'DELETE') {
    target.clearRequests();
    sendJson(res, 200, { cleared: true });
  } else if (url.pathname === '/_fake/store' && req.method === 'DELETE') {
    target.clearStore();
    sendJson(res, 200, { cleared: true });
  } else if (url.pathname === '/_fake/reset' && req.method === 'POST') {
    target.reset();
    sendJson(res, 200, { reset: true });
  } else {
    sendJson(res, 404, { error: { message: 'unknown admin endpoint' } });
  }
}
