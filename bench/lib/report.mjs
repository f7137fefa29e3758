// Tables (plain text and Markdown) and the goal check of the overhead benchmark.

/** Goals from issue 2 ("Must show" 4), for the gateway pinned to one core. */
export const GOALS = {
  rps64: 2500,
  rps64Later: 5000,
  addedP50At1Ms: 1,
  addedTtfbMs: 2,
  rssMb: 200,
};

const fmt = {
  int: (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '-'),
  ms: (v) => (Number.isFinite(v) ? v.toFixed(v < 10 ? 2 : 1) : '-'),
  signedMs: (v) => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${v.toFixed(2)}` : '-'),
  mb: (v) => (Number.isFinite(v) ? v.toFixed(0) : '-'),
};

/** One row per (mode, connections): direct and gateway side by side. */
export function buildRows(results) {
  const rows = [];
  for (const r of results) {
    const d = r.direct;
    const g = r.gateway;
    rows.push({
      scenario: r.mode === 'stream' ? 'streaming' : 'non-streaming',
      mode: r.mode,
      connections: r.connections,
      rpsDirect: d.rps,
      rpsGateway: g.rps,
      p50Direct: d.latencyMs.p50,
      p99Direct: d.latencyMs.p99,
      p50Gateway: g.latencyMs.p50,
      p99Gateway: g.latencyMs.p99,
      addedP50: g.latencyMs.p50 - d.latencyMs.p50,
      addedP99: g.latencyMs.p99 - d.latencyMs.p99,
      cpuUsPerReq: g.requests ? (g.gatewayProcess.cpuMs * 1000) / g.requests : NaN,
      // Share of one core the gateway used: well under 100 % at 64 connections means it was
      // not the bottleneck (or something else ran on its core).
      cpuPercent: (g.gatewayProcess.cpuMs / g.gatewayProcess.wallMs) * 100,
      peakRssMb: g.gatewayProcess.peakRssMb,
    });
  }
  return rows;
}

const COLUMNS = [
  ['Scenario', (r) => r.scenario],
  ['Conns', (r) => String(r.connections)],
  ['req/s direct', (r) => fmt.int(r.rpsDirect)],
  ['req/s gateway', (r) => fmt.int(r.rpsGateway)],
  ['p50/p99 direct (ms)', (r) => `${fmt.ms(r.p50Direct)} / ${fmt.ms(r.p99Direct)}`],
  ['p50/p99 gateway (ms)', (r) => `${fmt.ms(r.p50Gateway)} / ${fmt.ms(r.p99Gateway)}`],
  ['Added p50 (ms)', (r) => fmt.signedMs(r.addedP50)],
  ['CPU µs/req', (r) => fmt.int(r.cpuUsPerReq)],
  ['Gateway CPU %', (r) => fmt.int(r.cpuPercent)],
  ['Peak RSS (MB)', (r) => fmt.mb(r.peakRssMb)],
];

const TTFB_COLUMNS = [
  ['Target', (t) => t.target],
  ['Requests', (t) => String(t.firstByteMs.count)],
  ['Headers p50 (ms)', (t) => fmt.ms(t.headersMs.p50)],
  ['First byte p50 (ms)', (t) => fmt.ms(t.firstByteMs.p50)],
  ['First byte p99 (ms)', (t) => fmt.ms(t.firstByteMs.p99)],
  ['Full stream p50 (ms)', (t) => fmt.ms(t.totalMs.p50)],
];

/** A plain-text table: the first column left-aligned, the rest right unless marked `left`. */
export function textTable(columns, items) {
  const cells = [
    columns.map(([title]) => title),
    ...items.map((item) => columns.map(([, get]) => get(item))),
  ];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row) =>
    row
      .map((cell, i) =>
        i === 0 || columns[i][2] === 'left' ? cell.padEnd(widths[i]) : cell.padStart(widths[i]),
      )
      .join('  ')
      .trimEnd();
  return [
    line(cells[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map(line),
  ].join('\n');
}

/** The same table as Markdown, for docs/BENCHMARKS.md. */
export function markdownTable(columns, items) {
  const head = `| ${columns.map(([title]) => title).join(' | ')} |`;
  const rule = `|${columns.map(([, , align], i) => (i === 0 || align === 'left' ? ' --- ' : ' ---: ')).join('|')}|`;
  const body = items.map((item) => `| ${columns.map(([, get]) => get(item)).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

function ttfbItems(ttfb) {
  if (!ttfb) return [];
  const added = {
    target: 'added by gateway',
    headersMs: { p50: ttfb.gateway.headersMs.p50 - ttfb.direct.headersMs.p50 },
    firstByteMs: {
      count: ttfb.gateway.firstByteMs.count,
      p50: ttfb.gateway.firstByteMs.p50 - ttfb.direct.firstByteMs.p50,
      p99: ttfb.gateway.firstByteMs.p99 - ttfb.direct.firstByteMs.p99,
    },
    totalMs: { p50: ttfb.gateway.totalMs.p50 - ttfb.direct.totalMs.p50 },
  };
  return [{ target: 'direct', ...ttfb.direct }, { target: 'gateway', ...ttfb.gateway }, added];
}

/** Each goal with the measured value, whether it is met, and by how much it is missed. */
export function checkGoals(rows, ttfb) {
  const find = (mode, connections) =>
    rows.find((r) => r.mode === mode && r.connections === connections);
  const goals = [];
  const rps = find('json', 64)?.rpsGateway;
  if (rps !== undefined) {
    goals.push({
      goal: `non-streaming req/s at 64 conns ≥ ${GOALS.rps64} (later ${GOALS.rps64Later})`,
      value: fmt.int(rps),
      met: rps >= GOALS.rps64,
      miss:
        rps < GOALS.rps64
          ? `${fmt.int(GOALS.rps64 - rps)} req/s short (${((rps / GOALS.rps64) * 100).toFixed(0)}% of goal)`
          : '',
    });
  }
  const added = find('json', 1)?.addedP50;
  if (added !== undefined) {
    goals.push({
      goal: `added p50 at 1 conn ≤ ${GOALS.addedP50At1Ms} ms`,
      value: `${fmt.ms(added)} ms`,
      met: added <= GOALS.addedP50At1Ms,
      miss: added > GOALS.addedP50At1Ms ? `${fmt.ms(added - GOALS.addedP50At1Ms)} ms over` : '',
    });
  }
  if (ttfb) {
    const addedTtfb = ttfb.gateway.firstByteMs.p50 - ttfb.direct.firstByteMs.p50;
    goals.push({
      goal: `streaming first byte added (p50) ≤ ${GOALS.addedTtfbMs} ms`,
      value: `${fmt.ms(addedTtfb)} ms`,
      met: addedTtfb <= GOALS.addedTtfbMs,
      miss: addedTtfb > GOALS.addedTtfbMs ? `${fmt.ms(addedTtfb - GOALS.addedTtfbMs)} ms over` : '',
    });
  }
  const peaks = [...rows.map((r) => r.peakRssMb), ttfb?.gateway.gatewayProcess?.peakRssMb];
  const rss = Math.max(...peaks.filter(Number.isFinite));
  if (Number.isFinite(rss)) {
    goals.push({
      goal: `gateway RSS under load ≤ ${GOALS.rssMb} MB`,
      value: `${fmt.mb(rss)} MB`,
      met: rss <= GOALS.rssMb,
      miss: rss > GOALS.rssMb ? `${fmt.mb(rss - GOALS.rssMb)} MB over` : '',
    });
  }
  return goals;
}

const GOAL_COLUMNS = [
  ['Goal', (g) => g.goal],
  ['Measured', (g) => g.value],
  ['Met', (g) => (g.met ? 'yes' : `NO: ${g.miss}`), 'left'],
];

/** The human-readable report (plain tables). */
export function textReport({ rows, ttfb, goals }) {
  const parts = [
    'Throughput and latency (autocannon; latency = full response, streamed or not)',
    textTable(COLUMNS, rows),
  ];
  if (ttfb)
    parts.push(
      '',
      `Streaming time to first byte (1 connection, sequential)`,
      textTable(TTFB_COLUMNS, ttfbItems(ttfb)),
    );
  if (goals.length) parts.push('', 'Goals (issue 2)', textTable(GOAL_COLUMNS, goals));
  return parts.join('\n');
}

/** The same tables in Markdown, for docs/BENCHMARKS.md. */
export function markdownReport({ rows, ttfb, goals, meta }) {
  const parts = [
    `Run ${meta.startedAt} · Node ${meta.node} · ${meta.cpu} · gateway on core ${meta.gatewayCore}, fake provider and load on core ${meta.loadCore} · ${meta.seconds} s per run after ${meta.warmupSeconds} s warm-up · load average ${meta.loadAverageBefore.toFixed(2)} before`,
    '',
    markdownTable(COLUMNS, rows),
  ];
  if (ttfb)
    parts.push(
      '',
      `Streaming time to first byte, ${ttfb.gateway.firstByteMs.count} sequential requests on one connection:`,
      '',
      markdownTable(TTFB_COLUMNS, ttfbItems(ttfb)),
    );
  if (goals.length) parts.push('', markdownTable(GOAL_COLUMNS, goals));
  return parts.join('\n');
}
