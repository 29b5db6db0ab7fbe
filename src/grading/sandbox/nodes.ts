/**
 * Isolated nodes (docs/grading.md): the simulator runs in the trusted grader, and the student's
 * handlers run in node-host processes (node-host.ts), one process per simulated node.
 *
 * `NodeHosts` starts and talks to the hosts. The simulator is synchronous, so each call writes the
 * request into the host's named pipe and blocks reading its reply; a worker thread (broker.js)
 * starts the hosts, enforces each call's time limit and each host's memory cap, and unblocks the
 * main thread with a fatal line when it kills a host. `studentModule(hosts)` is what drivers get in place of the
 * student's module: a function export called from a driver runs in a host and returns its value;
 * a protocol factory returns a stand-in protocol (`remoteProtocol`) whose handlers forward each
 * invocation to that node's own host and replay the effects it sends back onto the simulator's
 * context. Nothing a host sends is trusted: replies are parsed, shapes checked, sizes capped, and
 * every effect goes through the simulator's own context, which validates it again.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { AnyProtocol, Context, Message, NodeId, PeriodicTask, TimerId } from "../../sim/protocol";
import type { Effect, Invocation } from "../../sim/handler-context";
import type { RandomState } from "../../sim/random";
import { sandboxLaunch } from "./launch";
import { WALL_BACKSTOP_FACTOR } from "./cpu";
import type { ProtocolShape } from "./node-host";

export interface NodeHostLimits {
  /** Most CPU time one handler (or function call) may use in its host (wall backstop: 10 times as long). */
  readonly callTimeMs: number;
  /** Extra time for the first call to a fresh host (it loads the kit and the submission). */
  readonly startupMs: number;
  /** V8 heap cap of each host (its resident memory is watched too: heap + 256 MB). */
  readonly memoryMb: number;
  /** Largest reply accepted from a host for one event. */
  readonly replyBytesMax: number;
  /** Most effects one handler may produce. */
  readonly effectsMax: number;
  /** Most hosts one run may start (nodes plus restarts after crashes). */
  readonly hostsMax: number;
  /** Largest state plus effects (as JSON) a node may hand back for one event in a search test. */
  readonly searchStateBytesMax: number;
}

export const defaultNodeHostLimits: NodeHostLimits = {
  callTimeMs: 2000,
  startupMs: 10_000,
  memoryMb: 128,
  replyBytesMax: 4 << 20,
  effectsMax: 100_000,
  hostsMax: 400,
  searchStateBytesMax: 64 << 10,
};

export interface NodeHostsOptions {
  /** The prepared sandbox folder (src/ compiled, with src/grading/sandbox/node-host.js; exercises/). */
  readonly root: string;
  readonly nodeModules: string;
  /** Exercise module, e.g. "fifo-broadcast". */
  readonly module: string;
  readonly limits?: NodeHostLimits;
}

/** A host died, hung or misbehaved: the test is an error, not a failure of the student's logic. */
export class NodeHostFatal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NodeHostFatal";
  }
}

/** The student's code threw: reported as "your code threw: ...". */
export class StudentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StudentError";
  }
}

/** Hosts kept starting ahead of need (a fresh process takes tens of ms to load the kit and the submission). */
const SPARE_HOSTS = 2;

export class NodeHosts {
  readonly limits: NodeHostLimits;
  private readonly worker: Worker;
  /** Named pipes, two per host: requests (grader -> host) and replies (host -> grader). */
  private readonly pipesDir: string;
  private readonly pipes = new Map<number, { request: number; reply: number; hostRequest: number; hostReply: number }>();
  private readonly buffer = Buffer.alloc(1 << 16);
  /**
   * Shared with the broker: [hostId, seq, wall-clock backstop (ms after baseMs, 0 = not waiting),
   * CPU budget ms, CPU ms all hosts used so far (written by the broker)].
   */
  private readonly control = new Int32Array(new SharedArrayBuffer(20));
  private readonly baseMs = Date.now();
  private nextHostId = 1;
  private seq = 0;
  private readonly fresh = new Set<number>();
  /** Hosts alive now (the function host included). */
  private readonly alive = new Set<number>();
  /** Hosts that served a node in an earlier run and were reset: ready for a node of the next run. */
  private readonly idle: number[] = [];
  /** Hosts serving a node, by the simulation they serve (its list of node ids, one object per simulation). */
  private readonly busy = new Map<number, object>();
  private started = 0;
  private closed = false;
  /** The host that answers plain function calls and describes protocol factories. */
  private moduleHost: number | undefined;

