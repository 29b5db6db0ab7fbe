/**
 * The deterministic discrete-event simulator. Nodes run protocols (src/sim/protocol.ts); the
 * simulator owns time, the network, faults and clocks, and records everything in a Trace.
 *
 * Determinism: events are ordered by (time, sequence number); every random draw comes from a
 * stream named by purpose and derived from the run's seed; nothing reads the real clock. The same
 * seed, protocol and schedule give a byte-identical trace in any process.
 */
import type {
  AnyProtocol,
  Context,
  LayeredContext,
  Message,
  NodeId,
  Random,
  StableStorage,
  TimerId,
} from "./protocol";
import { EventQueue } from "./event-queue";
import { PhysicalClock, localClockView, type ClockOptions } from "./clock";
import { RandomStreams } from "./random";
import { Trace } from "./trace";
import type { DropReason, TraceEvent } from "./trace-events";
import { ProtocolError, SimulationBoundError, SimulationInputError, describeValue } from "./errors";
import {
  resolveNetwork,
  resolveTiming,
  type Arrival,
  type NetworkOptions,
  type ResolvedNetwork,
  type ResolvedTiming,
  type TimingOptions,
} from "./network";
import {
  clonePlain,
  copyPlain,
  rejectUnknownKeys,
  requireFunction,
  requireNonNegative,
  requirePositiveInteger,
  requireString,
} from "./validate";

export interface SimulationLimits {
  /** Most events one run may process before it is stopped with an error. Default 5,000,000. */
  maxEvents?: number;
  /** Latest simulated time an event may be scheduled at, in ms. Default 1e10 (about 115 days). */
  maxTimeMs?: number;
  /** Most events waiting in the queue at once (messages in flight, timers, ...). Default 2,000,000. */
  maxQueued?: number;
}

export interface SimulationOptions {
  /** The run's seed: every random draw derives from it. */
  seed: string | number;
  /** Node ids (with `protocol`), or a map from node id to the protocol that node runs. */
  nodes: readonly NodeId[] | Readonly<Record<NodeId, AnyProtocol>>;
  /** The protocol every node runs, when `nodes` is a list. */
  protocol?: AnyProtocol;
  network?: NetworkOptions;
  timing?: TimingOptions;
  clocks?: Readonly<Record<NodeId, ClockOptions>>;
  /** Record a trace (default true). Off, runs are faster but nothing can be checked or drawn. */
  trace?: boolean;
  limits?: SimulationLimits;
  /** Free text for reports. */
  description?: string;
}

export interface RunOptions {
  /** Stop after the events at this time (ms); the simulation can be run further later. */
  untilMs?: number;
  /** Process at most this many more events (an error if more remain). */
  maxEvents?: number;
}

export interface RunResult {
  readonly seed: string;
  readonly trace: Trace;
  /** Simulated time when the run stopped, ms. */
  readonly endMs: number;
  /** Events processed in this call. */
  readonly events: number;
  /** "idle": nothing left to happen; "until": reached untilMs. */
  readonly stoppedBecause: "idle" | "until";
}

// Kinds of queued event.
const RECEIVE = 0;
const TIMER = 1;
const REQUEST = 2;
const CONTROL = 3;

interface Queued {
  time: number;
  seq: number;
  kind: number;
  node: NodeRuntime | undefined;
  msgId: number;
  from: NodeId;
  msg: Message | undefined;
  copy: number;
  /** TIMER: the timer entry; REQUEST: the request; CONTROL: the function. */
  ref: unknown;
  tampered: boolean;
}

interface TimerEntry {
  id: TimerId;
  name: string;
  data: unknown;
  /** Name of a periodic task, for periodic timers. */
  periodic: string | undefined;
  /** The queued event that will fire it (replaced when a slew re-plans the timer). */
  queued: Queued;
}

interface NodeRuntime {
  readonly id: NodeId;
  readonly index: number;
  readonly protocol: AnyProtocol;
  readonly clock: PhysicalClock;
  readonly storage: Map<string, unknown>;
  readonly random: Random;
  state: unknown;
  up: boolean;
  started: boolean;
  pausedUntilMs: number;
  /** When the timing model's next pause of this node begins (Infinity: none). */
  nextPauseAtMs: number;
  readonly timers: Map<TimerId, TimerEntry>;
  ctx: Context<Message, unknown> & LayeredContext;
}

interface Cut {
  readonly id: number;
  readonly links: readonly (readonly [NodeId, NodeId])[];
  readonly groups: readonly (readonly NodeId[])[] | undefined;
}

const DEFAULT_LIMITS = { maxEvents: 5_000_000, maxTimeMs: 1e10, maxQueued: 2_000_000 };

export class Simulation {
  readonly seed: string;
  readonly nodeIds: readonly NodeId[];
  readonly network: ResolvedNetwork;
  readonly timing: ResolvedTiming | undefined;
  readonly tracing: boolean;
  readonly trace: Trace;

