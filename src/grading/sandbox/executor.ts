/**
 * The trusted side of the sandbox: starts src/grading/sandbox/child.ts (compiled into the prepared
 * sandbox folder) for one exercise of one submission, sends it driver requests, and enforces the
 * limits. Everything that comes back is untrusted data; every way the child can fail (time, memory,
 * exit, garbage on the channel, too much output) becomes a "fatal" outcome with a plain reason.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Socket } from "node:net";
import type { ExecOutcome, Executor } from "../run";
import { sandboxLaunch } from "./launch";
import { ChildrenCpu, WALL_BACKSTOP_FACTOR, processCpuMs, type CpuMeter } from "./cpu";


export interface SandboxLimits {
  /**
   * Most CPU time one driver call may use in the child (it covers the whole run of one input). The
   * wall clock only backs it up, at WALL_BACKSTOP_FACTOR times as long, for code that waits forever.
   */
  readonly callTimeMs: number;
  /** Extra time for the first call after a child starts (it loads the kit and the submission first). */
  readonly startupMs?: number;
  /** V8 heap cap of the child; its resident memory is also watched (heap + 256 MB) and killed above. */
  readonly memoryMb: number;
  /** Largest reply line accepted from the child. */
  readonly replyBytesMax: number;
  /** Stdout/stderr kept for the report (the rest is discarded). */
  readonly logBytesMax: number;
}

export const defaultLimits: SandboxLimits = { callTimeMs: 5000, startupMs: 10_000, memoryMb: 256, replyBytesMax: 8 << 20, logBytesMax: 4096 };

export interface SandboxOptions {
  /** The prepared folder: src/ (the kit, compiled) and exercises/ (the submission, compiled). */
  readonly root: string;
  /** The kit's node_modules (readable by the child). */
  readonly nodeModules: string;
  /** Exercise module name, e.g. "lamport-clock". */
  readonly module: string;
  readonly limits: SandboxLimits;
  /** The submission's overall limit: CPU ms counted by `meter` (wall backstop: 10 times as long). */
  readonly overall?: { readonly meter: CpuMeter; readonly limitMs: number };
}


interface Pending {
  id: number;
  resolve(outcome: ExecOutcome): void;
  timer: NodeJS.Timeout;
  /** CPU budget of this call (ms), the child's CPU time and the wall clock when it was sent. */
  budgetMs: number;
  cpuAtStart: number;
  wallAtStart: number;
  /** The child's CPU time at the last sample that showed it had advanced, and when that was. */
  lastCpu: number;
  lastProgressWall: number;
}

export class Sandbox {
  private child: ChildProcess | undefined;
  private channel: Socket | undefined;
  private pending: Pending | undefined;
  private nextId = 1;
  private buffered = "";
  private killedFor: string | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  /** What the child printed (truncated): shown to instructors, never parsed. */
  stdout = "";
  stderr = "";
  /** Number of child processes started (a fresh one after each fatal outcome). */
  starts = 0;
  /** CPU time of the children this sandbox started (a source for the submission's CpuMeter). */
  readonly cpu = new ChildrenCpu();

  constructor(private readonly options: SandboxOptions) {}

