// How the console writes numbers, money, durations and times: one place, so a number
// reads the same on every page.

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export const DASH = '—';

export function formatInt(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? DASH
    : integer.format(value);
}

/** US dollars: cents for sums from $100, up to six decimals (trailing zeros dropped) below. */
export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  if (value === 0) return '$0.00';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  if (abs >= 100)
    return `${sign}$${abs.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 })}`;
  let text = abs.toFixed(6).replace(/0+$/, '');
  if (/\.\d?$/.test(text)) text = abs.toFixed(2);
  return `${sign}$${text}`;
}

/** A share (0–1) as a percentage with one decimal. */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return `${(value * 100).toFixed(1)}%`;
}

/** Milliseconds: `85 ms`, `1.24 s`, `2 min 5 s`. */
export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  if (value < 1_000) return `${Math.round(value * 10) / 10} ms`;
  if (value < 60_000) return `${(value / 1_000).toFixed(2)} s`;
  const minutes = Math.floor(value / 60_000);
  return `${minutes} min ${Math.round((value % 60_000) / 1_000)} s`;
}

/** A duration in words, for windows and open circuits: `5 min`, `2 h`, `1 d 3 h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return DASH;
  if (ms < 60_000) return `${Math.ceil(ms / 1_000)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  if (ms < 86_400_000) return `${Math.round(ms / 3_600_000)} h`;
  const days = Math.floor(ms / 86_400_000);
  const hours = Math.round((ms % 86_400_000) / 3_600_000);
  return hours ? `${days} d ${hours} h` : `${days} d`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** A time in the browser's zone, `2025-11-21 14:03:05`. */
export function formatTime(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return DASH;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** An ISO time relative to now: `in 4 min`, `3 h ago`. */
export function formatFromNow(value: string | undefined, now = Date.now()): string {
  if (!value) return DASH;
  const ms = Date.parse(value) - now;
  if (Number.isNaN(ms)) return value;
  return ms >= 0 ? `in ${formatDuration(ms)}` : `${formatDuration(-ms)} ago`;
}

/** A value for a `datetime-local` input (local time, minutes), from an ISO time. */
export function toLocalInput(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

/** An ISO time from a `datetime-local` value (read in the browser's zone); undefined if empty. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Text or a dash for empty values. */
export const orDash = (value: string | number | null | undefined): string =>
  value === null || value === undefined || value === '' ? DASH : String(value);
