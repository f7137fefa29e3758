import type { UsageGroup } from '../api/types';
import type { Dimension } from '../api/usage';
import { TableWrap } from '../components/ui';
import { formatInt, formatMs, formatPercent, formatUsd } from '../lib/format';
import { href } from '../shell/router';

/** Dimensions the request history can filter by, with the filter's name. */
const FILTERABLE: Partial<Record<Dimension, string>> = {
  provider: 'provider',
  model: 'model',
  route: 'route',
  user: 'user',
  team: 'team',
  key: 'key',
};

/** The summary by one dimension: a row per group, each linking to its requests. */
export function BreakdownTable({
  dimension,
  groups,
}: {
  dimension: Dimension;
  groups: UsageGroup[];
}) {
  if (groups.length === 0) return <p class="subtle">No requests in this period.</p>;
  const filter = FILTERABLE[dimension];
  return (
    <TableWrap label={`Usage by ${dimension}`}>
      <table data-testid="breakdown-table">
        <caption class="visually-hidden">Usage by {dimension}</caption>
        <thead>
          <tr>
            <th scope="col">{dimension}</th>
            <th scope="col" class="num">
              Requests
            </th>
            <th scope="col" class="num">
              Tokens
            </th>
            <th scope="col" class="num">
              Cost
            </th>
            <th scope="col" class="num">
              Saved
            </th>
            <th scope="col" class="num">
              Error rate
            </th>
            <th scope="col" class="num">
              Latency p50
            </th>
            <th scope="col" class="num">
              Latency p95
            </th>
            <th scope="col" class="num">
              TTFT p95
            </th>
            <th scope="col" class="num">
              Cache hits
            </th>
          </tr>
        </thead>
        <tbody>
          {groups.map((group) => (
            <tr key={group.key ?? '\u0000none'}>
              <th scope="row">
                {group.key !== null && filter ? (
                  <a href={href('requests', undefined, { [filter]: group.key })}>{group.key}</a>
                ) : (
                  (group.key ?? <span class="subtle">(none)</span>)
                )}
              </th>
              <td class="num">{formatInt(group.requests)}</td>
              <td class="num">{formatInt(group.totalTokens)}</td>
              <td class="num">{formatUsd(group.costUsd)}</td>
              <td class="num">{formatUsd(group.costSavedUsd)}</td>
              <td class="num">{formatPercent(group.errorRate)}</td>
              <td class="num">{formatMs(group.p50LatencyMs)}</td>
              <td class="num">{formatMs(group.p95LatencyMs)}</td>
              <td class="num">{formatMs(group.p95TtftMs)}</td>
              <td class="num">{formatPercent(group.cacheHitRate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
