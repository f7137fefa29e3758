// Tables (plain text and Markdown) and the goal check of the hedging benchmark.
import { markdownTable, textTable } from './report.mjs';

const fmt = {
  int: (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-'),
  ms: (v) =>
    Number.isFinite(v) ? (v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)) : '-',
  ratio: (v) => (Number.isFinite(v) ? v.toFixed(3) : '-'),
  pct: (v) => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${v.toFixed(1)} %` : '-'),
};

/** One row per measured phase. */
export function buildRows(phases) {
  return phases.map((p) => {
    const r = p.result;
    const secondary = r.servedBy[p.secondary];
    return {
      mode: p.mode === 'stream' ? 'streaming' : 'non-streaming',
      rawMode: p.mode,
      route: p.route,
      kind: p.kind,
      delay: p.delayLabel,
      requests: r.requests,
      ok: r.ok,
      p50: r.latencyMs.p50,
      p90: r.latencyMs.p90,
      p99: r.latencyMs.p99,
      max: r.latencyMs.max,
      hedges: p.hedges,
      upstreamPerRequest: p.upstreamCalls / r.requests,
      attemptsPerResponse: r.ok ? r.attempts / r.ok : NaN,
      servedBySecondary: secondary?.count ?? 0,
      // Requests the hedge served: their latency is the effective hedge delay plus the
      // secondary's own time, which shows what a measured (p95) delay settled on.
      secondaryP50: secondary?.p50 ?? NaN,
      cancelled: p.fake.aborted,
      cancelledAfterP50: p.fake.abortedAfterP50,
      slowCompleted: p.fake.completedSlow,
      failures: r.failures,
    };
  });
}

const COLUMNS = [
  ['Mode', (r) => r.mode],
  ['Route', (r) => `\`${r.route}\``, 'left'],
  ['Hedge delay', (r) => r.delay, 'left'],
  ['Requests', (r) => fmt.int(r.requests)],
  ['p50 (ms)', (r) => fmt.ms(r.p50)],
  ['p90 (ms)', (r) => fmt.ms(r.p90)],
  ['p99 (ms)', (r) => fmt.ms(r.p99)],
  ['max (ms)', (r) => fmt.ms(r.max)],
  ['Hedges', (r) => fmt.int(r.hedges)],
  ['Upstream calls/req', (r) => fmt.ratio(r.upstreamPerRequest)],
  [
    'Served by hedge (p50 ms)',
    (r) => `${fmt.int(r.servedBySecondary)} (${fmt.ms(r.secondaryP50)})`,
  ],
  [
    'Losers cancelled (after, p50 ms)',
    (r) => `${fmt.int(r.cancelled)} (${fmt.ms(r.cancelledAfterP50)})`,
  ],
  ['Calls run ≥ 1 s', (r) => fmt.int(r.slowCompleted)],
];

/** Each hedged phase against the plain phase of the same mode. */
export function comparisons(rows) {
  const out = [];
  for (const row of rows) {
    if (row.kind === 'plain') continue;
    const plain = rows.find((r) => r.kind === 'plain' && r.rawMode === row.rawMode);
    if (!plain) continue;
    out.push({
      mode: row.mode,
      route: row.route,
      delay: row.delay,
      p99Before: plain.p99,
      p99After: row.p99,
      p99Change: ((row.p99 - plain.p99) / plain.p99) * 100,
      extraCalls:
        ((row.upstreamPerRequest - plain.upstreamPerRequest) / plain.upstreamPerRequest) * 100,
    });
  }
  return out;
}

const COMPARE_COLUMNS = [
  ['Mode', (c) => c.mode],
  ['Hedged route', (c) => `\`${c.route}\` (${c.delay})`, 'left'],
  ['p99 plain (ms)', (c) => fmt.ms(c.p99Before)],
  ['p99 hedged (ms)', (c) => fmt.ms(c.p99After)],
  ['p99 change', (c) => fmt.pct(c.p99Change)],
  ['Extra upstream calls', (c) => fmt.pct(c.extraCalls)],
];

/**
 * Goals of issue 3 ("Must show" 6), for every hedged phase: p99 well under the 2 s tail
 * (below half of it), for at most `maxExtraPct` % more upstream calls than plain.
 */
export function checkGoals(compared, { slowMs, maxExtraPct }) {
  return compared.map((c) => {
    const p99Ok = c.p99After < slowMs / 2;
    const callsOk = c.extraCalls <= maxExtraPct;
    const misses = [];
    if (!p99Ok) misses.push(`p99 ${fmt.ms(c.p99After)} ms, not under ${slowMs / 2} ms`);
    if (!callsOk) misses.push(`${fmt.pct(c.extraCalls)} calls, over +${maxExtraPct} %`);
    return {
      goal: `${c.mode} \`${c.route}\` (${c.delay}): p99 < ${fmt.int(slowMs / 2)} ms, ≤ +${maxExtraPct} % calls`,
      value: `${fmt.ms(c.p99After)} ms, ${fmt.pct(c.extraCalls)}`,
      met: p99Ok && callsOk,
      miss: misses.join('; '),
    };
  });
}

const GOAL_COLUMNS = [
  ['Goal', (g) => g.goal, 'left'],
  ['Measured', (g) => g.value],
  ['Met', (g) => (g.met ? 'yes' : `NO: ${g.miss}`), 'left'],
];

/** The human-readable report. */
export function textReport({ rows, compared, goals }) {
  return [
    'Latency per phase (closed loop; latency = full response, streamed or not)',
    textTable(COLUMNS, rows),
    '',
    'p99 before/after hedging',
    textTable(COMPARE_COLUMNS, compared),
    '',
    'Goals (issue 3, must-show 6)',
    textTable(GOAL_COLUMNS, goals),
  ].join('\n');
}

/** The same in Markdown, for docs/BENCHMARKS.md. */
export function markdownReport({ rows, compared, goals, meta }) {
  return [
    `Run ${meta.startedAt} · Node ${meta.node} · ${meta.cpu} · gateway on core ${meta.gatewayCore}, fake provider and load on core ${meta.loadCore} · ${meta.requests.toLocaleString('en-US')} requests per phase at concurrency ${meta.concurrency} · slow tail: ${meta.slowShare * 100} % of \`slow-model\` calls ${meta.slowMs} ms late (seed ${meta.seed}) · load average ${meta.loadAverageBefore.toFixed(2)} before`,
    '',
    markdownTable(COLUMNS, rows),
    '',
    markdownTable(COMPARE_COLUMNS, compared),
    '',
    markdownTable(GOAL_COLUMNS, goals),
  ].join('\n');
}
