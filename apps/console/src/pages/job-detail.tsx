import { useState } from 'preact/hooks';
import { getJob, retryJob } from '../api/gateway';
import { ErrorNotice, Loading, Page, errorMessage } from '../components/ui';
import { formatTime, orDash } from '../lib/format';
import { useLoad } from '../lib/use-load';
import { href } from '../shell/router';
import { useSession } from '../session/session-context';
import { JobStateBadge } from './jobs';

/** One job: its state, runs, timings, error or result; re-run for the admin. */
export function JobDetailPage({ jobId }: { jobId: string }) {
  const { api, session } = useSession();
  const job = useLoad((signal) => getJob(api, jobId, { signal }), [jobId], { pollMs: 5_000 });
  const [retryError, setRetryError] = useState<unknown>();
  const view = job.data;

  const rerun = async (): Promise<void> => {
    setRetryError(undefined);
    try {
      await retryJob(api, jobId);
      job.reload();
    } catch (error) {
      setRetryError(error);
    }
  };

  return (
    <Page name="job" title="Job">
      <p>
        <a href={href('jobs')}>← Back to jobs</a>
      </p>
      <p class="mono subtle">{jobId}</p>
      {job.error ? <ErrorNotice error={job.error} /> : null}
      {retryError ? <ErrorNotice>{errorMessage(retryError)}</ErrorNotice> : null}
      {!view && job.loading ? <Loading /> : null}
      {view ? (
        <>
          <section class="panel" aria-labelledby="job-facts">
            <h2 id="job-facts">Details</h2>
            <dl class="facts">
              <dt>State</dt>
              <dd>
                <JobStateBadge state={view.state} /> {view.progress}%
              </dd>
              <dt>Type</dt>
              <dd>{view.type}</dd>
              <dt>Runs</dt>
              <dd>
                {view.attempts} of {view.maxAttempts}
              </dd>
              <dt>Created</dt>
              <dd>{formatTime(view.createdAt)}</dd>
              <dt>Started</dt>
              <dd>{formatTime(view.startedAt)}</dd>
              <dt>Finished</dt>
              <dd>{formatTime(view.finishedAt)}</dd>
              <dt>Webhook</dt>
              <dd>{orDash(view.webhookUrl)}</dd>
            </dl>
            {session.role === 'admin' && view.state === 'failed' ? (
              <button type="button" onClick={() => void rerun()}>
                Re-run
              </button>
            ) : null}
          </section>
          {view.error ? (
            <section class="panel" aria-labelledby="job-error">
              <h2 id="job-error">Error</h2>
              <p>
                <code>{view.error.code}</code>: {view.error.message}
              </p>
              <p class="subtle">
                {view.error.retryable ? 'Retryable.' : 'Not retried on its own.'}
              </p>
            </section>
          ) : null}
          {view.result !== undefined ? (
            <section class="panel" aria-labelledby="job-result">
              <h2 id="job-result">Result</h2>
              <pre class="json" tabIndex={0}>
                {JSON.stringify(view.result, null, 2)}
              </pre>
            </section>
          ) : null}
        </>
      ) : null}
    </Page>
  );
}
