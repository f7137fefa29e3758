import { CpuSlicer } from './cpu-slicer';

describe(CpuSlicer.name, () => {
  /** Runs `workers` counts of `units` fake milliseconds each; returns the work done per turn. */
  async function workPerTurn(workers: number, units: number, sliceMs: number): Promise<number[]> {
    let clock = 0;
    const now = (): number => clock;
    const turns: number[] = [];
    let running = true;
    let mark = 0;
    // One tick per turn of the event loop (an immediate set from a check phase runs in the next).
    const tick = (): void => {
      turns.push(clock - mark);
      mark = clock;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    await Promise.all(
      Array.from({ length: workers }, async () => {
        const slicer = new CpuSlicer({ sliceMs, now });
        for (let i = 0; i < units; i++) {
          clock += 1; // a unit of synchronous work (a window of text)
          await slicer.pause();
        }
      }),
    );
    running = false;
    turns.push(clock - mark);
    return turns;
  }

  it('shares one budget per turn of the event loop between all the slicers of the process', async () => {
    const turns = await workPerTurn(8, 12, 3);
    expect(turns.reduce((a, b) => a + b, 0)).toBe(96);
    // Before: each slicer ran its own 3 ms after the same check phase, 8 × 3 = 24 ms in one
    // turn. Now a turn holds one resumed slice (≤ 3) plus the first unit of each new slicer.
    expect(Math.max(...turns)).toBeLessThanOrEqual(3 + 8);
    // Past the first turn (where all eight started), no turn exceeds a slice.
    expect(Math.max(...turns.slice(2))).toBeLessThanOrEqual(3);
  });

  it('never yields while the turn has time left', async () => {
    const slicer = new CpuSlicer({ sliceMs: 1_000 });
    for (let i = 0; i < 100; i++) await slicer.pause();
    expect(slicer.yields).toBe(0);
  });

  it('still yields through an injected yieldNow (tests)', async () => {
    let yields = 0;
    const slicer = new CpuSlicer({
      sliceMs: 0,
      yieldNow: () => {
        yields++;
        return Promise.resolve();
      },
    });
    await slicer.pause();
    await slicer.pause();
    expect(yields).toBe(2);
  });
});
