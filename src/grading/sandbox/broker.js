/**
 * The node hosts' broker: a worker thread of the trusted grader (plain JavaScript, so it runs the
 * same under tsx, mocha and compiled code). The grader's main thread runs the simulator and talks to
 * each node host (src/grading/sandbox/node-host.ts) synchronously, over two named pipes per host: it
 * writes a request and blocks reading the reply. This thread does what the main thread cannot while
 * it is blocked: it starts the hosts, watches each call's CPU time (the host's utime + stime from
 * /proc, so a busy machine does not make honest code time out; a generous wall-clock backstop catches
 * code that waits forever without computing) and each host's memory, and when
 * a host dies, hangs or grows too big it kills the host and writes a fatal line ("\u0000" then the
 * reason) into that host's reply pipe, which unblocks the main thread.
 */
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { spawn } = require("node:child_process");
const fs = require("node:fs");

const { root, nodeModules, module: moduleName, entry, memoryMb, launch, control: controlBuffer, baseMs } = workerData;
/**
 * What the main thread is waiting for, written by it before each request: [hostId, seq, wall-clock
 * backstop (ms after baseMs; 0 = not waiting), CPU budget (ms)]. Polled here: no message per call.
 * Slot 4 is written here: the CPU time (ms) all hosts have used so far (for the submission's meter).
 */
const control = new Int32Array(controlBuffer);
/** hostId -> { child, replyFd, dead } */
const hosts = new Map();

/** Marks the host dead; if the main thread is blocked on its reply, unblocks it with a fatal line. */
function fatal(hostId, host, why) {
  if (host.dead === undefined) host.dead = why;
  if (Atomics.load(control, 2) !== 0 && Atomics.load(control, 0) === hostId) {
    const seq = Atomics.load(control, 1);
    if (host.fatalSent === seq) return;
    host.fatalSent = seq;
    try {
      fs.writeSync(host.replyFd, `\u0000${seq} ${host.dead.replace(/\n/g, " ")}\n`);
    } catch {
      // the grader closed the pipe: nobody is waiting
    }
  }
}

function residentKb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

const cpuAvailable = (() => {
  try {
    return fs.readFileSync(`/proc/${process.pid}/stat`, "utf8").length > 0;
  } catch {
    return false;
  }
})();

/** CPU ms (utime + stime) of a live process, from /proc (as cpu.ts); undefined if gone or not Linux. */
function cpuMs(pid) {
  if (pid === undefined || !cpuAvailable) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined; // USER_HZ = 100
  } catch {
    return undefined;
  }
}

/** CPU ms of hosts that ended (their last sample). */
let endedCpuMs = 0;

/** Samples a host's CPU time (kept once it is gone). */
function sampleCpu(host) {
  if (host.cpuCounted) return host.lastCpuMs;
  const ms = cpuMs(host.child.pid);
  if (ms !== undefined && ms > host.lastCpuMs) host.lastCpuMs = ms;
  return host.lastCpuMs;
}

/** Stops counting a host that is about to be killed or has ended: its last sample is kept. */
function ended(host) {
  if (host.cpuCounted) return;
  sampleCpu(host);
  host.cpuCounted = true;
  endedCpuMs += host.lastCpuMs;
}

function publishCpu() {
  let total = endedCpuMs;
  for (const host of hosts.values()) if (!host.cpuCounted) total += sampleCpu(host);
  Atomics.store(control, 4, Math.min(2 ** 31 - 1, Math.round(total)));
}

