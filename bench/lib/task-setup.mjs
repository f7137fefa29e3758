// Setup of the task benchmark (bench/tasks.mjs): the parse task's input and model answer,
// the fake provider's script, and the worker's config.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

// Stand-ins until dist/ has libs/resume/src/testing (PARSE_ANSWER, SAMPLE_RESUME_TEXT).
const PLACEHOLDER_RESUME = [
  'Richard Hendriks',
  'Software Engineer · Palo Alto, CA · richard@example.com',
  'Experience: Pied Piper, CEO and lead engineer, 2014 to now. Built a middle-out',
  'compression platform; grew the team to 20 engineers.',
  'Hooli, Software Engineer, 2012 to 2014. Worked on the Nucleus compression library.',
  'Education: Stanford University, B.S. Computer Science, 2008 to 2012.',
  'Skills: Python, C++, distributed systems, compression algorithms.',
].join('\n');
const PLACEHOLDER_ANSWER = JSON.stringify({
  resume: {
    basics: {
      name: 'Richard Hendriks',
      label: 'Software Engineer',
      email: 'richard@example.com',
      location: { city: 'Palo Alto', region: 'CA' },
    },
    work: [
      { name: 'Pied Piper', position: 'CEO and lead engineer', startDate: '2014' },
      { name: 'Hooli', position: 'Software Engineer', startDate: '2012', endDate: '2014' },
    ],
    education: [
      {
        institution: 'Stanford University',
        area: 'Computer Science',
        studyType: 'B.S.',
        startDate: '2008',
        endDate: '2012',
      },
    ],
    skills: [{ name: 'Programming', keywords: ['Python', 'C++'] }],
  },
  confidence: { basics: 0.95, work: 0.9, education: 0.9, skills: 0.8 },
});

/**
 * The parse task's sample resume and a model answer that passes its checks: the resume
 * library's testing module in dist/ when built, else the placeholders above (with a warning).
 */
export function parseFixtures(root, log) {
  const path = join(root, 'dist/libs/resume/src/testing/index.js');
  if (existsSync(path)) {
    try {
      const { PARSE_ANSWER, SAMPLE_RESUME_TEXT } = require(path);
      if (typeof PARSE_ANSWER === 'string' && typeof SAMPLE_RESUME_TEXT === 'string')
        return { answer: PARSE_ANSWER, resume: SAMPLE_RESUME_TEXT, source: 'library' };
      log('warning: resume testing module lacks PARSE_ANSWER or SAMPLE_RESUME_TEXT');
    } catch (error) {
      // tools/build.mjs leaves `*.fixtures.ts` out of dist/, and the testing index needs them.
      const hint = /\.fixtures'/.test(error.message) ? ' (dist/ has no *.fixtures.js)' : '';
      log(`warning: cannot load the resume testing module${hint}: ${error.message.split('\n')[0]}`);
    }
  }
  log('warning: using the benchmark placeholder resume and parse answer');
  return { answer: PLACEHOLDER_ANSWER, resume: PLACEHOLDER_RESUME, source: 'placeholder' };
}

/** From now on every `bench-model` call of the fake answers `answer` after `latencyMs`. */
export async function scriptFake(fakeUrl, answer, latencyMs) {
  for (const [path, method] of [
    ['/_fake/scripts', 'DELETE'],
    ['/_fake/requests', 'DELETE'], // the fake keeps recent requests: free them between runs
  ]) {
    const res = await fetch(`${fakeUrl}${path}`, { method });
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}`);
  }
  const res = await fetch(`${fakeUrl}/_fake/scripts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      script: { text: answer, latencyMs },
      times: -1,
      match: { model: 'bench-model' },
    }),
  });
  if (!res.ok) throw new Error(`POST /_fake/scripts: HTTP ${res.status}`);
}

/** The worker's YAML config for one run: its own queue and key prefix, and concurrency. */
export function workerConfig({ fakeUrl, redisUrl, prefix, concurrency }) {
  return [
    'logging: { level: warn }',
    'providers:',
    '  fake:',
    '    kind: openai-compatible',
    `    baseUrl: ${fakeUrl}/v1`,
    '    models: [bench-model]',
    'routes:',
    '  resume: { targets: [fake/bench-model] }',
    // Inputs differ anyway; a cache would only add lookups that never hit.
    'cache: { backend: disabled }',
    `redis: { url: '${redisUrl}', keyPrefix: '${prefix}:' }`,
    'tasks:',
    `  queue: { prefix: ${prefix}, attempts: 1 }`,
    `  worker: { concurrency: ${concurrency} }`,
    '',
  ].join('\n');
}
