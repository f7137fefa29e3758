/**
 * The continuous percentile of ascending values, interpolated exactly as PostgreSQL's
 * `percentile_cont(fraction) WITHIN GROUP (ORDER BY …)` does, so the embedded store
 * (SQLite has no percentile function) reports the same figure. Undefined when empty.
 */
export function percentileCont(ascending: readonly number[], fraction: number): number | undefined {
  if (ascending.length === 0) return undefined;
  const position = fraction * (ascending.length - 1);
  const lower = Math.floor(position);
  const low = ascending[lower];
  const high = ascending[Math.ceil(position)];
  return low + (high - low) * (position - lower);
}