  readonly exec: Executor = (driver, input) => {
    if (this.pending !== undefined) throw new Error("Sandbox.exec: one call at a time");
    const overallReached = this.overallReached();
    if (overallReached !== undefined) return Promise.resolve({ kind: "fatal", message: overallReached });
    const fresh = this.child === undefined;
    const child = this.start();
    const channel = this.channel as Socket;
    // A fresh child first loads the kit and the submission: the first call after a start gets that
    // time on top of the per-call limit.
    const budgetMs = this.options.limits.callTimeMs + (fresh ? this.options.limits.startupMs ?? 0 : 0);
    const id = this.nextId++;
    return new Promise<ExecOutcome>((resolve) => {
      // The CPU budget is watched by the watchdog (start()); this timer is the wall-clock backstop
      // for code that never answers without computing (a promise that never resolves).
      const wallMs = budgetMs * WALL_BACKSTOP_FACTOR;
      const timer = setTimeout(() => {
        this.kill(`no answer within ${wallMs / 1000} s of wall-clock time while using little CPU (a promise that never resolves, or blocked waiting?)`);
      }, wallMs);
      const cpuAtStart = fresh ? 0 : processCpuMs(child.pid) ?? 0;
      this.pending = { id, resolve, timer, budgetMs, cpuAtStart, wallAtStart: Date.now(), lastCpu: cpuAtStart, lastProgressWall: Date.now() };
      channel.write(`${JSON.stringify({ id, driver, input })}\n`);
    });
  };

  /** Why no more time may be spent on this submission, if its overall limit is reached. */
  private overallReached(): string | undefined {
    const overall = this.options.overall;
    if (overall === undefined) return undefined;
    if (overall.meter.elapsedMs() >= overall.limitMs) return `the overall time limit for this submission was reached (${overall.limitMs / 1000} s of CPU time)`;
    const wallMs = overall.limitMs * WALL_BACKSTOP_FACTOR;
    if (overall.meter.wallMs() >= wallMs) return `the overall wall-clock backstop for this submission was reached (${wallMs / 1000} s)`;
    return undefined;
  }

  /** Checks the call in progress against its CPU budget and the overall limit (watchdog). */
  private checkTime(child: ChildProcess): void {
    const pending = this.pending;
    if (pending === undefined) return;
    const cpuMs = processCpuMs(child.pid);
    // No /proc (not Linux): the call's wall time stands in for its CPU time.
    const usedMs = cpuMs === undefined ? Date.now() - pending.wallAtStart : cpuMs - pending.cpuAtStart;
    if (usedMs > pending.budgetMs) {
      this.kill(`no answer within ${this.options.limits.callTimeMs / 1000} s of CPU time (an infinite loop?)`);
      return;
    }
    // A call whose child has used no CPU at all for its whole budget is waiting for something that
    // will not come (a promise that never resolves, a blocked read): honest code on a busy machine
    // is runnable and still gets some CPU every few milliseconds, so its time keeps advancing.
    if (cpuMs !== undefined) {
      const now = Date.now();
      if (cpuMs > pending.lastCpu) {
        pending.lastCpu = cpuMs;
        pending.lastProgressWall = now;
      } else if (now - pending.lastProgressWall > pending.budgetMs) {
        this.kill(`no answer within ${this.options.limits.callTimeMs / 1000} s, using no CPU meanwhile (a promise that never resolves, or blocked waiting?)`);
        return;
      }
    }
    const overall = this.overallReached();
    if (overall !== undefined) this.kill(overall);
  }

  /** Ends the child (if any). */
  close(): void {
    this.kill(undefined);
  }

