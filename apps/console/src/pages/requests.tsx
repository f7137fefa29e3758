import { useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import type { UsageRecord } from '../api/types';
import { requestsPage } from '../api/usage';
import { CacheBadge, StatusBadge } from '../components/status-badge';
import {
  ErrorNotice,
  Loading,
  NotAvailable,
  Page,
  TableWrap,
  errorMessage,
} from '../components/ui';
import { formatInt, formatMs, formatTime, formatUsd, orDash } from '../lib/format';
import { useLoad } from '../lib/use-load';
import { href } from '../shell/router';
import { useSession } from '../session/session-context';
import { RequestFilters } from './request-filters';
import type { HistoryQuery } from './request-query';
import { historyQueryOf, historyWindow, toHashQuery } from './request-query';

const PAGE_SIZE = 50;

interface MorePages {
  /** The first page's load these rows continue (a new load starts over). */
  of: number;
  rows: UsageRecord[];
  next?: string;
}

/** The usage log, newest first: filters in the URL's hash, cursor paging ("Load more"). */
export function RequestsPage({ query }: { query: URLSearchParams }) {
  const { api } = useSession();
  const queryKey = query.toString();
  const history = historyQueryOf(query);
  const first = useLoad(
    async (signal) => {
      const window = historyWindow(history);
      const page = await requestsPage(api, window, history.filters, undefined, PAGE_SIZE, {
        signal,
      });
      return { window, page };
    },
    [queryKey],
  );
  const [more, setMore] = useState<MorePages | undefined>();
  const [moreError, setMoreError] = useState<unknown>();
  const [loadingMore, setLoadingMore] = useState(false);

  const current = more && more.of === first.updatedAt ? more : undefined;
  const rows = [...(first.data?.page.data ?? []), ...(current?.rows ?? [])];
  const next = current ? current.next : first.data?.page.nextCursor;

  const apply = (value: HistoryQuery): void => {
    location.hash = href('requests', undefined, toHashQuery(value));
  };
  const loadMore = async (): Promise<void> => {
    if (!first.data || !next) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await requestsPage(api, first.data.window, history.filters, next, PAGE_SIZE);
      setMore({
        of: first.updatedAt ?? 0,
        rows: [...(current?.rows ?? []), ...page.data],
        next: page.nextCursor,
      });
    } catch (error) {
      setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  };

  const cacheRefused = first.error instanceof ApiError && first.error.refusedParam('cache');
  return (
    <Page
      name="requests"
      title="Requests"
      actions={
        <button type="button" class="secondary" onClick={first.reload}>
          Refresh
        </button>
      }
    >
      <RequestFilters key={queryKey} value={history} onApply={apply} />
      {cacheRefused ? <NotAvailable what="Filtering by cache status" /> : null}
      {first.error && !cacheRefused ? <ErrorNotice error={first.error} /> : null}
      {!first.data && first.loading ? <Loading /> : null}
      {first.data ? (
        <section class="panel" aria-labelledby="history-heading">
          <h2 id="history-heading">
            History{' '}
            <span class="subtle">
              ({formatInt(rows.length)} shown{next ? ', more available' : ''})
            </span>
          </h2>
          {rows.length === 0 ? (
            <p class="subtle">No request matches these filters in this window.</p>
          ) : (
            <TableWrap label="Request history">
              <table data-testid="requests-table">
                <thead>
                  <tr>
                    <th scope="col">Time</th>
                    <th scope="col">Request</th>
                    <th scope="col">Status</th>
                    <th scope="col">Provider / model</th>
                    <th scope="col">Route</th>
                    <th scope="col">User</th>
                    <th scope="col">Key</th>
                    <th scope="col">Cache</th>
                    <th scope="col" class="num">
                      Tokens in / out
                    </th>
                    <th scope="col" class="num">
                      Cost
                    </th>
                    <th scope="col" class="num">
                      Latency
                    </th>
                    <th scope="col" class="num">
                      TTFT
                    </th>
                    <th scope="col" class="num">
                      Attempts
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.requestId} data-request-id={row.requestId}>
                      <td class="nowrap">{formatTime(row.createdAt)}</td>
                      <th scope="row">
                        <a href={href('requests', row.requestId)} class="mono">
                          {row.requestId}
                        </a>
                        {row.clientRequestId ? (
                          <div class="subtle mono">{row.clientRequestId}</div>
                        ) : null}
                      </th>
                      <td>
                        <StatusBadge status={row.status} />
                      </td>
                      <td>{row.provider ? `${row.provider}/${orDash(row.model)}` : '—'}</td>
                      <td>{orDash(row.route)}</td>
                      <td>{orDash(row.userId)}</td>
                      <td class="mono">{orDash(row.keyId)}</td>
                      <td>
                        <CacheBadge status={row.cacheStatus} />
                      </td>
                      <td class="num">
                        {formatInt(row.promptTokens)} / {formatInt(row.completionTokens)}
                      </td>
                      <td class="num">
                        {row.costUsd === null ? 'unpriced' : formatUsd(row.costUsd)}
                      </td>
                      <td class="num">{formatMs(row.latencyMs)}</td>
                      <td class="num">{formatMs(row.ttftMs)}</td>
                      <td class="num">{formatInt(row.attempts)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
          {moreError ? <ErrorNotice>{errorMessage(moreError)}</ErrorNotice> : null}
          {next ? (
            <div class="form-actions">
              <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
                {loadingMore ? 'Loading…' : 'Load more'}
              </button>
            </div>
          ) : null}
        </section>
      ) : null}
    </Page>
  );
}
