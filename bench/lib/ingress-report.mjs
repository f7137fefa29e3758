// Figures and tables of the ingress benchmark (bench/ingress.mjs): each door against the
// direct baseline and against chat completions, pooled over the alternating rounds.
import { markdownTable, textTable } from './report.mjs';

/** The bound: a new door may cost at most 30 % more than chat completions. */
export const BOUND = 1.3;

const fmt = {
  int: (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-'),
  ms: (v) => (Number.isFinite(v) ? v.toFixed(v < 10 ? 2 : 1) : '-'),
  signedMs: (v) => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${v.toFixed(2)}` : '-'),
  ratio: (v) => (Number.isFinite(v) ? `${v.toFixed(2)}×` : '-'),
};
const mean = (values) => values.reduce((a, b) => a + b, 0) / values.length;
const sum = (values) => values.reduce((a, b) => a + b, 0);

/**
 * `runs`: `{ round, mode, connections, target, run }` in the order measured. One row per
 * (mode, connections, target): req/s and p50/p99 averaged over the rounds, CPU µs/req
 * pooled (all CPU time ÷ all requests), added p50 against the direct p50 of the same
 * rounds, and each new door's ratios to chat completions, per round and overall.
 */
export function buildIngressRows(runs) {
  const cells = new Map();
  for (const entry of runs) {
    const key = `${entry.mode}|${entry.connections}`;
    if (!cells.has(key))
      cells.set(key, { mode: entry.mode, connections: entry.connections, by: {} });
    (cells.get(key).by[entry.target] ??= []).push(entry);
  }
  const rows = [];
  for (const cell of cells.values()) {
    const directP50ByRound = new Map(
      (cell.by.direct ?? []).map((e) => [e.round, e.run.latencyMs.p50]),
    );
    const figures = {};
    for (const [target, entries] of Object.entries(cell.by)) {
      const perRound = entries.map(({ round, run }) => {
        const cpu = run.gatewayProcess;
        return {
          round,
          rps: run.rps,
          p50: run.latencyMs.p50,
          p99: run.latencyMs.p99,
          addedP50: run.latencyMs.p50 - (directP50ByRound.get(round) ?? NaN),
          cpuUsPerReq: target === 'direct' ? NaN : (cpu.cpuMs * 1000) / run.requests,
        };
      });
      const gateway = target === 'direct' ? [] : entries.map((e) => e.run.gatewayProcess);
      figures[target] = {
        target,
        mode: cell.mode,
        connections: cell.connections,
        rounds: perRound.length,
        perRound,
        rps: mean(perRound.map((r) => r.rps)),
        p50: mean(perRound.map((r) => r.p50)),
        p99: mean(perRound.map((r) => r.p99)),
        addedP50: target === 'direct' ? NaN : mean(perRound.map((r) => r.addedP50)),
        cpuUsPerReq: gateway.length
          ? (sum(gateway.map((g) => g.cpuMs)) * 1000) / sum(entries.map((e) => e.run.requests))
          : NaN,
        cpuPercent: gateway.length
          ? (sum(gateway.map((g) => g.cpuMs)) / sum(gateway.map((g) => g.wallMs))) * 100
          : NaN,
        peakRssMb: gateway.length ? Math.max(...gateway.map((g) => g.peakRssMb)) : NaN,
      };
    }
    const chat = figures.chat;
    for (const f of Object.values(figures)) {
      if (chat && f.target !== 'direct' && f.target !== 'chat') {
        f.cpuRatio = f.cpuUsPerReq / chat.cpuUsPerReq;
        f.addedRatio = f.addedP50 / chat.addedP50;
        const chatByRound = new Map(chat.perRound.map((r) => [r.round, r]));
        const paired = f.perRound.filter((r) => chatByRound.has(r.round));
        f.cpuRatios = paired.map((r) => r.cpuUsPerReq / chatByRound.get(r.round).cpuUsPerReq);
        f.addedRatios = paired.map((r) => r.addedP50 / chatByRound.get(r.round).addedP50);
      }
      rows.push(f);
    }
  }
  return rows;
}

const range = (values) =>
  values?.length > 1
    ? ` (${fmt.ratio(Math.min(...values))}–${fmt.ratio(Math.max(...values))})`
    : '';

const COLUMNS = [
  ['Mode', (r) => (r.mode === 'stream' ? 'streaming' : 'non-streaming')],
  ['Conns', (r) => String(r.connections)],
  ['Door', (r) => (r.target === 'direct' ? 'direct (fake)' : r.target), 'left'],
  ['req/s', (r) => fmt.int(r.rps)],
  ['p50 / p99 (ms)', (r) => `${fmt.ms(r.p50)} / ${fmt.ms(r.p99)}`],
  ['Added p50 (ms)', (r) => fmt.signedMs(r.addedP50)],
  ['CPU µs/req', (r) => fmt.int(r.cpuUsPerReq)],
  ['Gateway CPU %', (r) => fmt.int(r.cpuPercent)],
  [
    'CPU/req ÷ chat',
    (r) => (r.cpuRatio === undefined ? '' : `${fmt.ratio(r.cpuRatio)}${range(r.cpuRatios)}`),
  ],
  [
    'Added p50 ÷ chat',
    (r) => (r.addedRatio === undefined ? '' : `${fmt.ratio(r.addedRatio)}${range(r.addedRatios)}`),
  ],
];

/** Each new door's ratios checked against the bound, one line per figure. */
export function checkBound(rows) {
  const checks = [];
  for (const r of rows) {
    if (r.cpuRatio === undefined) continue;
    const mode = r.mode === 'stream' ? 'streaming' : 'non-streaming';
    for (const [figure, value, perRound] of [
      ['CPU µs/req', r.cpuRatio, r.cpuRatios],
      ['added p50', r.addedRatio, r.addedRatios],
    ]) {
      checks.push({
        door: r.target,
        scenario: `${mode}, ${r.connections} conn${r.connections === 1 ? '' : 's'}`,
        figure,
        value,
        worstRound: Math.max(...perRound),
        met: value <= BOUND,
      });
    }
  }
  return checks;
}

const CHECK_COLUMNS = [
  ['Door', (c) => c.door, 'left'],
  ['Scenario', (c) => c.scenario, 'left'],
  ['Figure', (c) => c.figure, 'left'],
  ['÷ chat (pooled)', (c) => fmt.ratio(c.value)],
  ['Worst round', (c) => fmt.ratio(c.worstRound)],
  [
    `≤ ${fmt.ratio(BOUND)}`,
    (c) => (c.met ? 'yes' : `NO (+${((c.value - BOUND) * 100).toFixed(0)} points over)`),
    'left',
  ],
];

const LEGEND = [
  'req/s, p50 / p99: the mean over the rounds; latency is the time to the complete response (the whole stream when streaming), per request from autocannon’s response events.',
  'Added p50: door p50 − direct p50 of the same round and scenario, averaged over the rounds.',
  'CPU µs/req: gateway user + system CPU time (/proc, 10 ms ticks) over all rounds ÷ all requests of those runs.',
  '÷ chat: the door’s figure over chat completions’ in the same scenario (pooled; per-round range in brackets). At 64 connections the gateway is saturated and the added p50 is mostly queueing (it follows CPU/req); at 1 connection it is the per-request latency.',
];

/** The plain-text report (stdout). */
export function ingressTextReport({ rows, checks }) {
  return [
    'Doors against chat completions (same upstream, same prompt)',
    textTable(COLUMNS, rows),
    '',
    `Bound (issue 15): each new door ≤ ${fmt.ratio(BOUND)} chat completions`,
    textTable(CHECK_COLUMNS, checks),
    '',
    ...LEGEND.map((line) => `- ${line}`),
  ].join('\n');
}

/** The same tables in Markdown with the run's settings, for docs/BENCHMARKS.md. */
export function ingressMarkdownReport({ rows, checks, meta }) {
  return [
    `Run ${meta.startedAt} · Node ${meta.node} · ${meta.cpu} · gateway on core ${meta.gatewayCore}, fake provider and load on core ${meta.loadCore} · provider kind \`${meta.providerKind}\` · ${meta.rounds} rounds, ${meta.seconds} s per run after ${meta.warmupSeconds} s warm-up, doors alternating · other processes took at most ${meta.maxOthersPercent.toFixed(0)} % of a pinned core during a kept run (${meta.discardedRuns} runs over ${meta.noiseLimitPercent} % repeated) · load average ${meta.loadAverageBefore.toFixed(2)} before, ${meta.loadAverageAfter.toFixed(2)} after`,
    '',
    markdownTable(COLUMNS, rows),
    '',
    markdownTable(CHECK_COLUMNS, checks),
    '',
    ...LEGEND.map((line) => `- ${line}`),
  ].join('\n');
}
