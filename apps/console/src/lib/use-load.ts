import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isAbort } from '../api/client';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  /** True until the first answer, and while a reload triggered by the user runs. */
  loading: boolean;
  /** When the data was last fetched (epoch ms). */
  updatedAt: number | undefined;
  reload: () => void;
}

export interface LoadOptions {
  /** Fetch again this long after each answer (live views); paused while the tab is hidden. */
  pollMs?: number;
  /** False: do not load (the page cannot use the endpoint). */
  enabled?: boolean;
}

/**
 * Loads data for a page and keeps it while reloading (a live view does not flicker). A
 * change of `deps` cancels the call in flight and starts a new one; leaving the page
 * cancels it too.
 */
export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
  options: LoadOptions = {},
): Loaded<T> {
  const { pollMs, enabled = true } = options;
  const [state, setState] = useState<Omit<Loaded<T>, 'reload'>>({
    data: undefined,
    error: undefined,
    loading: enabled,
    updatedAt: undefined,
  });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    if (!enabled) return undefined;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = (): void => {
      if (pollMs && document.hidden) {
        timer = setTimeout(run, pollMs);
        return;
      }
      loadRef.current(controller.signal).then(
        (data) => {
          if (controller.signal.aborted) return;
          setState({ data, error: undefined, loading: false, updatedAt: Date.now() });
          if (pollMs) timer = setTimeout(run, pollMs);
        },
        (error: unknown) => {
          if (controller.signal.aborted || isAbort(error)) return;
          setState((previous) => ({ ...previous, error, loading: false }));
          if (pollMs) timer = setTimeout(run, pollMs);
        },
      );
    };
    setState((previous) => ({ ...previous, loading: true }));
    run();
    return () => {
      controller.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [...deps, tick, enabled, pollMs]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}