function kill(host) {
  ended(host);
  const pid = host.child.pid;
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    try {
      host.child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
}

function start(hostId, requestFd, replyFd, fatalFd) {
  const child = spawn(
    launch.command,
    [
      ...launch.prefix,
      "--experimental-permission",
      `--allow-fs-read=${root}/`,
      `--allow-fs-read=${nodeModules}/`,
      `--max-old-space-size=${memoryMb}`,
      "--no-warnings",
      entry,
      moduleName,
    ],
    {
      cwd: root,
      env: { NODE_PATH: nodeModules },
      stdio: ["ignore", "ignore", "ignore", requestFd, replyFd],
      detached: true,
      ...(launch.uid === undefined ? {} : { uid: launch.uid, gid: launch.gid }),
    },
  );
  // Fatal lines go through the grader's own end of the reply pipe (the host's end is its).
  const host = { child, replyFd: fatalFd, dead: undefined, fatalSent: -1, lastCpuMs: 0, cpuCounted: false, watchedSeq: -1, cpuAtCall: 0 };
  hosts.set(hostId, host);
  child.on("error", (error) => fatal(hostId, host, `the node's process could not run: ${String(error)}`));
  child.on("close", (code, signal) => {
    ended(host);
    fatal(hostId, host, signal ? `the node's process was stopped (${signal})` : `the node's process ended (exit code ${code}): did the code call process.exit?`);
  });
}

const rssMaxKb = (memoryMb + 256) * 1024;
let sinceMemoryCheckMs = 0;
const watchdog = setInterval(() => {
  // The call the main thread is blocked on: over its time limit?
  const deadline = Atomics.load(control, 2);
  const waitingOn = hosts.get(Atomics.load(control, 0));
  if (deadline !== 0 && waitingOn !== undefined && waitingOn.dead !== undefined) {
    // The host died before the grader started waiting on it.
    fatal(Atomics.load(control, 0), waitingOn, waitingOn.dead);
  } else if (deadline !== 0 && waitingOn !== undefined) {
    const hostId = Atomics.load(control, 0);
    const seq = Atomics.load(control, 1);
    const budgetMs = Atomics.load(control, 3);
    const nowCpu = cpuMs(waitingOn.child.pid);
    if (waitingOn.watchedSeq !== seq) {
      // First sight of this call (at most 20 ms late): a host's first call counts from its start,
      // as its budget includes loading the kit and the submission.
      waitingOn.cpuAtCall = waitingOn.watchedSeq === -1 ? 0 : nowCpu ?? 0;
      waitingOn.watchedSeq = seq;
      waitingOn.wallAtCall = Date.now();
      waitingOn.lastCpu = waitingOn.cpuAtCall;
      waitingOn.lastProgressWall = Date.now();
    }
    // A host that used no CPU at all for the call's whole budget waits for something that will not
    // come (a blocked read): honest code on a busy machine is runnable and keeps getting some CPU.
    let idle = false;
    if (nowCpu !== undefined) {
      if (nowCpu > waitingOn.lastCpu) {
        waitingOn.lastCpu = nowCpu;
        waitingOn.lastProgressWall = Date.now();
      } else idle = Date.now() - waitingOn.lastProgressWall > budgetMs;
    }
    // Without /proc (not Linux) the call's wall time stands in for its CPU time.
    const usedMs = nowCpu === undefined ? Date.now() - waitingOn.wallAtCall : nowCpu - waitingOn.cpuAtCall;
    if (usedMs > budgetMs) {
      kill(waitingOn);
      fatal(hostId, waitingOn, `a handler used more than ${budgetMs / 1000} s of CPU time (an infinite loop?)`);
    } else if (idle) {
      kill(waitingOn);
      fatal(hostId, waitingOn, `a handler did not answer within ${budgetMs / 1000} s, using no CPU meanwhile (blocked waiting?)`);
    } else if (Date.now() - baseMs > deadline) {
      kill(waitingOn);
      fatal(hostId, waitingOn, `a handler did not answer within ${(budgetMs * 10) / 1000} s of wall-clock time while using little CPU (blocked, or waiting forever?)`);
    }
  }
  sinceMemoryCheckMs += 20;
  if (sinceMemoryCheckMs < 100) return;
  sinceMemoryCheckMs = 0;
  publishCpu();
  for (const [hostId, host] of hosts) {
    if (host.dead !== undefined || host.child.pid === undefined) continue;
    const kb = residentKb(host.child.pid);
    if (kb !== undefined && kb > rssMaxKb) {
      kill(host);
      fatal(hostId, host, `the node's process used more than ${memoryMb + 256} MB of memory`);
    }
  }
}, 20);

parentPort.on("message", (message) => {
  const host = hosts.get(message.hostId);
  switch (message.op) {
    case "spawn":
      start(message.hostId, message.requestFd, message.replyFd, message.fatalFd);
      break;
    case "kill":
      if (host !== undefined) {
        if (host.dead === undefined) host.dead = message.why || "stopped by the grader";
        kill(host);
        hosts.delete(message.hostId);
      }
      break;
    case "close":
      clearInterval(watchdog);
      for (const h of hosts.values()) kill(h);
      hosts.clear();
      parentPort.close();
      break;
  }
});