  private readonly streams: RandomStreams;
  private readonly networkRandom: Random;
  private readonly timingRandom: Random;
  private readonly queue = new EventQueue<Queued>();
  private readonly nodes = new Map<NodeId, NodeRuntime>();
  private readonly limits: Required<SimulationLimits>;
  private readonly cuts = new Map<number, Cut>();
  /** Directed links cut now: "from\0to" -> number of partitions cutting it. */
  private readonly cutLinks = new Map<string, number>();
  private nowMs = 0;
  private seq = 0;
  private nextMsgId = 0;
  private nextTimerId = 1;
  private nextPartitionId = 1;
  private processed = 0;
  private started = false;
  /** Index in the trace of the event being handled, for ctx.label (-1: none). */
  private current = -1;

  constructor(options: SimulationOptions) {
    if (typeof options !== "object" || options === null) {
      throw new SimulationInputError("options", options, "expected an options object");
    }
    rejectUnknownKeys("options", options, ["seed", "nodes", "protocol", "network", "timing", "clocks", "trace", "limits", "description"]);
    if (typeof options.seed === "number") {
      if (!Number.isFinite(options.seed)) throw new SimulationInputError("seed", options.seed, "expected a finite number or a string");
      this.seed = String(options.seed);
    } else {
      this.seed = requireString("seed", options.seed);
    }
    const assignment = resolveNodes(options);
    this.nodeIds = assignment.map(([id]) => id);
    const idSet = new Set(this.nodeIds);
    this.network = resolveNetwork(options.network, idSet);
    this.timing = resolveTiming(options.timing);
    this.tracing = options.trace ?? true;
    if (typeof this.tracing !== "boolean") throw new SimulationInputError("trace", options.trace, "expected true or false");
    const limits = options.limits ?? {};
    rejectUnknownKeys("limits", limits, ["maxEvents", "maxTimeMs", "maxQueued"]);
    this.limits = {
      maxEvents: requirePositiveInteger("limits.maxEvents", limits.maxEvents ?? DEFAULT_LIMITS.maxEvents),
      maxTimeMs: requireNonNegative("limits.maxTimeMs", limits.maxTimeMs ?? DEFAULT_LIMITS.maxTimeMs),
      maxQueued: requirePositiveInteger("limits.maxQueued", limits.maxQueued ?? DEFAULT_LIMITS.maxQueued),
    };
    const clocks = options.clocks ?? {};
    for (const id of Object.keys(clocks)) {
      if (!idSet.has(id)) throw new SimulationInputError(`clocks.${id}`, clocks[id], `expected a known node id (nodes: ${this.nodeIds.join(", ")})`);
    }
    this.streams = new RandomStreams(this.seed);
    this.networkRandom = this.streams.stream("network");
    this.timingRandom = this.streams.stream("timing");
    this.trace = new Trace({ seed: this.seed, nodes: this.nodeIds, description: options.description });
    assignment.forEach(([id, protocol], index) => {
      const clock = new PhysicalClock(id, clocks[id]);
      const node: NodeRuntime = {
        id,
        index,
        protocol,
        clock,
        storage: new Map(),
        random: this.streams.stream(`node/${id}`),
        state: undefined,
        up: true,
        started: false,
        pausedUntilMs: 0,
        nextPauseAtMs: Infinity,
        timers: new Map(),
        ctx: undefined as unknown as NodeRuntime["ctx"],
      };
      node.ctx = this.makeContext(node);
      clock.observer = {
        onStep: (deltaMs) => this.record({ kind: "clock-step", node: id, deltaMs }, node),
        onSlew: (deltaMs, ratePpm) => {
          this.record({ kind: "clock-slew", node: id, deltaMs, ratePpm }, node);
          this.replanTimers(node);
        },
      };
      this.nodes.set(id, node);
    });
    if (this.timing !== undefined && this.timing.pausesPerSecond > 0) {
      const timing = this.timing;
      for (const node of this.nodes.values()) {
        const first = this.streams.stream(`pauses/${node.id}`).exponential(1000 / timing.pausesPerSecond);
        node.nextPauseAtMs = first >= timing.gstMs ? Infinity : first;
      }
    }
  }

  /** Current simulated time, ms. */
  get now(): number {
    return this.nowMs;
  }

  /** A named random stream of this run, for workloads and experiments (e.g. "workload"). */
  random(name: string): Random {
    requireString("random(name)", name);
    return this.streams.stream(`user/${name}`);
  }

  /** The live state of a node's protocol (undefined before the run starts). */
  state<S = unknown>(node: NodeId): S {
    return this.node(node, "state(node)").state as S;
  }

  /** The node's stable storage contents (a copy). */
  storage(node: NodeId): Record<string, unknown> {
    return Object.fromEntries(this.node(node, "storage(node)").storage);
  }

  /** Whether a node is up (not crashed). */
  isUp(node: NodeId): boolean {
    return this.node(node, "isUp(node)").up;
  }

  /** Read a node's clocks now. */
  clock(node: NodeId): { timeOfDay: number; monotonic: number; ratePpm: number } {
    const c = this.node(node, "clock(node)").clock;
    const timeOfDay = c.timeOfDay(this.nowMs);
    return { timeOfDay, monotonic: c.monotonic(this.nowMs), ratePpm: c.ratePpm() };
  }