  private start(): ChildProcess {
    if (this.child !== undefined) return this.child;
    const { root, nodeModules, module, limits } = this.options;
    const entry = path.join(root, "src", "grading", "sandbox", "child.js");
    const launch = sandboxLaunch();
    const child = spawn(
      launch.command,
      [
        ...launch.prefix,
        "--experimental-permission",
        `--allow-fs-read=${root}${path.sep}`,
        `--allow-fs-read=${nodeModules}${path.sep}`,
        `--max-old-space-size=${limits.memoryMb}`,
        "--no-warnings",
        entry,
        module,
      ],
      {
        cwd: root,
        env: { NODE_PATH: nodeModules },
        stdio: ["ignore", "pipe", "pipe", "pipe"],
        detached: true,
        ...(launch.uid === undefined ? {} : { uid: launch.uid, gid: launch.gid }),
      },
    );
    this.starts += 1;
    this.child = child;
    this.cpu.add(child.pid);
    this.killedFor = undefined;
    this.buffered = "";
    const channel = child.stdio[3] as Socket;
    this.channel = channel;
    channel.setEncoding("utf8");
    channel.on("data", (chunk: string) => this.onData(chunk));
    channel.on("error", () => undefined);
    child.stdout?.setEncoding("utf8");
    child.stderr?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => (this.stdout = keep(this.stdout, chunk, limits.logBytesMax)));
    child.stderr?.on("data", (chunk: string) => (this.stderr = keep(this.stderr, chunk, limits.logBytesMax)));
    child.on("error", (error) => this.onExit(child, null, null, String(error)));
    child.on("close", (code, signal) => this.onExit(child, code, signal));
    const rssMaxKb = (limits.memoryMb + 256) * 1024;
    this.watchdog = setInterval(() => {
      this.cpu.sample();
      const rssKb = residentKb(child.pid);
      if (rssKb !== undefined && rssKb > rssMaxKb) this.kill(`used more than ${limits.memoryMb + 256} MB of memory`);
      else this.checkTime(child);
    }, 50);
    return child;
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    if (this.buffered.length > this.options.limits.replyBytesMax) {
      this.kill(`sent more than ${this.options.limits.replyBytesMax >> 20} MB of output for one input`);
      return;
    }
    let newline = this.buffered.indexOf("\n");
    while (newline >= 0) {
      const line = this.buffered.slice(0, newline);
      this.buffered = this.buffered.slice(newline + 1);
      this.onReply(line);
      newline = this.buffered.indexOf("\n");
    }
  }

  private onReply(line: string): void {
    let reply: { id?: unknown; kind?: unknown; output?: unknown; message?: unknown };
    try {
      reply = JSON.parse(line);
    } catch {
      this.kill("wrote something that is not a reply on the grader's channel");
      return;
    }
    const pending = this.pending;
    if (pending === undefined || reply === null || reply.id !== pending.id) {
      this.kill("wrote an unexpected reply on the grader's channel");
      return;
    }
    if (reply.kind === "output") this.settle({ kind: "output", output: reply.output });
    else if (reply.kind === "threw") this.settle({ kind: "threw", message: typeof reply.message === "string" ? reply.message : "an error" });
    else this.kill("wrote a malformed reply on the grader's channel");
  }

  private settle(outcome: ExecOutcome): void {
    const pending = this.pending;
    if (pending === undefined) return;
    this.pending = undefined;
    clearTimeout(pending.timer);
    pending.resolve(outcome);
  }

  private kill(reason: string | undefined): void {
    const child = this.child;
    if (child === undefined) return;
    if (this.killedFor === undefined) this.killedFor = reason;
    this.cpu.ended(child.pid);
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }
    this.forget(child);
    if (reason !== undefined) this.settle({ kind: "fatal", message: reason });
  }

  private onExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null, error?: string): void {
    if (this.child !== child) return;
    const reason =
      this.killedFor ??
      (error !== undefined
        ? `the sandbox could not start (${error})`
        : /heap out of memory|Allocation failed/i.test(this.stderr)
          ? `ran out of memory (heap limit ${this.options.limits.memoryMb} MB)`
          : `the process ended during the test (exit code ${code}${signal === null ? "" : `, signal ${signal}`}): did the code call process.exit?`);
    this.forget(child);
    this.settle({ kind: "fatal", message: reason });
  }

  private forget(child: ChildProcess): void {
    if (this.child !== child) return;
    this.cpu.ended(child.pid);
    this.child = undefined;
    this.channel?.destroy();
    this.channel = undefined;
    if (this.watchdog !== undefined) clearInterval(this.watchdog);
    this.watchdog = undefined;
  }
}

function keep(kept: string, chunk: string, max: number): string {
  return kept.length >= max ? kept : (kept + chunk).slice(0, max);
}

function residentKb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return match === null ? undefined : Number(match[1]);
  } catch {
    return undefined;
  }
}
