/**
 * The node hosts' broker: a worker thread of the trusted grader (plain JavaScript, so it runs the
 * same under tsx, mocha and compiled code). The grader's main thread runs the simulator and talks to
 * each node host (src/grading/sandbox/node-host.ts) synchronously, over two named pipes per host: it
 * writes a request and blocks reading the reply. This thread does what the main thread cannot while
 * it is blocked: it starts the hosts, watches each call's time limit and each host's memory, and when
 * a host dies, hangs or grows too big it kills the host and writes a fatal line ("\u0000" then the
 * reason) into that host's reply pipe, which unblocks the main thread.
 */
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { spawn } = require("node:child_process");
const fs = require("node:fs");

const { root, nodeModules, module: moduleName, entry, memoryMb, launch, control: controlBuffer, baseMs } = workerData;
/**
 * What the main thread is waiting for, written by it before each request: [hostId, seq, deadline
 * (ms after baseMs; 0 = not waiting), budget (ms)]. Polled here: no message per call.
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

function kill(host) {
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
  const host = { child, replyFd: fatalFd, dead: undefined, fatalSent: -1 };
  hosts.set(hostId, host);
  child.on("error", (error) => fatal(hostId, host, `the node's process could not run: ${String(error)}`));
  child.on("close", (code, signal) => {
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
  } else if (deadline !== 0 && Date.now() - baseMs > deadline) {
    const hostId = Atomics.load(control, 0);
    const host = hosts.get(hostId);
    if (host !== undefined) {
      kill(host);
      fatal(hostId, host, `a handler took longer than ${Atomics.load(control, 3) / 1000} s (an infinite loop?)`);
    }
  }
  sinceMemoryCheckMs += 20;
  if (sinceMemoryCheckMs < 100) return;
  sinceMemoryCheckMs = 0;
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