  constructor(private readonly options: NodeHostsOptions) {
    this.limits = options.limits ?? defaultNodeHostLimits;
    this.pipesDir = fs.mkdtempSync(path.join(os.tmpdir(), "ds-hosts-"));
    this.worker = new Worker(path.join(__dirname, "broker.js"), {
      workerData: {
        control: this.control.buffer,
        baseMs: this.baseMs,
        root: options.root,
        nodeModules: options.nodeModules,
        module: options.module,
        entry: path.join(options.root, "src", "grading", "sandbox", "node-host.js"),
        memoryMb: this.limits.memoryMb,
        launch: sandboxLaunch(),
      },
    });
    this.worker.unref();
  }

  /** CPU time (ms) the hosts have used so far, sampled by the broker every 100 ms (a CpuMeter source). */
  cpuMs(): number {
    return Atomics.load(this.control, 4);
  }

  /** Requests answered so far (for benchmarks). */
  calls = 0;

  /** Hosts started so far. */
  get starts(): number {
    return this.started;
  }

  /**
   * A host for a node of this run: an idle one (it served a node of an earlier run and was reset),
   * else a fresh process. Never one that served a node of this run: nodes share no memory.
   */
  acquire(run: object): number {
    // Drivers run their simulations one after the other: hosts of an earlier simulation are free.
    const earlier = [...this.busy].filter(([, owner]) => owner !== run).map(([hostId]) => hostId);
    if (earlier.length > 0) this.release(earlier);
    const hostId = this.idle.pop() ?? this.spawn();
    this.busy.set(hostId, run);
    // Keep a spare host starting, so a crashed node's replacement is ready sooner.
    while (this.idle.length < SPARE_HOSTS && this.started < this.limits.hostsMax) this.idle.unshift(this.spawn());
    return hostId;
  }

  /**
   * A node crashed: its host drops the node now (its memory is lost) but serves no other node of the
   * same simulation (module-level state could carry data between nodes); after the simulation it
   * goes back to the pool like the others.
   */
  retire(hostId: number): void {
    try {
      this.call(hostId, { op: "reset" });
    } catch {
      this.kill(hostId, "it did not reset");
    }
  }

  /** Resets hosts and puts them back in the pool (kills those that fail to reset). */
  private release(hostIds: readonly number[]): void {
    for (const hostId of hostIds) {
      this.busy.delete(hostId);
      try {
        this.call(hostId, { op: "reset" });
        this.idle.push(hostId);
      } catch {
        this.kill(hostId, "it did not reset");
      }
    }
  }

  /** Starts a fresh host process; returns its id. */
  spawn(): number {
    if (this.closed) throw new NodeHostFatal("the grader's node hosts were closed");
    if (this.started >= this.limits.hostsMax) throw new NodeHostFatal(`more than ${this.limits.hostsMax} node processes in one run`);
    const hostId = this.nextHostId++;
    const [requestPath, replyPath] = this.namedPipes();
    // The grader's ends are opened read-write, so opening never waits for the other end (Linux).
    // The host gets a read-only request end and a write-only reply end: when the grader's process
    // ends, however it ends, the host reads end-of-file and exits.
    const request = fs.openSync(requestPath, fs.constants.O_RDWR);
    const reply = fs.openSync(replyPath, fs.constants.O_RDWR);
    const hostRequest = fs.openSync(requestPath, fs.constants.O_RDONLY);
    const hostReply = fs.openSync(replyPath, fs.constants.O_WRONLY);
    fs.rmSync(requestPath);
    fs.rmSync(replyPath);
    this.pipes.set(hostId, { request, reply, hostRequest, hostReply });
    this.started += 1;
    this.fresh.add(hostId);
    this.alive.add(hostId);
    this.worker.postMessage({ op: "spawn", hostId, requestFd: hostRequest, replyFd: hostReply, fatalFd: reply });
    return hostId;
  }

