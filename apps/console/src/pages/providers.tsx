import type { Availability } from '../api/gateway';
import { budgets, providersStatus } from '../api/gateway';
import type { BudgetEntry, ProviderStatus } from '../api/types';
import { BudgetMeter } from '../components/budget-meter';
import { ErrorNotice, Info, Loading, NotAvailable, Page, TableWrap } from '../components/ui';
import {
  formatDuration,
  formatFromNow,
  formatInt,
  formatMs,
  formatTime,
  orDash,
} from '../lib/format';
import { useLoad } from '../lib/use-load';
import { useSession } from '../session/session-context';

const POLL_MS = 5_000;

interface ProvidersData {
  providers: ProviderStatus[];
  /** Provider caps; undefined when the session cannot read them (not the admin key). */
  caps: Availability<BudgetEntry[]> | undefined;
}

function Circuit({ state }: { state: string }) {
  return <span class={`badge badge-${state.replace(/_/g, '-')}`}>{state.replace(/_/g, '-')}</span>;
}

function LastError({ message, at }: { message?: string; at?: string }) {
  if (!message) return <span class="subtle">none</span>;
  return (
    <span>
      {message}
      {at ? <span class="subtle"> ({formatFromNow(at)})</span> : null}
    </span>
  );
}

/** Circuits, errors, measured latency and budget caps per provider and key, refreshed live. */
export function ProvidersPage() {
  const { api, session } = useSession();
  const admin = session.role === 'admin';
  const status = useLoad<ProvidersData>(
    async (signal) => {
      const [providers, caps] = await Promise.all([
        providersStatus(api, { signal }),
        admin ? budgets(api, { signal }) : Promise.resolve(undefined),
      ]);
      return { providers, caps };
    },
    [admin],
    { pollMs: POLL_MS },
  );
  const data = status.data;
  const capsOf = (provider: string): BudgetEntry[] =>
    data?.caps?.available
      ? data.caps.data.filter((b) => b.scope === 'provider' && b.id === provider)
      : [];

  return (
    <Page name="providers" title="Providers">
      <p class="subtle">
        Live: refreshed every {POLL_MS / 1_000} s
        {status.updatedAt ? ` · updated ${formatTime(status.updatedAt)}` : ''}. Latency is a moving
        average (EWMA) measured by the gateway instance that answered.
      </p>
      {status.error ? <ErrorNotice error={status.error} /> : null}
      {!data && status.loading ? <Loading /> : null}
      {data && data.caps && !data.caps.available ? (
        <NotAvailable what="Provider budget caps (GET /v1/admin/budgets)" />
      ) : null}
      {data && !admin ? (
        <Info>
          Budget caps need the admin key (GATEWAY_ADMIN_KEY); sign in with it to see them.
        </Info>
      ) : null}
      {data ? (
        <>
          <section class="panel" aria-labelledby="providers-heading">
            <h2 id="providers-heading">Circuits</h2>
            <TableWrap label="Providers">
              <table data-testid="providers-table">
                <thead>
                  <tr>
                    <th scope="col">Provider</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Circuit</th>
                    <th scope="col">Open until</th>
                    <th scope="col" class="num">
                      Failures in a row
                    </th>
                    <th scope="col" class="num">
                      Requests in window
                    </th>
                    <th scope="col" class="num">
                      Failures in window
                    </th>
                    <th scope="col">Last error</th>
                    <th scope="col">Budget cap</th>
                  </tr>
                </thead>
                <tbody>
                  {data.providers.map((p) => (
                    <tr key={p.provider} data-provider={p.provider}>
                      <th scope="row">
                        {p.provider}
                        {p.fake ? <span class="badge badge-fake">fake</span> : null}
                      </th>
                      <td>{p.kind}</td>
                      <td>
                        <Circuit state={p.state} />
                        {p.degraded ? <span class="subtle"> (store unreachable)</span> : null}
                      </td>
                      <td>
                        {p.openUntil
                          ? `${formatTime(p.openUntil)} (${formatFromNow(p.openUntil)})`
                          : '—'}
                      </td>
                      <td class="num">{formatInt(p.consecutiveFailures)}</td>
                      <td class="num">{formatInt(p.windowRequests)}</td>
                      <td class="num">
                        {formatInt(p.windowFailures)}
                        <span class="subtle"> / {formatDuration(p.windowMs)}</span>
                      </td>
                      <td>
                        <LastError message={p.lastError} at={p.lastErrorAt} />
                      </td>
                      <td>
                        {capsOf(p.provider).length > 0
                          ? capsOf(p.provider).map((cap) => (
                              <div key={cap.window}>
                                <BudgetMeter entry={cap} />
                              </div>
                            ))
                          : '—'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </section>
          <section class="panel" aria-labelledby="keys-heading">
            <h2 id="keys-heading">Provider API keys</h2>
            {data.providers.every((p) => p.keys.length === 0) ? (
              <p class="subtle">
                No provider has an API key of its own (local or keyless providers).
              </p>
            ) : (
              <TableWrap label="Provider API keys">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">Provider</th>
                      <th scope="col">Key id</th>
                      <th scope="col">Circuit</th>
                      <th scope="col">Open until</th>
                      <th scope="col" class="num">
                        Requests in window
                      </th>
                      <th scope="col" class="num">
                        Failures in window
                      </th>
                      <th scope="col">Last error</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.providers.flatMap((p) =>
                      p.keys.map((k) => (
                        <tr key={`${p.provider}/${k.keyId}`}>
                          <td>{p.provider}</td>
                          <th scope="row">
                            <code>{k.keyId}</code>
                          </th>
                          <td>
                            <Circuit state={k.state} />
                          </td>
                          <td>{k.openUntil ? formatFromNow(k.openUntil) : '—'}</td>
                          <td class="num">{formatInt(k.windowRequests)}</td>
                          <td class="num">{formatInt(k.windowFailures)}</td>
                          <td>
                            <LastError message={k.lastError} at={k.lastErrorAt} />
                          </td>
                        </tr>
                      )),
                    )}
                  </tbody>
                </table>
              </TableWrap>
            )}
          </section>
          <section class="panel" aria-labelledby="latency-heading">
            <h2 id="latency-heading">Latency (EWMA)</h2>
            <TableWrap label="Latency per model">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Provider</th>
                    <th scope="col">Model</th>
                    <th scope="col" class="num">
                      Latency
                    </th>
                    <th scope="col" class="num">
                      Time to first token
                    </th>
                    <th scope="col" class="num">
                      Samples
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {data.providers.flatMap((p) =>
                    p.latency.map((l) => (
                      <tr key={`${p.provider}/${l.model}`}>
                        <td>{p.provider}</td>
                        <th scope="row">{orDash(l.model)}</th>
                        <td class="num">{formatMs(l.latencyMs)}</td>
                        <td class="num">{formatMs(l.ttftMs)}</td>
                        <td class="num">{formatInt(l.samples)}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </TableWrap>
            {data.providers.every((p) => p.latency.length === 0) ? (
              <p class="subtle">No latency measured yet on this instance.</p>
            ) : null}
          </section>
        </>
      ) : null}
    </Page>
  );
}
