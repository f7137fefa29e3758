import { GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import { TaskError, TaskErrorCode } from '../errors/task.error';
import type { ReleaseSlot, SlotLimits } from './extraction-slots';
import { EXTRACTION_RETRY_AFTER_MS, ExtractionSlots } from './extraction-slots';

const LIMITS: SlotLimits = {
  concurrency: 2,
  perKeyConcurrency: 1,
  maxWaiting: 32,
  maxWaitingPerKey: 8,
  maxWaitMs: 30_000,
};

/** Grants in the order they happen, each with the release of its slot. */
function recorder(slots: ExtractionSlots) {
  const granted: string[] = [];
  const releases = new Map<string, ReleaseSlot>();
  const ask = (owner: string | undefined, label: string): Promise<unknown> =>
    slots.acquire(owner).then(
      (release) => {
        granted.push(label);
        releases.set(label, release);
      },
      // Left waiting at the end of a test: its wait timer refuses it later.
      () => undefined,
    );
  return { granted, releases, ask };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function refusalOf(call: Promise<unknown>): Promise<GatewayError | TaskError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GatewayError || error instanceof TaskError)) {
    throw new Error('expected a coded error');
  }
  expect(error.retryable).toBe(true);
  expect(error.retryAfterMs).toBe(EXTRACTION_RETRY_AFTER_MS);
  return error;
}

describe(ExtractionSlots.name, () => {
  afterEach(() => jest.useRealTimers());

  it("gives key B a free slot at once while key A's seven more files wait (per-key share)", async () => {
    const slots = new ExtractionSlots(LIMITS);
    const { granted, ask } = recorder(slots);
    for (let i = 1; i <= 8; i++) void ask('A', `A${i}`);
    await settle();
    expect(granted).toEqual(['A1']);
    expect(slots.stats()).toEqual({ running: 1, waiting: 7 });
    void ask('B', 'B1');
    await settle();
    expect(granted).toEqual(['A1', 'B1']);
  });

  it('gives a freed slot to the waiting key holding the fewest, not first come first served', async () => {
    const slots = new ExtractionSlots({ ...LIMITS, perKeyConcurrency: 2 });
    const { granted, releases, ask } = recorder(slots);
    for (let i = 1; i <= 8; i++) void ask('A', `A${i}`);
    await settle();
    void ask('B', 'B1');
    void ask('B', 'B2');
    await settle();
    expect(granted).toEqual(['A1', 'A2']);
    for (const label of ['A1', 'B1', 'A2', 'B2']) {
      releases.get(label)?.();
      await settle();
    }
    // A1 frees → B1 (B holds none); B1 frees → B2 (B still holds fewer than A);
    // then only A waits.
    expect(granted).toEqual(['A1', 'A2', 'B1', 'B2', 'A3', 'A4']);
  });

  it('takes turns between keys holding as many slots (served longest ago first)', async () => {
    const slots = new ExtractionSlots({ ...LIMITS, concurrency: 1 });
    const { granted, releases, ask } = recorder(slots);
    for (const label of ['A1', 'A2', 'A3', 'B1', 'B2', 'C1']) void ask(label[0], label);
    await settle();
    for (let i = 0; i < 5; i++) {
      releases.get(granted[granted.length - 1])?.();
      await settle();
    }
    expect(granted).toEqual(['A1', 'B1', 'C1', 'A2', 'B2', 'A3']);
  });

  it("refuses a key's file past its waiting share with a retryable 429 code", async () => {
    const slots = new ExtractionSlots({ ...LIMITS, maxWaitingPerKey: 3 });
    const { ask } = recorder(slots);
    for (let i = 1; i <= 4; i++) void ask('A', `A${i}`);
    const error = await refusalOf(slots.acquire('A'));
    expect(error.code).toBe(GatewayErrorCode.RATE_LIMIT_EXCEEDED);
    // Another key still gets the free slot.
    await expect(slots.acquire('B')).resolves.toEqual(expect.any(Function));
  });

  it('refuses past the wait list, all keys together, with a retryable 503 code', async () => {
    const slots = new ExtractionSlots({ ...LIMITS, maxWaiting: 2 });
    const { ask } = recorder(slots);
    for (const owner of ['A', 'B', 'C', 'D']) void ask(owner, owner);
    await settle();
    expect(slots.stats()).toEqual({ running: 2, waiting: 2 });
    const error = await refusalOf(slots.acquire('E'));
    expect(error.code).toBe(TaskErrorCode.QUEUE_UNAVAILABLE);
    expect(slots.stats()).toEqual({ running: 2, waiting: 2 });
  });

  it('refuses a file that waited past maxWaitMs and forgets it', async () => {
    jest.useFakeTimers();
    const slots = new ExtractionSlots({ ...LIMITS, concurrency: 1, maxWaitMs: 1_000 });
    await slots.acquire('A');
    const waiting = refusalOf(slots.acquire('B'));
    jest.advanceTimersByTime(1_000);
    expect((await waiting).code).toBe(TaskErrorCode.QUEUE_UNAVAILABLE);
    expect(slots.stats()).toEqual({ running: 1, waiting: 0 });
  });

  it('counts a released slot once, however often it is released', async () => {
    const slots = new ExtractionSlots({ ...LIMITS, concurrency: 1 });
    const release = await slots.acquire('A');
    release();
    release();
    expect(slots.stats()).toEqual({ running: 0, waiting: 0 });
  });
});
