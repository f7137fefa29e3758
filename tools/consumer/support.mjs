// Helpers of tools/consumer-test.mjs: the parse task's sample (a resume and the answers a model
// gives for it), the processes it starts and the JSON requests it sends.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';

export const SAMPLE_RESUME = [
  'Ada Lovelace',
  'Analyst and programmer · ada@lovelace.example · London',
  '',
  'Experience',
  'Analytical Engine Company, Programmer, 1842-01 to 1843-09',
  'Wrote the first published algorithm meant for the engine.',
  '',
  'Education',
  'University of London, Mathematics, 1835-01 to 1840-06',
].join('\n');

/** A valid `parse` answer for SAMPLE_RESUME when `employer` is the one it names. */
export const parseAnswer = (employer) =>
  JSON.stringify({
    resume: {
      basics: {
        name: 'Ada Lovelace',
        label: 'Analyst and programmer',
        email: 'ada@lovelace.example',
      },
      work: [{ name: employer, position: 'Programmer', startDate: '1842-01', endDate: '1843-09' }],
      education: [
        {
          institution: 'University of London',
          area: 'Mathematics',
          startDate: '1835-01',
          endDate: '1840-06',
        },
      ],
    },
    confidence: { basics: 0.95, work: 0.9, education: 0.85 },
  });

/** Starts a process and resolves with the first match of `ready` in its output. */
export function startProcess(node, argv, { cwd, env, ready, name, children }) {
  const child = spawn(node, argv, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start in 60 s:\n${output}`)),
      60_000,
    );
    const read = (chunk) => {
      output += chunk;
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${output}`));
    });
  });
  const stop = async () => {
    child.kill('SIGTERM');
    const { code, signal } = await exited;
    children.delete(child);
    assert.ok(
      code === 0 || signal === 'SIGTERM',
      `${name} stopped with ${signal ?? code}:\n${output}`,
    );
  };
  return started.then((match) => ({ match, stop }));
}

export async function get(url) {
  const response = await fetch(url);
  const body = await response.json();
  assert.equal(response.status, 200, `GET ${url}: ${JSON.stringify(body)}`);
  return body;
}

export async function post(url, payload) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  const body = await response.json();
  assert.ok(response.status < 300, `POST ${url}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}
