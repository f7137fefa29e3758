import { MemoryUsageBuffer } from './memory-usage.buffer';
import { usageBufferScenarios } from './usage-buffer.scenarios';

describe(MemoryUsageBuffer.name, () => {
  usageBufferScenarios((limit) =>
    Promise.resolve({ buffer: new MemoryUsageBuffer(limit), close: () => Promise.resolve() }),
  );
});
