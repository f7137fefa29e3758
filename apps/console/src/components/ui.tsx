import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { errorMessage } from '../lib/error-text';

export { errorMessage };

interface PageProps {
  name: string;
  title: string;
  /** Controls beside the heading (period picker, refresh). */
  actions?: ComponentChildren;
  children: ComponentChildren;
}

/** Whether a page was shown before (a later one is a navigation), or sign-in asked for focus. */
let focusOnShow = false;

/** The next page takes the focus (after sign-in, when the form the focus was in is gone). */
export function focusNextPage(): void {
  focusOnShow = true;
}

/**
 * A page: the document's main landmark (`data-testid="page-<name>"`) with the page's h1,
 * which takes the focus when the console moves to the page, so keyboard and screen-reader
 * users start there (not on a fresh load: Tab then starts at the skip link and navigation).
 */
export function Page({ name, title, actions, children }: PageProps) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · AI Gateway console`;
    if (focusOnShow) heading.current?.focus({ preventScroll: true });
    focusOnShow = true;
  }, [name, title]);
  return (
    <main id="main" class="page" data-testid={`page-${name}`}>
      <div class="page-head">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {actions ? <div class="page-actions">{actions}</div> : null}
      </div>
      {children}
    </main>
  );
}

/** A failure, announced to assistive technology (role="alert"). */
export function ErrorNotice({
  error,
  children,
}: {
  error?: unknown;
  children?: ComponentChildren;
}) {
  return (
    <div class="notice notice-error" role="alert">
      {children ?? errorMessage(error)}
    </div>
  );
}

/** An endpoint this gateway does not have yet: said plainly, never replaced by made-up data. */
export function NotAvailable({ what }: { what: string }) {
  return (
    <div class="notice notice-info" data-testid="not-available">
      {what} is not available on this gateway (it needs a newer gateway version).
    </div>
  );
}

export function Info({ children }: { children: ComponentChildren }) {
  return <div class="notice notice-info">{children}</div>;
}

export function Loading({ what = 'Loading…' }: { what?: string }) {
  return (
    <p class="loading" role="status">
      {what}
    </p>
  );
}

interface StatProps {
  label: string;
  value: string;
  testId: string;
  /** The unformatted number, for scripts and tests (`data-value`). */
  raw?: number | null;
  hint?: string;
}

/** One headline number. */
export function Stat({ label, value, testId, raw, hint }: StatProps) {
  return (
    <div class="stat">
      <dt>{label}</dt>
      <dd data-testid={testId} data-value={raw === null || raw === undefined ? '' : String(raw)}>
        {value}
      </dd>
      {hint ? <dd class="stat-hint">{hint}</dd> : null}
    </div>
  );
}

/**
 * A table that scrolls sideways on a narrow screen; focusable so the keyboard can scroll
 * it, and named for screen readers.
 */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={`${label} table`} tabIndex={0}>
      {children}
    </div>
  );
}

/** Visually hidden text, still read by screen readers. */
export function Hidden({ children }: { children: ComponentChildren }) {
  return <span class="visually-hidden">{children}</span>;
}

interface FieldProps {
  /** The control's id: the label points at it (`for`), so its name is exactly the label. */
  id: string;
  label: ComponentChildren;
  /** Help under the control; give the control `aria-describedby={hintId(id)}`. */
  hint?: ComponentChildren;
  children: ComponentChildren;
}

export const hintId = (id: string): string => `${id}-hint`;

/** A labelled form control (label above, optional hint below). */
export function Field({ id, label, hint, children }: FieldProps) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint ? (
        <small id={hintId(id)} class="hint">
          {hint}
        </small>
      ) : null}
    </div>
  );
}
