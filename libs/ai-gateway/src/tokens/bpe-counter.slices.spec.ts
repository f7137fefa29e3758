import { BpeCounter, WINDOW_CHARS } from './bpe-counter';
import { adversarial, document } from './adversarial-text.fixtures';
import { CpuSlicer } from './cpu-slicer';
import { counterFor } from './tiktoken-encodings';

describe(`${BpeCounter.name}.countAsync`, () => {
  describe.each(['o200k_base', 'cl100k_base'] as const)('%s', (name) => {
    const counter = counterFor(name);

    it('counts the same in slices, yielding between windows of bounded size', async () => {
      const texts = [document(50_000), ...Object.values(adversarial(50_000)), '', 'short'];
      for (const text of texts) {
        let yields = 0;
        const slicer = new CpuSlicer({
          sliceMs: 0,
          yieldNow: () => {
            yields++;
            return Promise.resolve();
          },
        });
        expect(await counter.countAsync(text, slicer)).toBe(counter.count(text));
        // One yield per window, and a window is at most WINDOW_CHARS characters.
        expect(yields).toBeGreaterThanOrEqual(Math.floor(text.length / WINDOW_CHARS));
      }
    }, 60_000);
  });

  it('lets other work run while it counts a 1 MB text', async () => {
    const counter = counterFor('o200k_base');
    let ranMeanwhile = false;
    setImmediate(() => {
      ranMeanwhile = true;
    });
    const counting = counter.countAsync('a'.repeat(1_000_000), new CpuSlicer({ sliceMs: 0 }));
    expect(ranMeanwhile).toBe(false);
    expect(await counting).toBe(counter.count('a'.repeat(1_000_000)));
    expect(ranMeanwhile).toBe(true);
  });
});
