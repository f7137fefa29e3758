// How busy each CPU core was during a run, from /proc/stat (Linux): the ingress benchmark
// subtracts its own processes' CPU time from it to see what else ran on the cores (another
// build or test on a shared machine), and repeats a run that others disturbed.
import { readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux (the unit of /proc/stat)

/**
 * Busy milliseconds of each core so far: user, nice, system, irq, softirq and steal (time
 * the hypervisor gave to others). A process's own CPU time includes the interrupt work
 * done in its context (loopback traffic), so leaving irq out would make "others" negative.
 */
function busyMs() {
  const busy = new Map();
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const match = /^cpu(\d+) (.*)$/.exec(line);
    if (!match) continue;
    const [user, nice, system, , , irq, softirq, steal] = match[2].trim().split(/\s+/).map(Number);
    busy.set(Number(match[1]), (user + nice + system + irq + softirq + steal) * TICK_MS);
  }
  return busy;
}

/** Starts watching; `stop()` gives each core's busy ms since then. */
export function watchCores() {
  const before = busyMs();
  return {
    stop() {
      const after = busyMs();
      return Object.fromEntries(
        [...after].map(([core, ms]) => [core, ms - (before.get(core) ?? 0)]),
      );
    },
  };
}
