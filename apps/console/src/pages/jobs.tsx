import { useState } from 'preact/hooks';
import { jobCounts, listJobs, retryJob } from '../api/gateway';
import type { JobState, JobView } from '../api/types';
import {
  ErrorNotice,
  Loading,
  NotAvailable,
  Page,
  Stat,
  TableWrap,
  errorMessage,
} from '../components/ui';
import { formatInt, formatTime } from '../lib/format';
import { useLoad } from '../lib/use-load';
import { href } from '../shell/router';
import { useSession } from '../session/session-context';

const STATES: JobState[] = ['failed', 'queued', 'running', 'retrying', 'completed'];
const POLL_MS = 5_000;

export function JobStateBadge({ state }: { state: string }) {
  return <span class={`badge badge-job-${state}`}>{state}</span>;
}

/** The task queue: depth by state, jobs of one state (failed first) and re-runs (admin). */
export function JobsPage({ query }: { query: URLSearchParams }) {
  const { api, session } = useSession();
  const admin = session.role === 'admin';
  const initial = query.get('state') as JobState | null;
  const [state, setState] = useState<JobState>(
    initial && STATES.includes(initial) ? initial : 'failed',
  );
  // Queue depth covers every tenant's jobs: the operator's view (the admin key) only.
  const counts = useLoad((signal) => jobCounts(api, { signal }), [], {
    pollMs: POLL_MS,
    enabled: admin,
  });
  const jobs = useLoad((signal) => listJobs(api, state, { signal }), [state], { pollMs: POLL_MS });
  const [notice, setNotice] = useState('');
  const [retryError, setRetryError] = useState<unknown>();

  const rerun = async (job: JobView): Promise<void> => {
    setRetryError(undefined);
    try {
      const view = await retryJob(api, job.id);
      setNotice(`Job ${job.id} queued again (now ${view.state}).`);
      jobs.reload();
      counts.reload();
    } catch (error) {
      setRetryError(error);
    }
  };

  return (
    <Page name="jobs" title="Jobs">
      <section aria-labelledby="queue-heading" class="panel">
        <h2 id="queue-heading">Queue</h2>
        {!admin ? (
          <p class="subtle">The queue depth of every tenant is shown to the admin key.</p>
        ) : null}
        {counts.error ? <ErrorNotice error={counts.error} /> : null}
        {counts.data && !counts.data.available ? (
          <NotAvailable what="Queue depth (GET /v1/jobs/counts)" />
        ) : null}
        {counts.data?.available ? (
          <dl class="stats" data-testid="job-counts">
            {counts.data.data.map(([name, value]) => (
              <Stat
                key={name}
                label={name}
                testId={`jobs-${name}`}
                value={formatInt(value)}
                raw={value}
              />
            ))}
          </dl>
        ) : null}
      </section>
      <section aria-labelledby="jobs-heading" class="panel">
        <div class="panel-head">
          <h2 id="jobs-heading">Jobs</h2>
          <div class="inline-field">
            <label for="job-state">State</label>
            <select
              id="job-state"
              value={state}
              onChange={(event) => setState(event.currentTarget.value as JobState)}
            >
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
        </div>
        <p class="subtle" role="status">
          {notice}
        </p>
        {retryError ? <ErrorNotice>{errorMessage(retryError)}</ErrorNotice> : null}
        {jobs.error ? <ErrorNotice error={jobs.error} /> : null}
        {!jobs.data && jobs.loading ? <Loading /> : null}
        {jobs.data && jobs.data.length === 0 ? <p class="subtle">No {state} job.</p> : null}
        {jobs.data && jobs.data.length > 0 ? (
          <TableWrap label={`${state} jobs`}>
            <table data-testid="jobs-table">
              <thead>
                <tr>
                  <th scope="col">Job</th>
                  <th scope="col">Type</th>
                  <th scope="col">State</th>
                  <th scope="col" class="num">
                    Runs
                  </th>
                  <th scope="col">Created</th>
                  <th scope="col">Finished</th>
                  <th scope="col">Error</th>
                  {admin ? <th scope="col">Actions</th> : null}
                </tr>
              </thead>
              <tbody>
                {jobs.data.map((job) => (
                  <tr key={job.id} data-job-id={job.id}>
                    <th scope="row">
                      <a class="mono" href={href('jobs', job.id)}>
                        {job.id}
                      </a>
                    </th>
                    <td>{job.type}</td>
                    <td>
                      <JobStateBadge state={job.state} />
                    </td>
                    <td class="num">
                      {job.attempts} / {job.maxAttempts}
                    </td>
                    <td class="nowrap">{formatTime(job.createdAt)}</td>
                    <td class="nowrap">{formatTime(job.finishedAt)}</td>
                    <td>{job.error ? `${job.error.code}: ${job.error.message}` : '—'}</td>
                    {admin ? (
                      <td>
                        {job.state === 'failed' ? (
                          <button
                            type="button"
                            class="secondary small"
                            onClick={() => void rerun(job)}
                          >
                            Re-run<span class="visually-hidden"> {job.id}</span>
                          </button>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        ) : null}
      </section>
    </Page>
  );
}