  /** "on request to ... do" at `node`, at time atMs (default now). */
  request(node: NodeId, request: unknown, atMs: number = this.nowMs): this {
    const n = this.node(node, "request(node)");
    const at = this.futureTime("request(atMs)", atMs);
    if (typeof n.protocol.request !== "function") {
      throw new SimulationInputError("request(node)", node, `protocol ${n.protocol.name} has no request handler`);
    }
    this.push(at, REQUEST, n, -1, "", undefined, 0, clonePlain(request, "request"), false);
    return this;
  }

  /** Crash `node` at atMs; with recoverAtMs it recovers then (crash-recovery), else it stays down (crash-stop). */
  crash(node: NodeId, atMs: number, options: { recoverAtMs?: number } = {}): this {
    const n = this.node(node, "crash(node)");
    const at = this.futureTime("crash(atMs)", atMs);
    rejectUnknownKeys("crash(options)", options, ["recoverAtMs"]);
    this.control(at, () => this.doCrash(n));
    if (options.recoverAtMs !== undefined) {
      const r = this.futureTime("crash(options.recoverAtMs)", options.recoverAtMs);
      if (r <= at) throw new SimulationInputError("crash(options.recoverAtMs)", r, `expected a time after the crash at ${at} ms`);
      this.control(r, () => this.doRecover(n));
    }
    return this;
  }

  /** Recover a crashed node at atMs: it runs its protocol's recovery handler with its stable storage. */
  recover(node: NodeId, atMs: number): this {
    const n = this.node(node, "recover(node)");
    this.control(this.futureTime("recover(atMs)", atMs), () => this.doRecover(n));
    return this;
  }

  /** Pause a node (e.g. a garbage-collection pause): nothing runs there for durationMs; events wait. */
  pause(node: NodeId, atMs: number, durationMs: number): this {
    const n = this.node(node, "pause(node)");
    requireNonNegative("pause(durationMs)", durationMs);
    this.control(this.futureTime("pause(atMs)", atMs), () => this.doPause(n, durationMs));
    return this;
  }

  /**
   * Cut links from atMs until healAtMs (or for ever). Either `groups` (nodes in different groups
   * cannot talk, both ways) or `cut`, a list of directed [from, to] links (an asymmetric partition).
   */
  partition(options: {
    groups?: readonly (readonly NodeId[])[];
    cut?: readonly (readonly [NodeId, NodeId])[];
    atMs: number;
    healAtMs?: number;
  }): number {
    if (typeof options !== "object" || options === null) throw new SimulationInputError("partition(options)", options, "expected an object");
    rejectUnknownKeys("partition", options, ["groups", "cut", "atMs", "healAtMs"]);
    const at = this.futureTime("partition.atMs", options.atMs);
    let links: [NodeId, NodeId][];
    if ((options.groups === undefined) === (options.cut === undefined)) {
      throw new SimulationInputError("partition", options, "expected exactly one of groups or cut");
    }
    if (options.groups !== undefined) {
      if (!Array.isArray(options.groups) || options.groups.length < 2) {
        throw new SimulationInputError("partition.groups", options.groups, "expected at least two groups of node ids");
      }
      const seen = new Set<NodeId>();
      options.groups.forEach((group, g) => {
        if (!Array.isArray(group) || group.length === 0) throw new SimulationInputError(`partition.groups[${g}]`, group, "expected a non-empty array of node ids");
        group.forEach((id, k) => {
          this.node(id, `partition.groups[${g}][${k}]`);
          if (seen.has(id)) throw new SimulationInputError(`partition.groups[${g}][${k}]`, id, "node is in two groups");
          seen.add(id);
        });
      });
      links = [];
      options.groups.forEach((a, g) =>
        options.groups!.forEach((b, h) => {
          if (g !== h) for (const x of a) for (const y of b) links.push([x, y]);
        }),
      );
    } else {
      if (!Array.isArray(options.cut) || options.cut.length === 0) {
        throw new SimulationInputError("partition.cut", options.cut, "expected a non-empty array of [from, to] links");
      }
      links = options.cut.map((link, k) => {
        if (!Array.isArray(link) || link.length !== 2) throw new SimulationInputError(`partition.cut[${k}]`, link, "expected a [from, to] pair");
        this.node(link[0], `partition.cut[${k}][0]`);
        this.node(link[1], `partition.cut[${k}][1]`);
        return [link[0], link[1]];
      });
    }
    const id = this.nextPartitionId++;
    const cut: Cut = { id, links, groups: options.groups?.map((g) => g.slice()) };
    this.control(at, () => this.startPartition(cut));
    if (options.healAtMs !== undefined) {
      const heal = this.futureTime("partition.healAtMs", options.healAtMs);
      if (heal <= at) throw new SimulationInputError("partition.healAtMs", heal, `expected a time after atMs (${at})`);
      this.control(heal, () => this.heal(id));
    }
    return id;
  }

