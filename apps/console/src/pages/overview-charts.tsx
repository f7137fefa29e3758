import { useMemo } from 'preact/hooks';
import type { UsageGroup } from '../api/types';
import type { ChartSeries } from '../components/time-chart';
import { TimeChart } from '../components/time-chart';
import { NotAvailable } from '../components/ui';
import { formatInt, formatMs, formatPercent, formatTime, formatUsd } from '../lib/format';
import { colorAt } from '../lib/palette';
import type { BucketGrid } from '../lib/time-series';
import { column, errorsOf, sum, toGrid } from '../lib/time-series';
import type { OverviewData } from './overview-data';

interface ChartSpec {
  title: string;
  series: ChartSeries[];
  format: (value: number) => string;
  /** Counts and money add up over the window; latencies and rates do not. */
  additive: boolean;
}

const compactUsd = (value: number): string => (value === 0 ? '$0' : formatUsd(value));

/** Words for a chart: the total (or the peak) of each line, for screen readers. */
function describe(spec: ChartSpec, times: number[]): string {
  const parts = spec.series.map((s) => {
    if (spec.additive) return `${s.label}: ${spec.format(sum(s.values))} in total`;
    let peak = -Infinity;
    let at = -1;
    s.values.forEach((v, i) => {
      if (v !== null && v > peak) [peak, at] = [v, i];
    });
    return at < 0
      ? `${s.label}: no data`
      : `${s.label}: highest ${spec.format(peak)} at ${formatTime(times[at] * 1_000)}`;
  });
  return `${spec.title}. ${parts.join('; ')}.`;
}

function mainCharts(grid: BucketGrid): ChartSpec[] {
  const pick = (f: (g: UsageGroup) => number | null | undefined, empty: number | null = 0) =>
    column(grid, f, empty);
  return [
    {
      title: 'Requests',
      additive: true,
      format: formatInt,
      series: [
        { label: 'Requests', values: pick((g) => g.requests), color: colorAt(0) },
        { label: 'Errors', values: pick(errorsOf), color: colorAt(4) },
      ],
    },
    {
      title: 'Tokens',
      additive: true,
      format: formatInt,
      series: [
        { label: 'Prompt', values: pick((g) => g.promptTokens), color: colorAt(0) },
        { label: 'Completion', values: pick((g) => g.completionTokens), color: colorAt(1) },
      ],
    },
    {
      title: 'Cost',
      additive: true,
      format: compactUsd,
      series: [
        { label: 'Cost', values: pick((g) => g.costUsd), color: colorAt(0) },
        {
          label: 'Saved by the cache',
          values: pick((g) => g.costSavedUsd ?? null),
          color: colorAt(2),
        },
      ],
    },
    {
      title: 'Latency and time to first token',
      additive: false,
      format: formatMs,
      series: [
        {
          label: 'Latency p50',
          values: pick((g) => g.p50LatencyMs, null),
          color: colorAt(0),
          dashed: true,
        },
        { label: 'Latency p95', values: pick((g) => g.p95LatencyMs, null), color: colorAt(0) },
        {
          label: 'TTFT p50',
          values: pick((g) => g.p50TtftMs, null),
          color: colorAt(3),
          dashed: true,
        },
        { label: 'TTFT p95', values: pick((g) => g.p95TtftMs, null), color: colorAt(3) },
      ],
    },
    {
      title: 'Error rate and cache hit rate',
      additive: false,
      format: formatPercent,
      series: [
        { label: 'Error rate', values: pick((g) => g.errorRate, null), color: colorAt(4) },
        { label: 'Cache hit rate', values: pick((g) => g.cacheHitRate, null), color: colorAt(2) },
      ],
    },
  ];
}

function splitCharts(data: OverviewData): ChartSpec[] {
  const { window, intervalMs, dimension } = data;
  const grids = data.split.map((s) => ({
    key: s.key,
    grid: toGrid(s.series, window.fromMs, window.toMs, intervalMs),
  }));
  const lines = (f: (g: UsageGroup) => number) =>
    grids.map((g, i) => ({ label: g.key, values: column(g.grid, f), color: colorAt(i) }));
  return [
    {
      title: `Requests by ${dimension}`,
      additive: true,
      format: formatInt,
      series: lines((g) => g.requests),
    },
    {
      title: `Cost by ${dimension}`,
      additive: true,
      format: compactUsd,
      series: lines((g) => g.costUsd),
    },
  ];
}

/** The overview's time series; buckets without traffic are drawn as zero. */
export function OverviewCharts({ data }: { data: OverviewData }) {
  const charts = useMemo(() => {
    if (!data.series) return undefined;
    const grid = toGrid(data.series, data.window.fromMs, data.window.toMs, data.intervalMs);
    // Latencies and rates have no value in an empty bucket: their lines have gaps, so mark points.
    const specs = mainCharts(grid).map((spec) =>
      spec.additive ? spec : { ...spec, series: spec.series.map((s) => ({ ...s, points: true })) },
    );
    if (data.split.length > 0) specs.push(...splitCharts(data));
    return { times: grid.times, specs };
  }, [data]);

  if (!charts) return <NotAvailable what="Usage over time (GET /v1/usage/summary?groupBy=time)" />;
  return (
    <section aria-labelledby="charts-heading">
      <h2 id="charts-heading" class="visually-hidden">
        Over time
      </h2>
      <div class="charts">
        {charts.specs.map((spec) => (
          <TimeChart
            key={spec.title}
            title={spec.title}
            times={charts.times}
            series={spec.series}
            format={spec.format}
            summary={describe(spec, charts.times)}
          />
        ))}
      </div>
    </section>
  );
}
