import { useState } from 'preact/hooks';
import type { Dimension, Period } from '../api/usage';
import { DIMENSIONS, PERIODS, isPeriod } from '../api/usage';
import { Stat, ErrorNotice, Loading, Page } from '../components/ui';
import { formatInt, formatMs, formatPercent, formatTime, formatUsd } from '../lib/format';
import { useLoad } from '../lib/use-load';
import { useSession } from '../session/session-context';
import { BreakdownTable } from './breakdown-table';
import { OverviewCharts } from './overview-charts';
import { loadOverview } from './overview-data';

const PERIOD_LABELS: Record<Period, string> = {
  '1h': '1 h',
  '24h': '24 h',
  '7d': '7 d',
  '30d': '30 d',
};

/** Traffic, cost, latency, errors and the cache over a period, with a breakdown. */
export function OverviewPage({ query }: { query: URLSearchParams }) {
  const { api, session } = useSession();
  const initial = query.get('period');
  const [period, setPeriod] = useState<Period>(isPeriod(initial) ? initial : '24h');
  const [dimension, setDimension] = useState<Dimension>('provider');
  const overview = useLoad(
    (signal) => loadOverview(api, period, dimension, signal),
    [period, dimension],
    {
      pollMs: 30_000,
    },
  );
  const data = overview.data;
  const totals = data?.totals;

  const actions = (
    <>
      <div class="segmented" role="group" aria-label="Period">
        {(Object.keys(PERIODS) as Period[]).map((p) => (
          <button
            key={p}
            type="button"
            aria-pressed={p === period}
            title={PERIODS[p].label}
            onClick={() => setPeriod(p)}
          >
            {PERIOD_LABELS[p]}
          </button>
        ))}
      </div>
      <button type="button" class="secondary" onClick={overview.reload}>
        Refresh
      </button>
    </>
  );

  return (
    <Page name="overview" title="Overview" actions={actions}>
      <p class="subtle">
        {PERIODS[period].label}
        {data ? `: ${formatTime(data.window.fromMs)} to ${formatTime(data.window.toMs)}` : ''}
        {session.role === 'key' ? ' · your key’s own traffic' : ' · every key’s traffic'}
      </p>
      {overview.error ? <ErrorNotice error={overview.error} /> : null}
      {!data && overview.loading ? <Loading /> : null}
      {totals ? (
        <section aria-labelledby="totals-heading">
          <h2 id="totals-heading" class="visually-hidden">
            Totals
          </h2>
          <dl class="stats">
            <Stat
              label="Requests"
              testId="total-requests"
              value={formatInt(totals.requests)}
              raw={totals.requests}
            />
            <Stat
              label="Tokens"
              testId="total-tokens"
              value={formatInt(totals.totalTokens)}
              raw={totals.totalTokens}
              hint={`${formatInt(totals.promptTokens)} in · ${formatInt(totals.completionTokens)} out`}
            />
            <Stat
              label="Cost"
              testId="total-cost"
              value={formatUsd(totals.costUsd)}
              raw={totals.costUsd}
              hint={
                totals.unpricedRequests
                  ? `${formatInt(totals.unpricedRequests)} unpriced`
                  : undefined
              }
            />
            <Stat
              label="Saved by the cache"
              testId="cost-saved"
              value={formatUsd(totals.costSavedUsd)}
              raw={totals.costSavedUsd}
              hint={totals.costSavedUsd === undefined ? 'not reported by this gateway' : undefined}
            />
            <Stat
              label="Error rate"
              testId="error-rate"
              value={formatPercent(totals.errorRate)}
              raw={totals.errorRate}
            />
            <Stat
              label="Cache hit rate"
              testId="cache-hit-rate"
              value={formatPercent(totals.cacheHitRate)}
              raw={totals.cacheHitRate}
            />
            <Stat
              label="Latency p50"
              testId="p50-latency"
              value={totals.requests ? formatMs(totals.p50LatencyMs) : '—'}
              raw={totals.p50LatencyMs}
            />
            <Stat
              label="Latency p95"
              testId="p95-latency"
              value={totals.requests ? formatMs(totals.p95LatencyMs) : '—'}
              raw={totals.p95LatencyMs}
            />
            <Stat
              label="TTFT p50"
              testId="p50-ttft"
              value={formatMs(totals.p50TtftMs)}
              raw={totals.p50TtftMs}
            />
            <Stat
              label="TTFT p95"
              testId="p95-ttft"
              value={formatMs(totals.p95TtftMs)}
              raw={totals.p95TtftMs}
            />
          </dl>
        </section>
      ) : null}
      {data ? <OverviewCharts data={data} /> : null}
      <section aria-labelledby="breakdown-heading" class="panel">
        <div class="panel-head">
          <h2 id="breakdown-heading">Breakdown</h2>
          <div class="inline-field">
            <label for="breakdown-dimension">Break down by</label>
            <select
              id="breakdown-dimension"
              value={dimension}
              onChange={(event) => setDimension(event.currentTarget.value as Dimension)}
            >
              {DIMENSIONS.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </div>
        </div>
        {data ? <BreakdownTable dimension={data.dimension} groups={data.breakdown} /> : null}
      </section>
    </Page>
  );
}