  /** Heal a partition (by the id partition() returned) at atMs. */
  healPartition(id: number, atMs: number): this {
    this.control(this.futureTime("healPartition(atMs)", atMs), () => this.heal(id));
    return this;
  }

  /** Run fn(sim) at simulated time atMs (e.g. to inspect state or add requests). */
  at(atMs: number, fn: (sim: Simulation) => void): this {
    requireFunction("at(fn)", fn);
    this.control(this.futureTime("at(atMs)", atMs), () => fn(this));
    return this;
  }

  /** Process events until nothing is left, or until untilMs. */
  run(options: RunOptions = {}): RunResult {
    rejectUnknownKeys("run(options)", options, ["untilMs", "maxEvents"]);
    const untilMs = options.untilMs === undefined ? Infinity : this.futureTime("run(untilMs)", options.untilMs);
    const budget = options.maxEvents === undefined ? Infinity : requirePositiveInteger("run(maxEvents)", options.maxEvents);
    this.start();
    const queue = this.queue;
    let count = 0;
    for (;;) {
      const next = queue.peek();
      if (next === undefined) {
        if (Number.isFinite(untilMs)) this.nowMs = untilMs;
        return this.result(count, "idle");
      }
      if (next.time > untilMs) {
        this.nowMs = untilMs;
        return this.result(count, "until");
      }
      if (count >= budget) {
        throw new SimulationBoundError("run(maxEvents)", budget, `${queue.size} events still queued at ${this.nowMs} ms (seed=${this.seed})`);
      }
      if (this.processed >= this.limits.maxEvents) {
        throw new SimulationBoundError("limits.maxEvents", this.limits.maxEvents,
          `the run processed that many events by ${this.nowMs} ms (seed=${this.seed}); a protocol may loop for ever (e.g. periodic work with no untilMs), or raise the limit`);
      }
      queue.pop();
      this.nowMs = next.time;
      this.processed++;
      count++;
      this.dispatch(next);
    }
  }

  // ---- internals -------------------------------------------------------------------------------

  private result(events: number, stoppedBecause: "idle" | "until"): RunResult {
    return { seed: this.seed, trace: this.trace, endMs: this.nowMs, events, stoppedBecause };
  }

  private node(id: NodeId, field: string): NodeRuntime {
    const n = this.nodes.get(id);
    if (n === undefined) throw new SimulationInputError(field, id, `expected a known node id (nodes: ${this.nodeIds.join(", ")})`);
    return n;
  }

  private futureTime(field: string, atMs: number): number {
    requireNonNegative(field, atMs);
    if (atMs < this.nowMs) throw new SimulationInputError(field, atMs, `expected a time >= now (${this.nowMs} ms)`);
    if (atMs > this.limits.maxTimeMs) throw new SimulationInputError(field, atMs, `expected a time <= limits.maxTimeMs (${this.limits.maxTimeMs})`);
    return atMs;
  }

  private push(time: number, kind: number, node: NodeRuntime | undefined, msgId: number, from: NodeId,
    msg: Message | undefined, copy: number, ref: unknown, tampered: boolean): Queued {
    if (time > this.limits.maxTimeMs) {
      throw new SimulationBoundError("limits.maxTimeMs", this.limits.maxTimeMs,
        `an event was scheduled at ${time} ms (seed=${this.seed}); raise the limit or stop the run earlier with untilMs`);
    }
    if (this.queue.size >= this.limits.maxQueued) {
      throw new SimulationBoundError("limits.maxQueued", this.limits.maxQueued, `too many events waiting at ${this.nowMs} ms (seed=${this.seed})`);
    }
    const event: Queued = { time, seq: this.seq++, kind, node, msgId, from, msg, copy, ref, tampered };
    this.queue.push(event);
    return event;
  }

  private control(atMs: number, fn: () => void): void {
    this.push(atMs, CONTROL, undefined, -1, "", undefined, 0, fn, false);
  }

  /** Appends a trace event (when tracing); fills in time and the node's local time. Returns its index. */
  private record(event: Record<string, unknown> & { kind: TraceEvent["kind"] }, node?: NodeRuntime): number {
    if (!this.tracing) return -1;
    const full = { kind: event.kind, t: this.nowMs } as Record<string, unknown>;
    if (node !== undefined) {
      full.node = node.id;
      full.local = node.clock.timeOfDay(this.nowMs);
    }
    for (const key of Object.keys(event)) if (key !== "kind") full[key] = event[key];
    return this.trace.recordEvent(full as unknown as TraceEvent);
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    for (const node of this.nodes.values()) {
      node.started = true;
      this.current = this.record({ kind: "init", protocol: node.protocol.name }, node);
      node.state = this.runHandler(node, "init", () => node.protocol.init(node.ctx));
      this.current = -1;
      this.startPeriodicTasks(node);
    }
  }

