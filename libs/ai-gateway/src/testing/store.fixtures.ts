/** Wednesday 14 January 2026, 10:00 UTC: the start of every store spec's manual clock. */
export const T0 = Date.UTC(2026, 0, 14, 10);

/** A store under test and how to dispose of it. */
export interface OpenedStore<S> {
  store: S;
  close?: () => Promise<void>;
}

/** Builds a fresh, empty store for one test (its own Redis key prefix, for example). */
export type StoreFactory<S> = () => Promise<OpenedStore<S>>;

/**
 * Opens a fresh store before each test and closes it after; read it through the getter
 * (`what` names it when a test reads it outside a test).
 */
export function useStore<S>(open: StoreFactory<S>, what: string): () => S {
  let opened: OpenedStore<S> | undefined;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(async () => {
    await opened?.close?.();
    opened = undefined;
  });
  return () => {
    if (!opened) throw new Error(`no ${what} store open`);
    return opened.store;
  };
}

/**
 * The methods of a store whose Redis is gone: each call is recorded in `calls` and
 * rejects the way ioredis does without an offline queue.
 */
export function unreachableMethods<const M extends string>(
  methods: readonly M[],
): Record<M, () => Promise<never>> & { calls: M[] } {
  const calls: M[] = [];
  const failing = {} as Record<M, () => Promise<never>>;
  for (const name of methods) {
    failing[name] = () => {
      calls.push(name);
      return Promise.reject(
        new Error("Stream isn't writeable and enableOfflineQueue options is false"),
      );
    };
  }
  return Object.assign(failing, { calls });
}

/**
 * Starts `count` operations at once (ids `<prefix>-<i>`), spread over `stores` in turn;
 * returns the ids of those `start` reports as admitted.
 */
export async function startMany<S>(
  stores: readonly S[],
  prefix: string,
  count: number,
  start: (store: S, id: string) => Promise<boolean>,
): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const admitted = await Promise.all(ids.map((id, i) => start(stores[i % stores.length], id)));
  return ids.filter((_, i) => admitted[i]);
}
