// Tenant A of the noisy-neighbour e2e spec, in a process of its own at the lowest CPU
// priority: in production the abusive client runs on someone else's machine, so its own
// work (building and sending megabyte bodies) must not compete with the gateway or with
// tenant B's client for this machine's two cores. What the gateway does with A's traffic
// is what the spec measures.
//
// Driven over IPC: { attack: true } starts every abuse at once, { attack: false } cuts
// them, waits until each loop has returned and answers { seen } (status counts per abuse).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

const { url, key, bombPath } = JSON.parse(process.env.TENANT_A ?? '{}');
const bomb = readFileSync(bombPath, 'utf8');
const ask = (content) => [{ role: 'user', content }];
// Built once: the client's own work stays small next to the gateway's.
const hugeBody = JSON.stringify({ model: 'up/shared', messages: ask('a'.repeat(1_000_000)) });

function post(path, body, signal, headers = {}) {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
}

async function attack(stop) {
  const seen = {};
  const count = (what, status) => {
    const label = `${what}:${status}`;
    seen[label] = (seen[label] ?? 0) + 1;
  };
  const loop = async (what, once) => {
    while (!stop.aborted) {
      const status = await once()
        .then(async (response) => {
          await response.text();
          return response.status;
        })
        .catch(() => (stop.aborted ? -1 : 0));
      if (status !== -1) count(what, status);
    }
  };
  const held = Array.from({ length: 40 }, async () => {
    try {
      const response = await post(
        '/v1/chat/completions',
        { model: 'up/held', stream: true, messages: ask('hold') },
        stop,
      );
      count('held-stream', response.status);
      await response.text();
    } catch {
      // Cut at the end of the attack, as intended.
    }
  });
  const timeout = () => AbortSignal.any([stop, AbortSignal.timeout(60_000)]);
  await Promise.all([
    ...held,
    loop('1ms-timer', () =>
      post('/v1/chat/completions', { model: 'up/shared', messages: ask('x') }, timeout(), {
        'x-gateway-attempt-timeout-ms': '1',
      }),
    ),
    loop('first-token-1ms', () =>
      post(
        '/v1/chat/completions',
        {
          model: 'up/shared',
          stream: true,
          messages: ask('x'),
          gateway: { timeouts: { firstTokenMs: 1 } },
        },
        timeout(),
      ),
    ),
    loop('huge-prompt', () => post('/v1/chat/completions', hugeBody, timeout())),
    loop('random-model', () =>
      post(
        '/v1/chat/completions',
        { model: `up/${randomBytes(6).toString('hex')}`, messages: ask('x') },
        timeout(),
      ),
    ),
    loop('file-bomb', () =>
      post(
        '/v1/tasks',
        { type: 'parse', input: { file: { filename: 'cv.docx', contentBase64: bomb } } },
        timeout(),
      ),
    ),
    loop('task-flood', () =>
      post(
        '/v1/tasks',
        {
          type: 'parse',
          async: true,
          input: { resumeText: `Jane Doe ${'Engineer. '.repeat(2_000)}` },
        },
        timeout(),
      ),
    ),
  ]);
  return seen;
}

let running;
process.on('message', (message) => {
  if (message.attack && !running) {
    const controller = new AbortController();
    running = { controller, done: attack(controller.signal) };
    process.send({ started: true });
  } else if (!message.attack && running) {
    const { controller, done } = running;
    running = undefined;
    controller.abort();
    void done.then((seen) => process.send({ seen }));
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
