import type { LaneResult, LaneSpec } from './playground-run';
import { CacheBadge } from '../components/status-badge';
import { TraceTable } from '../components/trace-table';
import { ErrorNotice } from '../components/ui';
import { formatInt, formatMs, formatUsd, orDash } from '../lib/format';
import { parseTrace } from '../lib/trace';
import { href } from '../shell/router';

export function laneLabel(lane: LaneSpec): string {
  return lane.chain?.length ? `chain: ${lane.chain.join(' → ')}` : lane.model;
}

function costOf(result: LaneResult): string {
  if (result.row) return result.row.costUsd === null ? 'unpriced' : formatUsd(result.row.costUsd);
  const header = result.served?.costUsd;
  if (header === 'unpriced') return 'unpriced';
  if (header !== undefined && header !== '') return formatUsd(Number(header));
  if (result.rowState === 'pending') return 'looking up…';
  return '—';
}

const STATUS_TEXT: Record<LaneResult['status'], string> = {
  running: 'Answering…',
  done: 'Done',
  failed: 'Failed',
  stopped: 'Stopped',
};

/** One lane's answer and, beside it, who served it, how, and what it cost. */
export function LaneResultView({ lane, result }: { lane: LaneSpec; result: LaneResult }) {
  const served = result.served;
  const requestId = served?.requestId;
  const trace = parseTrace(served?.trace, true);
  const headingId = `lane-${lane.id}`;
  const usage = result.usage;
  return (
    <article class="panel lane" aria-labelledby={headingId} data-testid="playground-result">
      <div class="panel-head">
        <h2 id={headingId}>{laneLabel(lane)}</h2>
        <span class={`badge badge-run-${result.status}`} role="status">
          {STATUS_TEXT[result.status]}
        </span>
      </div>
      {result.error ? <ErrorNotice>{result.error}</ErrorNotice> : null}
      <div class="answer" data-testid="answer" aria-busy={result.status === 'running'}>
        {result.text || (result.status === 'running' ? '…' : '')}
      </div>
      {served?.fake ? (
        <p class="subtle">Answered by the built-in local fake provider, not a real model.</p>
      ) : null}
      <dl class="facts compact">
        <dt>Provider</dt>
        <dd data-testid="served-provider">{orDash(result.row?.provider ?? served?.provider)}</dd>
        <dt>Model</dt>
        <dd data-testid="served-model">{orDash(result.row?.model ?? served?.model)}</dd>
        <dt>Cache</dt>
        <dd data-testid="result-cache">
          <CacheBadge status={result.row?.cacheStatus ?? served?.cache} />
        </dd>
        <dt>Cost</dt>
        <dd data-testid="result-cost">{costOf(result)}</dd>
        <dt>Latency</dt>
        <dd data-testid="result-latency">
          {formatMs(result.latencyMs)}
          {result.row ? (
            <span class="subtle"> (gateway {formatMs(result.row.latencyMs)})</span>
          ) : null}
        </dd>
        <dt>Time to first token</dt>
        <dd data-testid="result-ttft">
          {formatMs(result.ttftMs)}
          {result.row?.ttftMs ? (
            <span class="subtle"> (gateway {formatMs(result.row.ttftMs)})</span>
          ) : null}
        </dd>
        <dt>Tokens</dt>
        <dd>
          {usage
            ? `${formatInt(usage.prompt_tokens)} in · ${formatInt(usage.completion_tokens)} out`
            : result.row
              ? `${formatInt(result.row.promptTokens)} in · ${formatInt(result.row.completionTokens)} out`
              : '—'}
        </dd>
        <dt>Request</dt>
        <dd class="mono">
          {requestId ? <a href={href('requests', requestId)}>{requestId}</a> : '—'}
        </dd>
      </dl>
      <details open={trace.length > 1}>
        <summary>
          Decision trace ({trace.length} candidate{trace.length === 1 ? '' : 's'})
        </summary>
        <TraceTable steps={trace} label={`Decision trace for ${laneLabel(lane)}`} />
      </details>
    </article>
  );
}
