// CPU time and memory of another process, read from /proc (Linux only).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

let ticksPerSecond;
function clockTicks() {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** User + system CPU time of `pid` so far, in milliseconds (resolution: one clock tick, 10 ms). */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself contain spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / clockTicks();
}

/** `{ rssMb, hwmMb }`: resident set now and its high-water mark since the process started. */
export function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
}

/**
 * Watches a process while a run goes on: CPU time at start and stop, RSS sampled every
 * `intervalMs` (peak and mean kept).
 */
export function watchProcess(pid, intervalMs = 100) {
  const cpuStart = cpuMs(pid);
  const gone = { rssMb: NaN, hwmMb: NaN };
  const startedAt = performance.now();
  let peakRssMb = memory(pid).rssMb;
  let sum = 0;
  let samples = 0;
  const timer = setInterval(() => {
    try {
      const { rssMb } = memory(pid);
      peakRssMb = Math.max(peakRssMb, rssMb);
      sum += rssMb;
      samples += 1;
    } catch {
      // process gone: the run will report it
    }
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      // The process may have died during the run; the run's errors say so, not a crash here.
      const alive = existsSync(`/proc/${pid}/stat`);
      const { rssMb, hwmMb } = alive ? memory(pid) : gone;
      if (alive) peakRssMb = Math.max(peakRssMb, rssMb);
      return {
        exited: !alive,
        cpuMs: alive ? cpuMs(pid) - cpuStart : NaN,
        wallMs: performance.now() - startedAt,
        peakRssMb,
        meanRssMb: samples ? sum / samples : rssMb,
        rssMbAfter: rssMb,
        hwmMb,
      };
    },
  };
}
