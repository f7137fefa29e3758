import type { TaskJobView } from '@ai-gateway/resume';
import { PARSE_ANSWER, SAMPLE_RESUME_TEXT } from '@ai-gateway/resume/testing';
import OpenAI from 'openai';
import { pollUntil } from './gateway-runner';
import type { ConsoleGateway } from './console-gateway';
import { ADMIN_KEY, ROUTES } from './console-gateway';

/** A gateway key as `POST /v1/admin/keys` returns it (the only time its secret is shown). */
export interface IssuedKey {
  id: string;
  key: string;
  name: string;
}

/** What the scripted load made, for the specs to look for in the console. */
export interface LoadResult {
  keys: {
    /** Alice's key: the successes, the fallback, the cache hit, the open circuit, the job. */
    app: IssuedKey;
    /** Bob's key (one request): what a gateway key signed in may see of its own. */
    other: IssuedKey;
    /** Two requests a minute: the third of a burst is a 429. */
    burst: IssuedKey;
  };
  /** The caller's request ids (`x-request-id`), as the usage rows keep them. */
  requestIds: {
    successes: string[];
    fallback: string;
    cacheMiss: string;
    cacheHit: string;
    circuit: string[];
    burst: string[];
    other: string;
    stream: string;
  };
  /** The gateway's own id of the fallback request (its `x-request-id` answer header). */
  fallbackGatewayId: string;
  /** The decision trace of the fallback request (`x-gateway-trace`). */
  fallbackTrace: string;
  /** The job whose only run failed (a scripted 503). */
  failedJobId: string;
  /** Statuses of the burst, in order. */
  burstStatuses: number[];
}

const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });

/** Creates a gateway key with the admin key; throws with the answer unless 201. */
export async function createKey(url: string, input: Record<string, unknown>): Promise<IssuedKey> {
  const response = await fetch(`${url}/v1/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST /v1/admin/keys → ${response.status}: ${text}`);
  const body = JSON.parse(text) as { id: string; key: string };
  return { id: body.id, key: body.key, name: String(input.name) };
}

/** The official client with a gateway key, no retries (a 429 must stay a 429). */
export function clientFor(url: string, key: string): OpenAI {
  return new OpenAI({ baseURL: `${url}/v1`, apiKey: key, maxRetries: 0 });
}

/**
 * The console's scripted load, through the official `openai` client and plain fetch:
 * three successes, a fallback (primary 500 → backup), a cache miss then hit, two requests
 * that open `flaky`'s circuit (both served by the fallback), a burst over a key's rate
 * limit (a 429), one request on another key, a streamed request, and a task job whose
 * only run fails. Resolves once every row is in the usage log and the job has failed.
 */
