/**
 * CPU time as the grader's measure of how long a submission ran (docs/grading.md, "Limits").
 * Wall-clock time depends on how busy the machine is; the CPU time a process actually consumed
 * does not (much), so every budget that judges a submission counts CPU: the grader's own
 * (process.cpuUsage()) plus that of the sandbox / node-host processes it started on the
 * submission's behalf, read from /proc/<pid>/stat while they live and kept once they end.
 *
 * On a system without /proc (macOS, Windows) there is no cheap way to read another process's CPU
 * time, so everything here falls back to wall time: the limits then depend on load again.
 */
import * as fs from "node:fs";

/** Whether /proc/<pid>/stat can be read (Linux); otherwise the meters measure wall time. */
export const cpuTimeAvailable: boolean = (() => {
  try {
    return fs.readFileSync(`/proc/${process.pid}/stat`, "utf8").length > 0;
  } catch {
    return false;
  }
})();

/** Clock ticks per second of /proc's utime/stime (USER_HZ: 100 on every Linux build in practice). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) a live process has consumed, from /proc/<pid>/stat; undefined when
 * the process is gone (or not on Linux). `withReaped` adds cutime + cstime: its children that ended
 * and were waited for.
 */
export function processCpuMs(pid: number | undefined, withReaped = false): number | undefined {
  if (pid === undefined || !cpuTimeAvailable) return undefined;
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may contain spaces: split after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state); utime, stime, cutime, cstime are fields 14..17.
  const ticks = Number(fields[11]) + Number(fields[12]) + (withReaped ? Number(fields[13]) + Number(fields[14]) : 0);
  return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
}

/** The CPU time of this (grader) process so far, ms. */
export function ownCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * The CPU time of a changing set of child processes: live ones are sampled from /proc, ended ones
 * keep their last sample (a process's /proc entry disappears once it is reaped, so `sample()` is
 * called often, e.g. by a watchdog, and once more just before a kill).
 */
export class ChildrenCpu {
  private readonly live = new Map<number, number>();
  private endedMs = 0;

  /** Starts counting a child (its CPU from its start). */
  add(pid: number | undefined): void {
    if (pid !== undefined && !this.live.has(pid)) this.live.set(pid, 0);
  }

  /** Reads the live children's CPU time now; returns the total. */
  sample(): number {
    for (const pid of this.live.keys()) {
      const ms = processCpuMs(pid);
      if (ms !== undefined) this.live.set(pid, Math.max(ms, this.live.get(pid) ?? 0));
    }
    return this.totalMs();
  }

  /** Samples the child one last time and keeps its time: call before killing it, or once it ended. */
  ended(pid: number | undefined): void {
    if (pid === undefined || !this.live.has(pid)) return;
    const ms = processCpuMs(pid);
    this.endedMs += Math.max(ms ?? 0, this.live.get(pid) ?? 0);
    this.live.delete(pid);
  }

  /** CPU ms of all children so far (as of the last sample). */
  totalMs(): number {
    let total = this.endedMs;
    for (const ms of this.live.values()) total += ms;
    return total;
  }
}

/**
 * Time used on one submission's (or one exercise's) behalf since the meter was made: the grader's
 * own CPU time plus each added source (children's CPU time, ms). The grader's own CPU is shared by
 * whatever it does at once (exercises graded in parallel), so a meter may count a little more than
 * its submission used: never less. Without /proc: wall time since the meter was made.
 */
export class CpuMeter {
  private readonly sources: (() => number)[] = [];
  private readonly ownAtStart = ownCpuMs();
  private readonly wallAtStart = Date.now();

  /** Counts a source of child CPU time (ms, growing from 0 when it is added). */
  add(source: () => number): void {
    this.sources.push(source);
  }

  elapsedMs(): number {
    if (!cpuTimeAvailable) return Date.now() - this.wallAtStart;
    let total = ownCpuMs() - this.ownAtStart;
    for (const source of this.sources) total += source();
    return total;
  }

  wallMs(): number {
    return Date.now() - this.wallAtStart;
  }
}

/** How much longer than its CPU budget code may run by the wall clock (blocked, not computing). */
export const WALL_BACKSTOP_FACTOR = 10;