  private dispatch(e: Queued): void {
    const node = e.node;
    if (node !== undefined && this.nowMs >= node.nextPauseAtMs) this.rollPauses(node);
    if (node !== undefined && e.kind !== CONTROL && node.pausedUntilMs > this.nowMs) {
      // A paused node does nothing; its events wait until the pause ends.
      const later = this.push(node.pausedUntilMs, e.kind, node, e.msgId, e.from, e.msg, e.copy, e.ref, e.tampered);
      if (e.kind === TIMER && (e.ref as TimerEntry).queued === e) (e.ref as TimerEntry).queued = later;
      return;
    }
    switch (e.kind) {
      case RECEIVE:
        this.receive(e, node as NodeRuntime);
        return;
      case TIMER:
        this.fireTimer(e, node as NodeRuntime);
        return;
      case REQUEST: {
        const n = node as NodeRuntime;
        if (!n.up) {
          this.record({ kind: "log", text: `request ignored: node ${n.id} is crashed` }, n);
          return;
        }
        this.current = this.record({ kind: "request", request: e.ref }, n);
        const request = e.ref;
        this.runHandler(n, "request", () => (n.protocol.request as (s: unknown, r: unknown, c: unknown) => void)(n.state, request, n.ctx));
        this.current = -1;
        return;
      }
      case CONTROL:
        (e.ref as () => void)();
        return;
    }
  }

  private receive(e: Queued, node: NodeRuntime): void {
    const msg = e.msg as Message;
    if (!node.up) {
      this.drop(e.msgId, e.from, node.id, msg, "crashed");
      return;
    }
    if (this.cutLinks.size > 0 && this.cutLinks.has(`${e.from}\u0000${node.id}`)) {
      this.drop(e.msgId, e.from, node.id, msg, "partition");
      return;
    }
    const handler = (node.protocol.receive as Record<string, unknown>)[msg.type];
    if (this.tracing) {
      this.current = this.trace.recordReceive(this.nowMs, node.index, node.clock.timeOfDay(this.nowMs), e.msgId,
        (this.nodes.get(e.from) as NodeRuntime).index, msg, e.copy, e.tampered);
    }
    if (typeof handler !== "function") {
      throw new ProtocolError(
        `node ${node.id} (protocol ${node.protocol.name}) has no handler for message type ${describeValue(msg.type)} ` +
          `from ${e.from} at ${this.nowMs} ms (seed=${this.seed}); handlers: ${Object.keys(node.protocol.receive).join(", ")}`,
      );
    }
    try {
      (handler as (s: unknown, m: Message, f: NodeId, c: unknown) => void)(node.state, msg, e.from, node.ctx);
    } catch (error) {
      throw this.handlerError(node, `receive.${msg.type}`, error);
    }
    this.current = -1;
  }

  private fireTimer(e: Queued, node: NodeRuntime): void {
    const entry = e.ref as TimerEntry;
    if (!node.up || node.timers.get(entry.id) !== entry || entry.queued !== e) return; // cancelled or re-planned
    node.timers.delete(entry.id);
    if (entry.periodic !== undefined) {
      const task = (node.protocol.periodically as Record<string, { everyMs: number; run: (s: unknown, c: unknown) => void }>)[entry.periodic];
      this.current = this.recordTimer(node, entry);
      this.addTimer(node, entry.name, task.everyMs, undefined, entry.periodic);
      this.runHandler(node, entry.name, () => task.run(node.state, node.ctx));
    } else {
      const handler = (node.protocol.timers as Record<string, (s: unknown, d: unknown, c: unknown) => void>)[entry.name];
      this.current = this.recordTimer(node, entry);
      this.runHandler(node, `timers.${entry.name}`, () => handler(node.state, entry.data, node.ctx));
    }
    this.current = -1;
  }

  private recordTimer(node: NodeRuntime, entry: TimerEntry): number {
    if (!this.tracing) return -1;
    return this.trace.recordTimer(this.nowMs, node.index, node.clock.timeOfDay(this.nowMs), entry.name, entry.id);
  }