  kill(hostId: number, why?: string): void {
    this.fresh.delete(hostId);
    this.alive.delete(hostId);
    this.busy.delete(hostId);
    const k = this.idle.indexOf(hostId);
    if (k >= 0) this.idle.splice(k, 1);
    if (this.moduleHost === hostId) this.moduleHost = undefined;
    this.worker.postMessage({ op: "kill", hostId, why });
    // The pipes close once the broker has killed the host (it may still be writing a fatal line).
    const pipes = this.pipes.get(hostId);
    this.pipes.delete(hostId);
    if (pipes !== undefined) this.closeLater.push(pipes.request, pipes.reply, pipes.hostRequest, pipes.hostReply);
  }

  private readonly closeLater: number[] = [];
  /** Named pipes made ahead (one mkfifo process makes many: starting a process is the slow part). */
  private readonly madePipes: string[] = [];
  private pipesMade = 0;

  private namedPipes(): [string, string] {
    if (this.madePipes.length < 2) {
      const batch = Array.from({ length: 32 }, () => path.join(this.pipesDir, `p${this.pipesMade++}`));
      execFileSync("mkfifo", ["-m", "600", ...batch]);
      this.madePipes.push(...batch);
    }
    return [this.madePipes.shift() as string, this.madePipes.shift() as string];
  }

  private closePipes(): void {
    for (const fd of this.closeLater.splice(0)) {
      try {
        fs.closeSync(fd);
      } catch {
        // already closed
      }
    }
  }

