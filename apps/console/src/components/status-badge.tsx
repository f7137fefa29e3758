/** A request's status: `ok`, or the error code it ended with. */
export function StatusBadge({ status }: { status: string }) {
  return <span class={status === 'ok' ? 'badge badge-ok' : 'badge badge-error'}>{status}</span>;
}

/** The cache outcome of a request (`hit`, `semantic-hit`, `miss`, `skip`), or a dash. */
export function CacheBadge({ status }: { status?: string | null }) {
  if (!status) return <span class="subtle">—</span>;
  const hit = status === 'hit' || status === 'semantic-hit';
  return <span class={hit ? 'badge badge-hit' : 'badge'}>{status}</span>;
}