  private runHandler<T>(node: NodeRuntime, what: string, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw this.handlerError(node, what, error);
    }
  }

  /** The error for an exception thrown by a handler: it names the handler, node, time and seed. */
  private handlerError(node: NodeRuntime, what: string, error: unknown): Error {
    if (error instanceof SimulationInputError || error instanceof ProtocolError || error instanceof SimulationBoundError) return error;
    const message = error instanceof Error ? error.message : describeValue(error);
    return new ProtocolError(
      `${what} of protocol ${node.protocol.name} at node ${node.id} threw at ${this.nowMs} ms (seed=${this.seed}): ${message}`,
      { cause: error },
    );
  }

  private drop(msgId: number, from: NodeId, to: NodeId, msg: Message, reason: DropReason): void {
    if (this.tracing) this.record({ kind: "drop", node: to, msgId, from, to, msg, reason });
  }

  /** Send from a node: validates, copies, records, and lets the network decide the message's fate. */
  private send(node: NodeRuntime, layer: string, to: NodeId, msg: Message): void {
    const target = this.nodes.get(to);
    if (target === undefined) {
      throw new SimulationInputError(`send(to) at node ${node.id}`, to, `expected a known node id (nodes: ${this.nodeIds.join(", ")})`);
    }
    if (typeof msg !== "object" || msg === null || typeof (msg as Message).type !== "string") {
      throw new SimulationInputError(`send(msg) at node ${node.id}`, msg, "expected a message object with a string field type");
    }
    const copy = copyPlain(msg, `send(msg) at node ${node.id}`);
    const msgId = this.nextMsgId++;
    if (this.tracing) {
      this.trace.recordSend(this.nowMs, node.index, node.clock.timeOfDay(this.nowMs), msgId, target.index, copy, layer);
    }
    if (to === node.id) {
      // Loopback: a node's message to itself is never lost or delayed.
      this.push(this.nowMs, RECEIVE, target, msgId, node.id, copy, 0, undefined, false);
      return;
    }
    if (this.cutLinks.size > 0 && this.cutLinks.has(`${node.id}\u0000${to}`)) {
      this.drop(msgId, node.id, to, copy, "partition");
      return;
    }
    const link = this.network.hasLinkOverrides ? this.network.link(node.id, to) : this.network.defaultLink;
    const random = this.networkRandom;
    if (this.network.model === "arbitrary") {
      this.adversarial(node, target, msgId, copy, link.latency.draw(random, node.id, to));
      return;
    }
    if (link.loss > 0 && random.bernoulli(link.loss)) {
      this.drop(msgId, node.id, to, copy, "loss");
      return;
    }
    this.push(this.nowMs + this.adjustLatency(link.latency.draw(random, node.id, to)), RECEIVE, target, msgId, node.id, copy, 0, undefined, false);
    if (link.duplicate > 0 && random.bernoulli(link.duplicate)) {
      if (this.tracing) this.record({ kind: "duplicate", node: node.id, msgId, from: node.id, to });
      this.push(this.nowMs + this.adjustLatency(link.latency.draw(random, node.id, to)), RECEIVE, target, msgId, node.id, copy, 1, undefined, false);
    }
  }

  private adversarial(node: NodeRuntime, target: NodeRuntime, msgId: number, msg: Message, latencyMs: number): void {
    const sentAtMs = this.nowMs;
    const injected: Arrival[] = [];
    const injectTo: NodeRuntime[] = [];
    const arrivals = (this.network.adversary as NonNullable<ResolvedNetwork["adversary"]>)(
      { msgId, from: node.id, to: target.id, msg, sentAtMs, latencyMs },
      {
        random: this.networkRandom,
        nowMs: sentAtMs,
        inject: (to, from, m, delayMs) => {
          injectTo.push(this.node(to, "adversary inject(to)"));
          this.node(from, "adversary inject(from)");
          injected.push({ msg: m, from, delayMs });
        },
      },
    );
    const list = arrivals === undefined ? [{}] : arrivals;
    if (!Array.isArray(list)) throw new SimulationInputError("network.adversary result", arrivals, "expected an array of arrivals or undefined");
    if (list.length === 0) this.drop(msgId, node.id, target.id, msg, "adversary");
    list.forEach((a: Arrival, k: number) => {
      if (k === 1 && this.tracing) this.record({ kind: "duplicate", node: node.id, msgId, from: node.id, to: target.id });
      this.arrive(target, msgId, a, node.id, msg, latencyMs, k, `network.adversary result[${k}]`);
    });
    injected.forEach((a, k) => this.arrive(injectTo[k], msgId, a, a.from as NodeId, msg, 0, 1 + k, `adversary inject[${k}]`));
  }

  private arrive(target: NodeRuntime, msgId: number, a: Arrival, realFrom: NodeId, original: Message, latencyMs: number, copy: number, field: string): void {
    const delay = a.delayMs === undefined ? latencyMs : requireNonNegative(`${field}.delayMs`, a.delayMs);
    const from = a.from === undefined ? realFrom : this.node(a.from, `${field}.from`).id;
    const msg = a.msg === undefined ? original : copyPlain(a.msg, `${field}.msg`);
    if (typeof msg.type !== "string") throw new SimulationInputError(`${field}.msg.type`, msg.type, "expected a string");
    const tampered = from !== realFrom || a.msg !== undefined;
    this.push(this.nowMs + delay, RECEIVE, target, msgId, from, msg, copy, undefined, tampered);
  }

  /** Applies the timing model to a drawn latency. */
  private adjustLatency(latencyMs: number): number {
    const timing = this.timing;
    if (timing === undefined) return latencyMs;
    const now = this.nowMs;
    if (now >= timing.gstMs) return Math.min(latencyMs, timing.latencyMsMax);
    let delay = latencyMs;
    if (timing.delayProbability > 0 && this.timingRandom.bernoulli(timing.delayProbability)) {
      delay += this.timingRandom.exponential(timing.delayMeanMs);
    }
    // Partial synchrony: whatever happened before GST, the message arrives within the bound after it.
    if (Number.isFinite(timing.gstMs)) delay = Math.min(delay, timing.gstMs + timing.latencyMsMax - now);
    return delay;
  }

  /**
   * Process pauses of the timing model, drawn lazily: pauses form a Poisson process per node, but
   * one is only materialised when an event reaches the node during it (a pause with nothing to
   * delay changes nothing), so the pause process never keeps an otherwise idle run going.
   */
  private rollPauses(node: NodeRuntime): void {
    const timing = this.timing as ResolvedTiming;
    const random = this.streams.stream(`pauses/${node.id}`);
    while (this.nowMs >= node.nextPauseAtMs) {
      const start = node.nextPauseAtMs;
      let durationMs = random.exponential(timing.pauseMeanMs);
      if (Number.isFinite(timing.gstMs)) durationMs = Math.min(durationMs, timing.gstMs - start);
      const end = start + durationMs;
      if (this.nowMs < end && node.up) {
        node.pausedUntilMs = Math.max(node.pausedUntilMs, end);
        this.record({ kind: "pause", untilMs: end }, node);
      }
      const next = end + random.exponential(1000 / timing.pausesPerSecond);
      node.nextPauseAtMs = next >= timing.gstMs ? Infinity : next;
    }
  }

  private doPause(node: NodeRuntime, durationMs: number): void {
    if (!node.up) return;
    const until = Math.max(node.pausedUntilMs, this.nowMs + durationMs);
    node.pausedUntilMs = until;
    this.record({ kind: "pause", untilMs: until }, node);
  }

  private doCrash(node: NodeRuntime): void {
    if (!node.up) return;
    node.up = false;
    node.timers.clear();
    node.pausedUntilMs = 0;
    this.record({ kind: "crash" }, node);
  }

  private doRecover(node: NodeRuntime): void {
    if (node.up) return;
    node.up = true;
    this.current = this.record({ kind: "recover" }, node);
    const protocol = node.protocol;
    node.state = this.runHandler(node, "recover", () =>
      typeof protocol.recover === "function" ? protocol.recover(node.ctx) : protocol.init(node.ctx));
    this.current = -1;
    this.startPeriodicTasks(node);
  }

  private startPeriodicTasks(node: NodeRuntime): void {
    const tasks = node.protocol.periodically;
    if (tasks === undefined) return;
    for (const name of Object.keys(tasks)) {
      const task = tasks[name];
      const everyMs = task?.everyMs;
      if (typeof everyMs !== "number" || !Number.isFinite(everyMs) || everyMs <= 0) {
        throw new SimulationInputError(`protocol ${node.protocol.name}: periodically.${name}.everyMs`, everyMs, "expected a finite number > 0");
      }
      requireFunction(`protocol ${node.protocol.name}: periodically.${name}.run`, task.run);
      this.addTimer(node, `periodically.${name}`, everyMs, undefined, name);
    }
  }

  private addTimer(node: NodeRuntime, name: string, delayMs: number, data: unknown, periodic: string | undefined): TimerId {
    const id = this.nextTimerId++;
    const entry: TimerEntry = { id, name, data, periodic, queued: undefined as unknown as Queued };
    entry.queued = this.push(node.clock.globalTimeAfter(this.nowMs, delayMs), TIMER, node, -1, "", undefined, 0, entry, false);
    // Remember the monotonic deadline so a slew can re-plan it.
    (entry as TimerEntry & { deadline: number }).deadline = node.clock.monotonic(this.nowMs) + delayMs;
    node.timers.set(id, entry);
    return id;
  }

  /** After a slew changes a clock's rate, re-plan the node's timers to fire at their monotonic deadlines. */
  private replanTimers(node: NodeRuntime): void {
    const monoNow = node.clock.monotonic(this.nowMs);
    for (const entry of node.timers.values()) {
      const remaining = Math.max(0, (entry as TimerEntry & { deadline: number }).deadline - monoNow);
      entry.queued = this.push(node.clock.globalTimeAfter(this.nowMs, remaining), TIMER, node, -1, "", undefined, 0, entry, false);
    }
  }

  private startPartition(cut: Cut): void {
    this.cuts.set(cut.id, cut);
    for (const [a, b] of cut.links) {
      const key = `${a}\u0000${b}`;
      this.cutLinks.set(key, (this.cutLinks.get(key) ?? 0) + 1);
    }
    const rec: Record<string, unknown> & { kind: "partition" } = { kind: "partition", partitionId: cut.id, cut: cut.links };
    if (cut.groups !== undefined) rec.groups = cut.groups;
    this.record(rec);
  }

  private heal(id: number): void {
    const cut = this.cuts.get(id);
    if (cut === undefined) return;
    this.cuts.delete(id);
    for (const [a, b] of cut.links) {
      const key = `${a}\u0000${b}`;
      const n = (this.cutLinks.get(key) ?? 1) - 1;
      if (n <= 0) this.cutLinks.delete(key);
      else this.cutLinks.set(key, n);
    }
    this.record({ kind: "heal", partitionId: id });
  }

  private makeContext(node: NodeRuntime): NodeRuntime["ctx"] {
    const sim = this;
    const protocolName = node.protocol.name;
    const storage: StableStorage = {
      get: <T>(key: string) => node.storage.get(key) as T | undefined,
      set: (key: string, value: unknown) => {
        requireString("storage.set(key)", key);
        node.storage.set(key, clonePlain(value, `storage.set(${JSON.stringify(key)})`));
      },
      has: (key: string) => node.storage.has(key),
      delete: (key: string) => node.storage.delete(key),
      keys: () => Array.from(node.storage.keys()),
    };
    const recordDelivery = (layer: string, value: unknown, from: NodeId | undefined, app: boolean) => {
      if (!sim.tracing) return;
      const fromIndex = from === undefined ? -1 : sim.node(from, `deliver(value, from) at node ${node.id}`).index;
      sim.trace.recordDeliver(sim.nowMs, node.index, node.clock.timeOfDay(sim.nowMs),
        copyPlain(value, `deliver(value) at node ${node.id}`), fromIndex, layer, app);
    };
    return {
      nodeId: node.id,
      nodes: sim.nodeIds,
      clock: localClockView(node.clock, () => sim.nowMs),
      random: node.random,
      storage,
      send: (to: NodeId, msg: Message) => sim.send(node, protocolName, to, msg),
      sendAs: (layer: string, to: NodeId, msg: Message) => sim.send(node, layer, to, msg),
      deliver: (value: unknown, from?: NodeId) => recordDelivery(protocolName, value, from, true),
      deliverAs: (layer: string, value: unknown, from: NodeId | undefined) => recordDelivery(layer, value, from, true),
      traceDelivery: (layer: string, value: unknown, from: NodeId | undefined) => recordDelivery(layer, value, from, false),
      startTimer: (name: string, delayMs: number, data?: unknown) => {
        const handler = node.protocol.timers?.[name];
        if (typeof handler !== "function") {
          throw new ProtocolError(
            `startTimer(${describeValue(name)}) at node ${node.id}: protocol ${protocolName} has no timer handler of that name` +
              ` (timers: ${Object.keys(node.protocol.timers ?? {}).join(", ") || "none"})`,
          );
        }
        if (typeof delayMs !== "number" || !Number.isFinite(delayMs) || delayMs < 0) {
          throw new SimulationInputError(`startTimer(${JSON.stringify(name)}).delayMs at node ${node.id}`, delayMs, "expected a finite number >= 0");
        }
        return sim.addTimer(node, name, delayMs, data === undefined ? undefined : clonePlain(data, `startTimer(${name}).data`), undefined);
      },
      cancelTimer: (id: TimerId) => node.timers.delete(id),
      log: (text: string) => {
        sim.record({ kind: "log", text: String(text) }, node);
      },
      label: (text: string) => {
        if (sim.current >= 0) sim.trace.setLabel(sim.current, String(text));
      },
      lower: () => {
        throw new ProtocolError(`ctx.lower() at node ${node.id}: protocol ${protocolName} is not stacked on a lower layer (use stack(upper, lower))`);
      },
    };
  }
}

