import { findRequest } from '../api/usage';
import { CacheBadge, StatusBadge } from '../components/status-badge';
import { TraceTable } from '../components/trace-table';
import { ErrorNotice, Info, Loading, Page } from '../components/ui';
import { formatInt, formatMs, formatTime, formatUsd, orDash } from '../lib/format';
import { parseTrace } from '../lib/trace';
import { useLoad } from '../lib/use-load';
import { href } from '../shell/router';
import { useSession } from '../session/session-context';

/** One request of the usage log: who, what, how much, and the decision trace. */
export function RequestDetailPage({ requestId }: { requestId: string }) {
  const { api } = useSession();
  const found = useLoad((signal) => findRequest(api, requestId, { signal }), [requestId]);
  const record = found.data?.record;

  return (
    <Page name="request" title="Request">
      <p>
        <a href={href('requests')}>← Back to requests</a>
      </p>
      <p class="mono subtle">{requestId}</p>
      {found.error ? <ErrorNotice error={found.error} /> : null}
      {found.loading && !found.data ? <Loading /> : null}
      {!found.loading && !found.error && !record ? (
        <ErrorNotice>
          No request with this id is visible to your key (it may be older than the retention period,
          or belong to another key).
        </ErrorNotice>
      ) : null}
      {found.data?.via === 'list' ? (
        <Info>
          This gateway has no GET /v1/usage/requests/:id yet: the row was found in the last 30 days
          of the request history.
        </Info>
      ) : null}
      {found.data?.via === 'client-id' ? (
        <Info>
          Found by the caller's own request id (x-client-request-id); the gateway's id is{' '}
          <code>{found.data.record.requestId}</code>.
        </Info>
      ) : null}
      {record ? (
        <>
          <section class="panel" aria-labelledby="trace-heading">
            <h2 id="trace-heading">Decision trace</h2>
            <TraceTable steps={parseTrace(record.fallbackChain)} />
            {record.budgetNote ? <p class="subtle">Budget: {record.budgetNote}</p> : null}
            {record.guardrails ? <p class="subtle">Guardrails: {record.guardrails}</p> : null}
          </section>
          <section class="panel" aria-labelledby="request-facts">
            <h2 id="request-facts">Details</h2>
            <dl class="facts" data-testid="request-facts">
              <dt>Status</dt>
              <dd>
                <StatusBadge status={record.status} />
              </dd>
              <dt>Time</dt>
              <dd>{formatTime(record.createdAt)}</dd>
              <dt>Served by</dt>
              <dd>{record.provider ? `${record.provider}/${orDash(record.model)}` : '—'}</dd>
              <dt>Route</dt>
              <dd>{orDash(record.route)}</dd>
              <dt>Cache</dt>
              <dd>
                <CacheBadge status={record.cacheStatus} />
              </dd>
              <dt>Tokens</dt>
              <dd>
                {formatInt(record.promptTokens)} in · {formatInt(record.completionTokens)} out
                {record.cachedTokens ? ` · ${formatInt(record.cachedTokens)} cached` : ''}
                {record.reasoningTokens ? ` · ${formatInt(record.reasoningTokens)} reasoning` : ''}
              </dd>
              <dt>Cost</dt>
              <dd>
                {record.costUsd === null ? 'unpriced' : formatUsd(record.costUsd)}
                {record.priceSource ? <span class="subtle"> ({record.priceSource})</span> : null}
              </dd>
              <dt>Saved by the cache</dt>
              <dd>{formatUsd((record.costSavedMicroUsd ?? 0) / 1_000_000)}</dd>
              <dt>Latency</dt>
              <dd>{formatMs(record.latencyMs)}</dd>
              <dt>Time to first token</dt>
              <dd>{formatMs(record.ttftMs)}</dd>
              <dt>Provider calls</dt>
              <dd>{formatInt(record.attempts)}</dd>
              <dt>Streamed</dt>
              <dd>
                {record.stream
                  ? record.streamCompleted === false
                    ? 'yes, cut before the end'
                    : 'yes'
                  : 'no'}
              </dd>
              <dt>User / team</dt>
              <dd>
                {orDash(record.userId)} / {orDash(record.teamId)}
              </dd>
              <dt>Key</dt>
              <dd class="mono">{orDash(record.keyId)}</dd>
              <dt>Task</dt>
              <dd>{orDash(record.task)}</dd>
              <dt>API</dt>
              <dd>{orDash(record.ingress)}</dd>
              <dt>Request id</dt>
              <dd class="mono">{record.requestId}</dd>
              <dt>Caller's request id</dt>
              <dd class="mono">{orDash(record.clientRequestId)}</dd>
            </dl>
          </section>
        </>
      ) : null}
    </Page>
  );
}