export async function runScriptedLoad(gateway: ConsoleGateway): Promise<LoadResult> {
  const { url, fake } = gateway;
  const app = await createKey(url, { name: 'console-app', userId: 'alice', teamId: 'research' });
  const other = await createKey(url, { name: 'console-other', userId: 'bob' });
  const burst = await createKey(url, {
    name: 'console-burst',
    userId: 'carol',
    limits: { requestsPerMinute: 2 },
  });
  const alice = clientFor(url, app.key);

  const successes = ['load-ok-1', 'load-ok-2', 'load-ok-3'];
  for (const id of successes) {
    await alice.chat.completions.create(
      { model: ROUTES.main, ...ask(`Say hello (${id})`) },
      { headers: { 'x-request-id': id } },
    );
  }

  // The fallback: primary answers one 500, the route moves on to backup.
  fake.enqueue({ status: 500, errorMessage: 'scripted outage' }, 1, { model: 'p-model' });
  const fallback = await alice.chat.completions
    .create(
      { model: ROUTES.main, ...ask('Which provider answers?') },
      { headers: { 'x-request-id': 'load-fallback' } },
    )
    .withResponse();
  const fallbackTrace = fallback.response.headers.get('x-gateway-trace') ?? '';
  const fallbackGatewayId = fallback.response.headers.get('x-request-id') ?? '';
  if (!fallbackTrace.includes('server_error')) {
    throw new Error(`the fallback request did not fall back: trace "${fallbackTrace}"`);
  }

  // The exact cache: the same deterministic request twice, the second a hit.
  const cached = { model: ROUTES.main, temperature: 0, ...ask('What is two plus two?') };
  await alice.chat.completions.create(cached, { headers: { 'x-request-id': 'load-cache-miss' } });
  const hit = await alice.chat.completions
    .create(cached, { headers: { 'x-request-id': 'load-cache-hit' } })
    .withResponse();
  if (hit.response.headers.get('x-gateway-cache') !== 'hit') {
    throw new Error(
      `the repeated request was not a cache hit: ${hit.response.headers.get('x-gateway-cache')}`,
    );
  }

  // Two failures in a row open flaky's circuit; backup serves both requests.
  fake.enqueue({ status: 503, errorMessage: 'scripted overload' }, 2, { model: 'f-model' });
  const circuit = ['load-circuit-1', 'load-circuit-2'];
  for (const id of circuit) {
    await alice.chat.completions.create(
      { model: ROUTES.shaky, ...ask(`Anyone there? (${id})`) },
      { headers: { 'x-request-id': id } },
    );
  }
  // The outcome is recorded after the response: wait for the circuit to show open.
  const states = await pollUntil(
    () =>
      gateway.adminGet<{ data: Array<{ provider: string; state: string }> }>(
        '/v1/providers/status',
      ),
    (status) => status.data.some((p) => p.provider === 'flaky' && p.state === 'open'),
    { timeoutMs: 15_000, everyMs: 50 },
  );
  if (!states.data.some((p) => p.provider === 'flaky' && p.state === 'open')) {
    throw new Error(`flaky's circuit did not open: ${JSON.stringify(states.data)}`);
  }

  // A burst of three on a key allowed two a minute: the third is refused with a 429.
  const burstIds = ['load-burst-1', 'load-burst-2', 'load-burst-3'];
  const burstStatuses: number[] = [];
  for (const id of burstIds) {
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${burst.key}`,
        'content-type': 'application/json',
        'x-request-id': id,
      },
      body: JSON.stringify({ model: ROUTES.main, ...ask(`Burst ${id}`) }),
    });
    await response.arrayBuffer();
    burstStatuses.push(response.status);
  }
  if (burstStatuses[2] !== 429)
    throw new Error(`the burst was not limited: ${burstStatuses.join(', ')}`);

  await clientFor(url, other.key).chat.completions.create(
    { model: ROUTES.main, ...ask('Bob asks once') },
    { headers: { 'x-request-id': 'load-other' } },
  );

  const stream = await alice.chat.completions.create(
    { model: ROUTES.main, stream: true, ...ask('Stream a few words back to me') },
    { headers: { 'x-request-id': 'load-stream' } },
  );
  for await (const chunk of stream) void chunk;

  // A job whose only run fails (scripted 503); the writer answers properly afterwards, so
  // a re-run completes.
  fake.enqueue({ status: 503, errorMessage: 'scripted job failure' }, 1, { model: 'w-model' });
  fake.enqueue({ text: PARSE_ANSWER }, -1, { model: 'w-model' });
  const job = await alice.post<TaskJobView>('/tasks', {
    body: { type: 'parse', input: { resumeText: SAMPLE_RESUME_TEXT }, async: true },
  });
  const failed = await pollUntil(
    () => gateway.adminGet<TaskJobView>(`/v1/jobs/${job.id}`),
    (view) => view.state === 'failed' || view.state === 'completed',
    { timeoutMs: 30_000, everyMs: 50 },
  );
  if (failed.state !== 'failed') throw new Error(`the job did not fail: ${JSON.stringify(failed)}`);

  const requestIds = {
    successes,
    fallback: 'load-fallback',
    cacheMiss: 'load-cache-miss',
    cacheHit: 'load-cache-hit',
    circuit,
    burst: burstIds,
    other: 'load-other',
    stream: 'load-stream',
  };
  await waitForUsageRows(gateway, [
    ...successes,
    'load-fallback',
    'load-cache-miss',
    'load-cache-hit',
    ...circuit,
    'load-burst-1',
    'load-burst-2',
    'load-other',
    'load-stream',
  ]);
  return {
    keys: { app, other, burst },
    requestIds,
    fallbackGatewayId,
    fallbackTrace,
    failedJobId: job.id,
    burstStatuses,
  };
}

/** Waits until the usage log (admin view) holds a row for each of the caller request ids. */
export async function waitForUsageRows(gateway: ConsoleGateway, ids: string[]): Promise<void> {
  const seen = await pollUntil(
    async () => {
      const page = await gateway.adminGet<{ data: Array<{ clientRequestId?: string | null }> }>(
        '/v1/usage/requests?limit=1000',
      );
      return new Set(page.data.map((row) => row.clientRequestId));
    },
    (rows) => ids.every((id) => rows.has(id)),
    { timeoutMs: 20_000, everyMs: 100 },
  );
  const missing = ids.filter((id) => !seen.has(id));
  if (missing.length > 0) throw new Error(`usage rows never appeared for ${missing.join(', ')}`);
}