function resolveNodes(options: SimulationOptions): [NodeId, AnyProtocol][] {
  const nodes = options.nodes;
  let pairs: [NodeId, unknown][];
  if (Array.isArray(nodes)) {
    if (options.protocol === undefined) {
      throw new SimulationInputError("protocol", options.protocol, "expected a protocol for the listed nodes (or give nodes as { id: protocol })");
    }
    pairs = nodes.map((id) => [id, options.protocol]);
  } else if (typeof nodes === "object" && nodes !== null) {
    if (options.protocol !== undefined) {
      throw new SimulationInputError("protocol", options.protocol.name, "give either nodes as a list with protocol, or nodes as { id: protocol }, not both");
    }
    pairs = Object.entries(nodes);
  } else {
    throw new SimulationInputError("nodes", nodes, "expected a list of node ids or an object { id: protocol }");
  }
  if (pairs.length === 0) throw new SimulationInputError("nodes", nodes, "expected at least one node");
  const seen = new Set<string>();
  pairs.forEach(([id, protocol], k) => {
    if (typeof id !== "string" || id.length === 0) throw new SimulationInputError(`nodes[${k}]`, id, "expected a non-empty string node id");
    if (seen.has(id)) throw new SimulationInputError(`nodes[${k}]`, id, "duplicate node id");
    seen.add(id);
    checkProtocol(`protocol of node ${id}`, protocol);
  });
  return pairs as [NodeId, AnyProtocol][];
}

function checkProtocol(field: string, protocol: unknown): void {
  const p = protocol as AnyProtocol;
  if (typeof p !== "object" || p === null) throw new SimulationInputError(field, protocol, "expected a protocol object");
  requireString(`${field}.name`, p.name);
  requireFunction(`${field} (${p.name}).init`, p.init);
  if (typeof p.receive !== "object" || p.receive === null) {
    throw new SimulationInputError(`${field} (${p.name}).receive`, p.receive, "expected an object of message handlers");
  }
  for (const [type, handler] of Object.entries(p.receive)) {
    if (typeof handler !== "function") throw new SimulationInputError(`${field} (${p.name}).receive.${type}`, handler, "expected a handler function");
  }
}
