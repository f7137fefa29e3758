import { budgets, limits } from '../api/gateway';
import type { BudgetEntry, LimitEntry } from '../api/types';
import { BudgetMeter } from '../components/budget-meter';
import { ErrorNotice, Info, Loading, NotAvailable, Page, TableWrap } from '../components/ui';
import { formatInt, formatTime, formatUsd } from '../lib/format';
import { useLoad } from '../lib/use-load';
import { useSession } from '../session/session-context';

const SCOPE_ORDER = ['provider', 'key', 'user', 'team'];
const byScope = <T extends { scope: string; id: string | null }>(a: T, b: T): number =>
  (SCOPE_ORDER.indexOf(a.scope) + 1 || 99) - (SCOPE_ORDER.indexOf(b.scope) + 1 || 99) ||
  (a.id ?? '').localeCompare(b.id ?? '');

const LIMIT_LABELS: Record<string, string> = {
  rpm: 'requests / min',
  tpm: 'tokens / min',
  requestsPerMinute: 'requests / min',
  tokensPerMinute: 'tokens / min',
  concurrency: 'concurrent',
  concurrentRequests: 'concurrent',
};

/** What a limit without an id applies to, by scope. */
const NO_ID: Record<string, string> = {
  global: 'all traffic together',
  defaultKey: 'each key without limits of its own',
  defaultUser: 'each user without limits of their own',
  defaultTeam: 'each team without limits of its own',
  ip: 'each client address',
};

/** Spend against every budget of the current period, and the rate limits per scope. */
export function BudgetsPage() {
  const { api, session } = useSession();
  const admin = session.role === 'admin';
  const loaded = useLoad(
    async (signal) => {
      const [budgetList, limitList] = await Promise.all([
        budgets(api, { signal }),
        limits(api, { signal }),
      ]);
      return { budgetList, limitList };
    },
    [],
    { pollMs: 15_000, enabled: admin },
  );
  const data = loaded.data;

  return (
    <Page
      name="budgets"
      title="Budgets and limits"
      actions={
        admin ? (
          <button type="button" class="secondary" onClick={loaded.reload}>
            Refresh
          </button>
        ) : null
      }
    >
      {!admin ? (
        <Info>
          Budgets and rate limits are read with the admin key (GATEWAY_ADMIN_KEY, or auth.adminKey
          in the gateway's config). Sign out and sign in with it to see them.
        </Info>
      ) : null}
      {loaded.error ? <ErrorNotice error={loaded.error} /> : null}
      {admin && !data && loaded.loading ? <Loading /> : null}
      {data ? (
        <>
          <section class="panel" aria-labelledby="budgets-heading">
            <h2 id="budgets-heading">Budgets, current period</h2>
            {data.budgetList.available ? (
              <BudgetTable entries={[...data.budgetList.data].sort(byScope)} />
            ) : (
              <NotAvailable what="Budget spend (GET /v1/admin/budgets)" />
            )}
          </section>
          <section class="panel" aria-labelledby="limits-heading">
            <h2 id="limits-heading">Rate limits</h2>
            {data.limitList.available ? (
              <LimitTable entries={[...data.limitList.data].sort(byScope)} />
            ) : (
              <NotAvailable what="Rate-limit configuration (GET /v1/admin/limits)" />
            )}
          </section>
          {loaded.updatedAt ? <p class="subtle">Updated {formatTime(loaded.updatedAt)}.</p> : null}
        </>
      ) : null}
    </Page>
  );
}

function BudgetTable({ entries }: { entries: BudgetEntry[] }) {
  if (entries.length === 0) return <p class="subtle">No budget is configured.</p>;
  return (
    <TableWrap label="Budgets">
      <table data-testid="budgets-table">
        <thead>
          <tr>
            <th scope="col">Scope</th>
            <th scope="col">Id</th>
            <th scope="col">Period</th>
            <th scope="col" class="num">
              Spent
            </th>
            <th scope="col" class="num">
              Reserved
            </th>
            <th scope="col" class="num">
              Budget
            </th>
            <th scope="col">Use</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={`${entry.scope}/${entry.id}/${entry.window}`}>
              <td>{entry.scope}</td>
              <th scope="row">{entry.id}</th>
              <td>{entry.window}</td>
              <td class="num">{formatUsd(entry.spentUsd)}</td>
              <td class="num">{formatUsd(entry.reservedUsd)}</td>
              <td class="num">{entry.limitUsd === null ? 'no cap' : formatUsd(entry.limitUsd)}</td>
              <td>
                <BudgetMeter entry={entry} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

function LimitTable({ entries }: { entries: LimitEntry[] }) {
  if (entries.length === 0) return <p class="subtle">No rate limit is configured.</p>;
  return (
    <TableWrap label="Rate limits">
      <table data-testid="limits-table">
        <thead>
          <tr>
            <th scope="col">Scope</th>
            <th scope="col">Id</th>
            <th scope="col">Limits</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr key={`${entry.scope}/${entry.id ?? ''}`}>
              <td>{entry.scope}</td>
              <th scope="row">
                {entry.id ?? <span class="subtle">{NO_ID[entry.scope] ?? 'every caller'}</span>}
              </th>
              <td>
                <ul class="plain">
                  {Object.entries(entry.limits).map(([name, value]) => (
                    <li key={name}>
                      {formatInt(value)} {LIMIT_LABELS[name] ?? name}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}