  /**
   * Ends a driver call: each node's host is reset (its realm, and with it all the student's code kept
   * in memory, is dropped: node-host.ts) and goes back to the pool; the function host is reset too,
   * so plain function calls of one test learn nothing from another's.
   */
  endRun(): void {
    this.release([...this.busy.keys()]);
    if (this.moduleHost !== undefined) {
      try {
        this.call(this.moduleHost, { op: "reset" });
      } catch {
        this.kill(this.moduleHost, "it did not reset");
      }
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.worker.postMessage({ op: "close" });
    for (const hostId of [...this.pipes.keys()]) this.kill(hostId, "closed");
    // Closing the grader's ends makes every host read end-of-file and exit, even if the broker is
    // too late to kill it. Nothing is waiting on a reply now, so the broker writes to none of them.
    this.closePipes();
    fs.rmSync(this.pipesDir, { recursive: true, force: true });
  }

  /** Sends one request to a host and waits for its reply (blocking, within the time limit). */
  call(hostId: number, request: Record<string, unknown>): Record<string, unknown> {
    if (this.closed) throw new NodeHostFatal("the grader's node hosts were closed");
    const seq = ++this.seq;
    this.calls += 1;
    const budgetMs = this.limits.callTimeMs + (this.fresh.has(hostId) ? this.limits.startupMs : 0);
    this.fresh.delete(hostId);
    let line: string;
    try {
      line = JSON.stringify(request);
    } catch (error) {
      throw new NodeHostFatal(`a request to a node could not be encoded: ${String(error)}`);
    }
    const pipes = this.pipes.get(hostId);
    if (pipes === undefined) throw new NodeHostFatal(`no node host ${hostId}`);
    this.closePipes();
    Atomics.store(this.control, 0, hostId);
    Atomics.store(this.control, 1, seq);
    Atomics.store(this.control, 3, budgetMs);
    // The broker kills the host when the call uses more than budgetMs of CPU; the wall clock only
    // backs that up (a handler that blocks without computing), so load cannot make it fire.
    Atomics.store(this.control, 2, Date.now() - this.baseMs + budgetMs * WALL_BACKSTOP_FACTOR);
    let text: string;
    try {
      writeAll(pipes.request, `${line}\n`);
      text = this.readLine(hostId, pipes.reply, seq);
    } finally {
      Atomics.store(this.control, 2, 0);
    }
    let reply: unknown;
    try {
      reply = JSON.parse(text);
    } catch {
      this.kill(hostId);
      throw new NodeHostFatal("a node's process sent a reply that is not JSON");
    }
    if (typeof reply !== "object" || reply === null || Array.isArray(reply)) {
      this.kill(hostId);
      throw new NodeHostFatal("a node's process sent a reply that is not an object");
    }
    const body = reply as Record<string, unknown>;
    if (body.ok !== true) throw new StudentError(typeof body.threw === "string" ? body.threw.slice(0, 2000) : "an unknown error");
    return body;
  }

  /**
   * Reads the host's reply line (blocking). A line that starts with NUL is the broker's: the host
   * was killed (time, memory) or died, and the rest says why (after the call's sequence number).
   */
  private readLine(hostId: number, fd: number, seq: number): string {
    const chunks: Buffer[] = [];
    let bytes = 0;
    for (;;) {
      const n = fs.readSync(fd, this.buffer, 0, this.buffer.length, null);
      if (n <= 0) throw new NodeHostFatal("a node's process closed its reply pipe");
      const newline = this.buffer.indexOf(10);
      if (newline >= 0 && newline < n) {
        chunks.push(Buffer.from(this.buffer.subarray(0, newline)));
        // A reply is one line and the host writes nothing until it is asked again: nothing follows.
        break;
      }
      chunks.push(Buffer.from(this.buffer.subarray(0, n)));
      bytes += n;
      if (bytes > this.limits.replyBytesMax) {
        this.kill(hostId, "its reply was too large");
        throw new NodeHostFatal(`a node's process sent more than ${this.limits.replyBytesMax >> 20} MB for one event`);
      }
    }
    const text = Buffer.concat(chunks).toString("utf8");
    if (text.startsWith("\u0000")) {
      const space = text.indexOf(" ");
      const from = Number(text.slice(1, space));
      this.kill(hostId);
      throw new NodeHostFatal(from === seq ? text.slice(space + 1) : "a node's process failed");
    }
    return text;
  }

  /** The host for plain function calls (started on first use). */
  functionHost(): number {
    this.moduleHost ??= this.spawn();
    return this.moduleHost;
  }
}

/**
 * The student's module as drivers see it in the trusted grader: `student.f(...args)` runs f in a
 * host. If f returns a protocol, the driver gets a stand-in whose nodes each run in their own host
 * (`forSearch`: a stand-in whose states stay in the grader, for the explorer; see searchProtocol).
 */
export function studentModule(hosts: NodeHosts, options: { forSearch?: boolean; simulation?: boolean } = {}): Record<string, (...args: unknown[]) => unknown> {
  return new Proxy({} as Record<string, (...args: unknown[]) => unknown>, {
    get: (_target, name) => {
      if (typeof name !== "string" || name === "then") return undefined;
      return (...args: unknown[]) => {
        const reply = hosts.call(hosts.functionHost(), { op: "call", export: name, args: plainArgs(name, args) });
        if (reply.protocol === true) {
          return options.forSearch === true
            ? searchProtocol(hosts, name, args, checkShape(reply.shape), { simulation: options.simulation === true })
            : remoteProtocol(hosts, name, args, checkShape(reply.shape));
        }
        return reply.value;
      };
    },
  });
}

function plainArgs(name: string, args: unknown[]): unknown[] {
  const text = JSON.stringify(args, (_key, value: unknown) => {
    if (typeof value === "function") throw new NodeHostFatal(`${name}(...) was given a function: only data can be passed to the student's code in the grader`);
    return value;
  });
  return JSON.parse(text) as unknown[];
}

function checkShape(shape: unknown): ProtocolShape {
  const s = shape as ProtocolShape;
  const strings = (list: unknown) => Array.isArray(list) && list.length <= 1000 && list.every((x) => typeof x === "string" && x.length <= 200);
  if (
    typeof s !== "object" || s === null || typeof s.name !== "string" || s.name.length > 200 || !strings(s.receive) || !strings(s.timers) ||
    !Array.isArray(s.periodically) || s.periodically.length > 100 || typeof s.request !== "boolean" || typeof s.recover !== "boolean"
  ) {
    throw new NodeHostFatal("a node's process described its protocol in a form the grader does not accept");
  }
  for (const task of s.periodically) {
    if (typeof task?.name !== "string" || !(Number.isFinite(task.everyMs) && task.everyMs > 0)) {
      throw new NodeHostFatal(`periodic task ${JSON.stringify(task?.name)} needs everyMs, a finite number > 0`);
    }
  }
  return s;
}

/** What the grader keeps about one node of a remote protocol: its host, and how its ids map. */
interface RemoteNode {
  hostId: number;
  /** The host's timer ids -> the simulator's. */
  timers: Map<number, TimerId>;
  randomState: RandomState | undefined;
  timerNextId: number;
}

type Ctx = Context<Message, unknown>;

/** A protocol whose handlers run in node hosts, one per node; built from the factory's shape. */
export function remoteProtocol(hosts: NodeHosts, factory: string, args: unknown[], shape: ProtocolShape): AnyProtocol {
  // Per node, keyed by the context object the simulator gives that node (one per node and layer).
  const nodes = new WeakMap<object, RemoteNode>();
  const plain = plainArgs(factory, args);

  const readings = (ctx: Ctx) => ({ timeOfDay: ctx.clock.timeOfDay(), monotonic: ctx.clock.monotonic(), ratePpm: ctx.clock.ratePpm() });

  function start(ctx: Ctx, how: "init" | "recover"): RemoteNode {
    const before = nodes.get(ctx);
    if (before !== undefined) hosts.retire(before.hostId);
    const node: RemoteNode = { hostId: hosts.acquire(ctx.nodes), timers: new Map(), randomState: before?.randomState, timerNextId: before?.timerNextId ?? 1 };
    nodes.set(ctx, node);
    const random = ctx.random as { name: string; seed?: unknown };
    if (typeof random.seed !== "string") throw new NodeHostFatal("remote protocols need the simulator's seeded random streams");
    const storage: [string, unknown][] = ctx.storage.keys().map((key) => [key, ctx.storage.get(key)]);
    const reply = hosts.call(node.hostId, {
      op: "start", how, export: factory, args: plain, nodeId: ctx.nodeId, nodes: ctx.nodes, seed: random.seed,
      randomName: random.name, ...(node.randomState === undefined ? {} : { randomState: node.randomState }),
      storage, timerNextId: node.timerNextId, clock: readings(ctx),
    });
    replay(node, reply, ctx);
    return node;
  }

  function invoke(state: unknown, ctx: Ctx, invocation: Invocation & { timerId?: number }): void {
    const node = nodes.get(ctx);
    if (node === undefined || state !== node) throw new NodeHostFatal(`node ${ctx.nodeId} has no running host`);
    const reply = hosts.call(node.hostId, { op: "invoke", invocation, clock: readings(ctx) });
    replay(node, reply, ctx);
  }

  function replay(node: RemoteNode, reply: Record<string, unknown>, ctx: Ctx): void {
    const effects = effectsOf(reply, hosts.limits);
    const state = reply.randomState as RandomState | undefined;
    if (state !== undefined && !(typeof state === "object" && state !== null && ["c", "s0", "s1", "s2"].every((k) => typeof (state as unknown as Record<string, unknown>)[k] === "number"))) {
      throw new NodeHostFatal("a node's process sent a malformed random state");
    }
    node.randomState = state;
    if (Number.isSafeInteger(reply.timerNextId) && (reply.timerNextId as number) >= node.timerNextId) node.timerNextId = reply.timerNextId as number;
    for (const effect of effects) applyEffect(effect, ctx, node.timers);
  }

  return protocolFromShape(shape, {
    start,
    invoke,
    timerFired: (_state, ctx, id) => nodes.get(ctx)?.timers.delete(id),
  });
}

/**
 * The stand-in protocol's handlers, one per handler the student's protocol has: each forwards its
 * invocation. Timers carry the host's timer id beside their data ({ id, data }).
 */
function protocolFromShape(
  shape: ProtocolShape,
  forward: {
    start(ctx: Ctx, how: "init" | "recover"): unknown;
    invoke(state: unknown, ctx: Ctx, invocation: Invocation & { timerId?: number }): void;
    timerFired(state: unknown, ctx: Ctx, hostTimerId: number): void;
  },
): AnyProtocol {
  const { invoke } = forward;
  const receive: Record<string, (state: unknown, msg: Message, from: NodeId, ctx: Ctx) => void> = {};
  for (const type of shape.receive) receive[type] = (state, msg, from, ctx) => invoke(state, ctx, { kind: "receive", msg, from });
  const timers: Record<string, (state: unknown, data: unknown, ctx: Ctx) => void> = {};
  for (const name of shape.timers) {
    timers[name] = (state, wrapped, ctx) => {
      const { id, data } = wrapped as { id: number; data: unknown };
      forward.timerFired(state, ctx, id);
      invoke(state, ctx, { kind: "timer", name, data, timerId: id });
    };
  }
  const periodically: Record<string, PeriodicTask<unknown, Message, unknown>> = {};
  for (const task of shape.periodically) {
    periodically[task.name] = { everyMs: task.everyMs, run: (state, ctx) => invoke(state, ctx, { kind: "periodic", name: task.name }) };
  }
  return {
    name: shape.name,
    init: (ctx: Ctx) => forward.start(ctx, "init"),
    recover: (ctx: Ctx) => forward.start(ctx, shape.recover ? "recover" : "init"),
    receive,
    timers,
    periodically,
    ...(shape.request ? { request: (state: unknown, request: unknown, ctx: Ctx) => invoke(state, ctx, { kind: "request", request }) } : {}),
  };
}

/**
 * What the explorer keeps of a node of a `searchProtocol` as its state: the student's state (plain
 * data, as the host returned it) and the host's pending timers (host id, the context's id), plus the
 * host's next timer id. Plain data: the explorer copies, hashes and compares it like any state.
 */
interface SearchBox {
  s: unknown;
  t: [number, TimerId][];
  n: number;
}

/** Every this-many calls of a search are also made on a second host and the replies compared. */
const AUDIT_EVERY = 4;

/**
 * A stand-in for the explorer (src/grading/explore.ts): the node's state lives in the trusted
 * process, and each handler call sends it to the node's host with the event and gets back the new
 * state and the effects ("step"), so the explorer can copy a state and branch. Each node has a host
 * of its own (nodes share no memory); a handler must be a function of (state, event, storage): every
 * AUDIT_EVERY-th call is repeated on an audit host with a different history, and a different reply
 * (module-level memory, a hidden counter) fails the test, since the search's visited-state hashing
 * would otherwise skip behaviour it never saw.
 */
export function searchProtocol(hosts: NodeHosts, factory: string, args: unknown[], shape: ProtocolShape, options: { simulation?: boolean } = {}): AnyProtocol {
  const plain = plainArgs(factory, args);
  // This protocol instance is one run for the pool: its hosts serve no other node while it lives.
  const run = {};
  const hostOf = new Map<NodeId, number>();
  let audit: number | undefined;
  let calls = 0;
  // A simulation (options.simulation) carries each node's random stream from call to call, as
  // remoteProtocol does; a search does not (the stream's state would split states that are alike).
  const randomOf = new Map<NodeId, RandomState>();

  function call(ctx: Ctx, state: SearchBox | undefined, invocation: Invocation): SearchBox {
    let hostId = hostOf.get(ctx.nodeId);
    if (hostId === undefined) hostOf.set(ctx.nodeId, (hostId = hosts.acquire(run)));
    const random = ctx.random as { name: string; seed?: unknown };
    const request = {
      op: "step", export: factory, args: plain, nodeId: ctx.nodeId, nodes: ctx.nodes,
      seed: typeof random.seed === "string" ? random.seed : "search", randomName: String(random.name),
      ...(options.simulation === true && randomOf.has(ctx.nodeId) ? { randomState: randomOf.get(ctx.nodeId) } : {}),
      storage: ctx.storage.keys().map((key) => [key, ctx.storage.get(key)]),
      timerNextId: state?.n ?? 1, pending: (state?.t ?? []).map(([id]) => id),
      clock: { timeOfDay: ctx.clock.timeOfDay(), monotonic: ctx.clock.monotonic(), ratePpm: ctx.clock.ratePpm() },
      state: state?.s, invocation,
    };
    const reply = hosts.call(hostId, request);
    const text = JSON.stringify([reply.state, reply.effects, reply.timerNextId]) ?? "";
    if (text.length > hosts.limits.searchStateBytesMax) {
      throw new StudentError(`a node's state and effects for one event take ${text.length} bytes as JSON; a search allows ${hosts.limits.searchStateBytesMax}`);
    }
    calls += 1;
    if (calls % AUDIT_EVERY === 0) {
      audit ??= hosts.acquire(run);
      const again = hosts.call(audit, request);
      if (JSON.stringify([again.state, again.effects, again.timerNextId]) !== text) {
        throw new StudentError(
          `${invocation.kind} at node ${ctx.nodeId} gave a different result when repeated on the same state and event: handlers must depend only on their state, the event and ctx (no module-level variables)`,
        );
      }
    }
    if (options.simulation === true) {
      const r = reply.randomState as RandomState | undefined;
      if (!(typeof r === "object" && r !== null && ["c", "s0", "s1", "s2"].every((k) => typeof (r as unknown as Record<string, unknown>)[k] === "number"))) {
        throw new NodeHostFatal("a node's process sent a malformed random state");
      }
      randomOf.set(ctx.nodeId, r);
    }
    const timers = new Map(state?.t ?? []);
    for (const effect of effectsOf(reply, hosts.limits)) applyEffect(effect, ctx, timers);
    const next = Number.isSafeInteger(reply.timerNextId) && (reply.timerNextId as number) >= (state?.n ?? 1) ? (reply.timerNextId as number) : (state?.n ?? 1);
    return { s: reply.state, t: [...timers], n: next };
  }

  return protocolFromShape(shape, {
    start: (ctx, how) => {
      // In a simulation (not a search, which recovers nodes in many branches) a node recovering
      // from a crash never gets its old host back, as with remoteProtocol: what it kept in module
      // memory is lost with the crash.
      const old = hostOf.get(ctx.nodeId);
      if (how === "recover" && options.simulation === true && old !== undefined) {
        hosts.retire(old);
        hostOf.delete(ctx.nodeId);
      }
      return call(ctx, undefined, { kind: how });
    },
    invoke: (state, ctx, invocation) => {
      const box = state as SearchBox;
      const { timerId: _timerId, ...plainInvocation } = invocation;
      Object.assign(box, call(ctx, box, plainInvocation as Invocation));
    },
    timerFired: (state, _ctx, id) => {
      const box = state as SearchBox;
      box.t = box.t.filter(([hostTimerId]) => hostTimerId !== id);
    },
  });
}

/** The list of effects in a host's reply, within the limit (each effect is checked as it is applied). */
function effectsOf(reply: Record<string, unknown>, limits: NodeHostLimits): Effect[] {
  const effects = reply.effects;
  if (!Array.isArray(effects)) throw new NodeHostFatal("a node's process sent no list of effects");
  if (effects.length > limits.effectsMax) throw new NodeHostFatal(`a handler produced more than ${limits.effectsMax} effects for one event`);
  return effects as Effect[];
}

/** Replays one effect a host sent onto the simulator's (or explorer's) context; `timers` maps the host's timer ids to the context's. */
function applyEffect(effect: Effect, ctx: Ctx, timers: Map<number, TimerId>): void {
  if (typeof effect !== "object" || effect === null) throw new NodeHostFatal("a node's process sent an effect that is not an object");
  switch (effect.kind) {
    case "send":
      ctx.send(String(effect.to), effect.msg as Message);
      return;
    case "deliver":
      if (effect.app !== true) throw new NodeHostFatal("a node's process sent a delivery between layers it does not have");
      ctx.deliver(effect.value, effect.from === undefined ? undefined : String(effect.from));
      return;
    case "start-timer": {
      if (!Number.isSafeInteger(effect.id) || timers.has(effect.id)) throw new NodeHostFatal("a node's process sent a bad timer id");
      timers.set(effect.id, ctx.startTimer(String(effect.name), Number(effect.delayMs), { id: effect.id, data: effect.data }));
      return;
    }
    case "cancel-timer": {
      const id = timers.get(effect.id);
      if (id !== undefined) {
        ctx.cancelTimer(id);
        timers.delete(effect.id);
      }
      return;
    }
    case "log":
      ctx.log(String(effect.text));
      return;
    case "label":
      ctx.label(String(effect.text));
      return;
    case "annotate":
      ctx.annotate(effect.data as Record<string, unknown>);
      return;
    case "clock-step":
      ctx.clock.step(Number(effect.deltaMs));
      return;
    case "clock-slew":
      ctx.clock.slew(Number(effect.deltaMs), effect.ratePpm === undefined || effect.ratePpm === null ? undefined : Number(effect.ratePpm));
      return;
    case "lower":
      ctx.lower(effect.request);
      return;
    case "storage-set":
      ctx.storage.set(String(effect.key), effect.value);
      return;
    case "storage-delete":
      ctx.storage.delete(String(effect.key));
      return;
    default:
      throw new NodeHostFatal(`a node's process sent an unknown effect ${JSON.stringify((effect as { kind?: unknown }).kind)}`);
  }
}

/**
 * An executor (src/grading/run.ts) that runs drivers HERE, in the trusted process, on the student's
 * module as `studentModule` presents it: the simulator, the kit's lower layers and the trace stay
 * in the grader; only the student's handlers and functions run in hosts.
 */
export function nodesExecutor(
  hosts: NodeHosts,
  drivers: { readonly [name: string]: (student: never, input: never) => unknown },
): (driver: string, input: unknown) => Promise<import("../run").ExecOutcome> {
  return async (driver, input) => {
    const run = drivers[driver];
    if (typeof run !== "function") return { kind: "fatal", message: `no driver ${driver}` };
    try {
      // Search drivers (src/grading/explore.ts) are marked: their nodes' states must stay here.
      const forSearch = (run as { branchesNodeStates?: unknown }).branchesNodeStates === true;
      // Simulation drivers that keep node states here (src/grading/specs/drivers/raft.ts) are marked too.
      const simulation = (run as { simulatesNodeStates?: unknown }).simulatesNodeStates === true;
      const output = await run(studentModule(hosts, { forSearch, simulation }) as never, structuredClone(input) as never);
      return { kind: "output", output };
    } catch (error) {
      const fatal = causeOf(error, NodeHostFatal);
      if (fatal !== undefined) return { kind: "fatal", message: fatal.message };
      const thrown = causeOf(error, StudentError);
      if (thrown === undefined && !(error instanceof Error)) return { kind: "threw", message: String(error) };
      // The simulator's message names the handler, node, time and seed, and ends with the student's error.
      return { kind: "threw", message: (error as Error).message };
    } finally {
      hosts.endRun();
    }
  };
}

/** The first error of this class in the chain of causes (the simulator wraps handler errors). */
function causeOf<E extends Error>(error: unknown, kind: new (...args: never[]) => E): E | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof kind) return e;
  }
  return undefined;
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, "utf8");
  for (let offset = 0; offset < bytes.length; ) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
}
