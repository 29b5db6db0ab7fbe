/**
 * The deterministic discrete-event simulator. Nodes run protocols (src/sim/protocol.ts); the
 * simulator owns time, the network, faults and clocks, and records everything in a Trace.
 *
 * Determinism: events are ordered by (time, sequence number); every random draw comes from a
 * stream named by purpose and derived from the run's seed; nothing reads the real clock. The same
 * seed, protocol and schedule give a byte-identical trace in any process.
 *
 * Handlers' effects are data (src/sim/handler-context.ts): the simulator runs one handler, then
 * applies what it asked for in order (messages to the network, deliveries to the trace, timers to
 * the queue), so no handler ever runs inside another. The seams: options and their validation
 * (simulation-options.ts), what the network does to a message (transmission.ts), the handler
 * context (handler-context.ts); here, the nodes' runtime (crashes, pauses, timers) and the run loop.
 */
import type { AnyProtocol, Message, NodeId, Random, TimerId } from "./protocol";
import { EventQueue } from "./event-queue";
import { PhysicalClock } from "./clock";
import { RandomStreams } from "./random";
import { Trace } from "./trace";
import type { DropReason, TraceEvent } from "./trace-events";
import { ProtocolError, SimulationBoundError, SimulationInputError, describeValue } from "./errors";
import { resolveNetwork, resolveTiming, type ResolvedNetwork, type ResolvedTiming } from "./network";
import { HandlerContext, invokeHandler, invokeReceive as invokeReceiveExport, invocationName, type Effect, type Invocation, type TimerBook } from "./handler-context";
import { resolveOptions, type SimulationLimits, type SimulationOptions } from "./simulation-options";
import { Transmission, type Cut } from "./transmission";
import { NodeIndex } from "./node-index";
import { formatMs } from "./format";

// Bound once (the receive path runs for every delivery; some module loaders reach exports through getters).
const invokeReceive = invokeReceiveExport;
import { clonePlain, copyPlain, rejectUnknownKeys, requireFunction, requireNonNegative, requirePositiveInteger, requireString } from "./validate";

export type { SimulationLimits, SimulationOptions } from "./simulation-options";

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
  /** The node it happens at, as its index in nodeIds (-1: none, for CONTROL). */
  nodeIndex: number;
  msgId: number;
  /** RECEIVE: the sender's index in nodeIds (-1 otherwise). */
  fromIndex: number;
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
  /** Deadline on the node's monotonic clock, so a slew can re-plan the timer. */
  deadline: number;
  /** The queued event that will fire it (replaced when a slew re-plans the timer). */
  queued: Queued;
}

/**
 * A node as the simulator runs it: its protocol, stable storage, clock and timers. What the run
 * loop reads at every event (up or crashed, paused, the protocol state) is in NodeColumns.
 */
interface NodeRuntime {
  readonly id: NodeId;
  /** The node's position in nodeIds: its index in NodeColumns, send effects and the trace. */
  readonly index: number;
  readonly protocol: AnyProtocol;
  readonly clock: PhysicalClock;
  readonly storage: Map<string, unknown>;
  readonly random: Random;
  /** Pending timer ids (shared with the handler context) and their entries. */
  readonly timerBook: TimerBook;
  readonly timers: Map<TimerId, TimerEntry>;
  readonly ctx: HandlerContext;
}

/**
 * What the run loop reads at every event, one entry per node, indexed by the node's position in
 * nodeIds (a struct of arrays). With a thousand nodes, per-node objects lie spread over the heap
 * and each one read is likely a cache miss; these arrays are dense (a few KB each), and a number
 * in a Float64Array is read in place rather than through the boxed number an object field holds.
 */
interface NodeColumns {
  /** 1: up, 0: crashed. */
  readonly up: Uint8Array;
  readonly pausedUntilMs: Float64Array;
  /** When the timing model's next pause of the node begins (Infinity: none). */
  readonly nextPauseAtMs: Float64Array;
  /** The protocol's state (undefined before init and while crashed: a crash loses memory). */
  readonly state: unknown[];
  readonly protocol: AnyProtocol[];
  readonly ctx: HandlerContext[];
}

export class Simulation {
  readonly seed: string;
  readonly nodeIds: readonly NodeId[];
  readonly network: ResolvedNetwork;
  readonly timing: ResolvedTiming | undefined;
  readonly tracing: boolean;
  readonly trace: Trace;

  private readonly streams: RandomStreams;
  private readonly transmission: Transmission;
  private readonly queue = new EventQueue<Queued>();
  /**
   * Receipts already dispatched, reused by push(): a run then allocates no queued-event object
   * (nor the boxed number its time field holds) per message. Only RECEIVE events are reused:
   * nothing refers to one once it is dispatched, whereas a timer entry points at its TIMER event.
   * At most as many as were ever queued at once (limits.maxQueued bounds them).
   */
  private readonly spareReceipts: Queued[] = [];
  /** The nodes by id, for the API (which names nodes); the run itself goes by index. */
  private readonly nodes = new Map<NodeId, NodeRuntime>();
  /** The nodes by index (their position in nodeIds, which send effects and queued receipts carry). */
  private readonly runtimes: NodeRuntime[] = [];
  private readonly columns: NodeColumns;
  /**
   * False until a node can be paused (a timing model with pauses, or a pause that has begun):
   * until then dispatch skips reading the pause columns for every event.
   */
  private pausesPossible = false;
  private readonly limits: Required<SimulationLimits>;
  private nowMs = 0;
  private seq = 0;
  private nextMsgId = 0;
  private nextPartitionId = 1;
  private processed = 0;
  private started = false;
  private reactions: { when: (e: TraceEvent) => boolean; then: (sim: Simulation, e: TraceEvent) => void; once: boolean; active: boolean }[] = [];
  /** Trace events before this index have been shown to the reactions. */
  private reactedUpTo = 0;
  /** Index in the trace of the event being handled, for labels and annotations (-1: none). */
  private current = -1;
  /**
   * The effect list every handler call records into: the simulator applies a handler's effects
   * before it runs the next handler, so one list serves all calls (no list allocated per event).
   */
  private readonly effects: Effect[] = [];

  constructor(options: SimulationOptions) {
    const resolved = resolveOptions(options);
    this.seed = resolved.seed;
    this.nodeIds = resolved.assignment.map(([id]) => id);
    this.network = resolveNetwork(options.network, new Set(this.nodeIds));
    this.timing = resolveTiming(options.timing);
    this.tracing = resolved.tracing;
    this.limits = resolved.limits;
    this.streams = new RandomStreams(this.seed);
    const sim = this;
    this.transmission = new Transmission(
      {
        now: () => sim.nowMs,
        arriveAt: (timeMs, toIndex, msgId, fromIndex, msg, copy, tampered) =>
          this.push(timeMs, RECEIVE, toIndex, msgId, fromIndex, msg, copy, undefined, tampered),
        drop: (msgId, fromIndex, toIndex, msg, reason) => this.drop(msgId, this.nodeIds[fromIndex], this.nodeIds[toIndex], msg, reason),
        duplicated: (msgId, fromIndex, toIndex) => {
          const from = this.nodeIds[fromIndex];
          if (this.tracing) this.record({ kind: "duplicate", node: from, msgId, from, to: this.nodeIds[toIndex] });
        },
        requireNode: (id, field) => this.node(id, field).index,
      },
      this.nodeIds,
      this.network,
      this.timing,
      this.streams.stream("network"),
      this.streams.stream("timing"),
    );
    this.trace = new Trace({ seed: this.seed, nodes: this.nodeIds, description: options.description });
    const nodeCount = this.nodeIds.length;
    this.columns = {
      up: new Uint8Array(nodeCount).fill(1),
      pausedUntilMs: new Float64Array(nodeCount),
      nextPauseAtMs: new Float64Array(nodeCount).fill(Infinity),
      state: new Array<unknown>(nodeCount).fill(undefined),
      protocol: [],
      ctx: [],
    };
    const nodeIndex = new NodeIndex(this.nodeIds);
    resolved.assignment.forEach(([id, protocol], index) => {
      const clock = new PhysicalClock(id, resolved.clocks[id]);
      const storage = new Map<string, unknown>();
      const random = this.streams.stream(`node/${id}`);
      const timerBook: TimerBook = { nextId: 1, pending: new Set() };
      const ctx = new HandlerContext({
        nodeId: id,
        nodes: this.nodeIds,
        nodeIndex,
        protocol,
        random,
        storage,
        timers: timerBook,
        clock: {
          timeOfDay: () => clock.timeOfDay(this.nowMs),
          monotonic: () => clock.monotonic(this.nowMs),
          ratePpm: () => {
            clock.monotonic(this.nowMs);
            return clock.ratePpm();
          },
        },
      });
      const node: NodeRuntime = { id, index, protocol, clock, storage, random, ctx, timerBook, timers: new Map() };
      this.columns.protocol.push(protocol);
      this.columns.ctx.push(ctx);
      clock.observer = {
        onStep: (deltaMs) => this.record({ kind: "clock-step", node: id, deltaMs }, node),
        onSlew: (deltaMs, ratePpm) => {
          this.record({ kind: "clock-slew", node: id, deltaMs, ratePpm }, node);
          this.replanTimers(node);
        },
      };
      this.nodes.set(id, node);
      this.runtimes.push(node);
    });
    if (this.timing !== undefined && this.timing.pausesPerSecond > 0) {
      this.pausesPossible = true;
      const timing = this.timing;
      for (const node of this.nodes.values()) {
        const first = this.streams.stream(`pauses/${node.id}`).exponential(1000 / timing.pausesPerSecond);
        this.columns.nextPauseAtMs[node.index] = first >= timing.gstMs ? Infinity : first;
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
    return this.columns.state[this.node(node, "state(node)").index] as S;
  }

  /** The node's stable storage contents (a copy). */
  storage(node: NodeId): Record<string, unknown> {
    return Object.fromEntries(this.node(node, "storage(node)").storage);
  }

  /** Whether a node is up (not crashed). */
  isUp(node: NodeId): boolean {
    return this.columns.up[this.node(node, "isUp(node)").index] === 1;
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
    this.push(at, REQUEST, n.index, -1, -1, undefined, 0, clonePlain(request, "request"), false);
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

  /** Step a node's time-of-day clock by deltaMs now (an operator, or a faulty time source); recorded as clock-step. */
  stepClock(node: NodeId, deltaMs: number): this {
    const n = this.node(node, "stepClock(node)");
    n.clock.step(this.nowMs, deltaMs);
    return this;
  }

  /** Run fn(sim) at simulated time atMs (e.g. to inspect state or add requests). */
  at(atMs: number, fn: (sim: Simulation) => void): this {
    requireFunction("at(fn)", fn);
    this.control(this.futureTime("at(atMs)", atMs), () => fn(this));
    return this;
  }

  /**
   * Scripted scenarios: whenever an event matching `when` is recorded, run `then(sim, event)` at the
   * same simulated time, once the event's handler has returned and its effects are applied ("C
   * broadcasts m7 after it delivers m5"). With `{ once: true }` it reacts to the first match only.
   * Needs tracing (reactions read the trace). Returns a function that stops the reaction.
   */
  on(when: (event: TraceEvent) => boolean, then: (sim: Simulation, event: TraceEvent) => void, options: { once?: boolean } = {}): () => void {
    requireFunction("on(when)", when);
    requireFunction("on(then)", then);
    rejectUnknownKeys("on(options)", options, ["once"]);
    if (!this.tracing) throw new SimulationInputError("on(when)", "trace: false", "reactions read the trace: create the simulation with tracing on");
    const reaction = { when, then, once: options.once === true, active: true };
    this.reactions.push(reaction);
    return () => {
      reaction.active = false;
    };
  }

  /** Runs the reactions whose predicate matches an event recorded since the last check. */
  private react(): void {
    const events = this.trace.events;
    for (; this.reactedUpTo < events.length; this.reactedUpTo++) {
      const event = events[this.reactedUpTo];
      for (const reaction of this.reactions) {
        if (!reaction.active || !reaction.when(event)) continue;
        if (reaction.once) reaction.active = false;
        reaction.then(this, event);
      }
    }
    this.reactions = this.reactions.filter((r) => r.active);
  }

  /** Process events until nothing is left, or until untilMs. */
  run(options: RunOptions = {}): RunResult {
    rejectUnknownKeys("run(options)", options, ["untilMs", "maxEvents"]);
    const untilMs = options.untilMs === undefined ? Infinity : this.futureTime("run(untilMs)", options.untilMs);
    const budget = options.maxEvents === undefined ? Infinity : requirePositiveInteger("run(maxEvents)", options.maxEvents);
    this.start();
    if (this.reactions.length > 0) this.react();
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
        throw new SimulationBoundError("run(maxEvents)", budget, `${queue.size} events still queued at ${formatMs(this.nowMs)} (seed=${this.seed})`);
      }
      if (this.processed >= this.limits.maxEvents) {
        throw new SimulationBoundError("limits.maxEvents", this.limits.maxEvents,
          `the run processed that many events by ${formatMs(this.nowMs)} (seed=${this.seed}); a protocol may loop for ever (e.g. periodic work with no untilMs), or raise the limit`);
      }
      queue.pop();
      this.nowMs = next.time;
      this.processed++;
      count++;
      this.dispatch(next);
      if (next.kind === RECEIVE) this.recycle(next);
      if (this.reactions.length > 0) this.react();
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

  private push(time: number, kind: number, nodeIndex: number, msgId: number, fromIndex: number,
    msg: Message | undefined, copy: number, ref: unknown, tampered: boolean): Queued {
    if (time > this.limits.maxTimeMs) {
      throw new SimulationBoundError("limits.maxTimeMs", this.limits.maxTimeMs,
        `an event was scheduled at ${formatMs(time)} (seed=${this.seed}); raise the limit or stop the run earlier with untilMs`);
    }
    if (this.queue.size >= this.limits.maxQueued) {
      throw new SimulationBoundError("limits.maxQueued", this.limits.maxQueued, `too many events waiting at ${formatMs(this.nowMs)} (seed=${this.seed})`);
    }
    const spare = kind === RECEIVE ? this.spareReceipts.pop() : undefined;
    let event: Queued;
    if (spare === undefined) {
      event = { time, seq: this.seq++, kind, nodeIndex, msgId, fromIndex, msg, copy, ref, tampered };
    } else {
      event = spare;
      event.time = time;
      event.seq = this.seq++;
      event.nodeIndex = nodeIndex;
      event.msgId = msgId;
      event.fromIndex = fromIndex;
      event.msg = msg;
      event.copy = copy;
      event.tampered = tampered;
    }
    this.queue.push(event);
    return event;
  }

  /** Keeps a dispatched receipt for reuse (see spareReceipts). */
  private recycle(receipt: Queued): void {
    receipt.msg = undefined; // the message may be garbage now
    this.spareReceipts.push(receipt);
  }

  private control(atMs: number, fn: () => void): void {
    this.push(atMs, CONTROL, -1, -1, -1, undefined, 0, fn, false);
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

  private drop(msgId: number, from: NodeId, to: NodeId, msg: Message, reason: DropReason): void {
    if (this.tracing) this.record({ kind: "drop", node: to, msgId, from, to, msg, reason });
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    for (const node of this.nodes.values()) {
      const at = this.record({ kind: "init", protocol: node.protocol.name }, node);
      this.step(node, INIT, at);
      this.startPeriodicTasks(node);
    }
  }

  /**
   * Runs one handler of a node and then applies its effects, in the order the handler asked for
   * them. `traceIndex` is the trace event the handler is reacting to (for labels), or -1.
   */
  private step(node: NodeRuntime, invocation: Invocation, traceIndex: number): void {
    const effects = node.ctx.begin(this.effects);
    this.current = traceIndex;
    try {
      this.columns.state[node.index] = invokeHandler(node.protocol, this.columns.state[node.index], invocation, node.ctx);
      this.apply(node.index, effects);
    } catch (error) {
      throw this.handlerError(node, invocationName(invocation), error);
    } finally {
      this.current = -1;
    }
  }

  private apply(nodeIndex: number, effects: readonly Effect[]): void {
    // The node's runtime object is read only by the effects that need it (not by a send without tracing).
    const node = this.runtimes[nodeIndex];
    for (let k = 0; k < effects.length; k++) {
      const effect = effects[k];
      switch (effect.kind) {
        case "send":
          this.send(nodeIndex, effect.layer, effect.toIndex, effect.msg);
          break;
        case "deliver":
          if (this.tracing) {
            this.trace.recordDeliver(this.nowMs, node.index, node.clock.timeOfDay(this.nowMs), effect.value, effect.fromIndex, effect.layer, effect.app);
          }
          break;
        case "start-timer":
          if (node.timerBook.pending.has(effect.id)) this.addTimer(node, effect.id, effect.name, effect.delayMs, effect.data, undefined);
          break;
        case "cancel-timer":
          node.timers.delete(effect.id);
          break;
        case "log":
          this.record({ kind: "log", text: effect.text }, node);
          break;
        case "label":
          if (this.current >= 0) this.trace.setLabel(this.current, effect.text);
          break;
        case "annotate":
          if (this.current >= 0) this.trace.annotate(this.current, effect.data);
          break;
        case "clock-step":
          node.clock.step(this.nowMs, effect.deltaMs);
          break;
        case "clock-slew":
          node.clock.slew(this.nowMs, effect.deltaMs, effect.ratePpm);
          break;
        default:
          // "lower" and storage effects come only from detached contexts, which the simulator never makes.
          throw new ProtocolError(`effect ${effect.kind} at node ${node.id} has no meaning in the simulator`);
      }
    }
  }

  /** A message leaves a node: it gets an id, is recorded, and the network decides its fate. */
  private send(fromIndex: number, layer: string, toIndex: number, msg: Message): void {
    const msgId = this.nextMsgId++;
    if (this.tracing) this.trace.recordSend(this.nowMs, fromIndex, this.runtimes[fromIndex].clock.timeOfDay(this.nowMs), msgId, toIndex, msg, layer);
    this.transmission.transmit(msgId, fromIndex, toIndex, msg);
  }

  private dispatch(e: Queued): void {
    const nodeIndex = e.nodeIndex;
    if (nodeIndex >= 0 && this.pausesPossible) {
      const columns = this.columns;
      if (this.nowMs >= columns.nextPauseAtMs[nodeIndex]) this.rollPauses(this.runtimes[nodeIndex]);
      if (columns.pausedUntilMs[nodeIndex] > this.nowMs) {
        // A paused node does nothing; its events wait until the pause ends.
        const later = this.push(columns.pausedUntilMs[nodeIndex], e.kind, nodeIndex, e.msgId, e.fromIndex, e.msg, e.copy, e.ref, e.tampered);
        if (e.kind === TIMER && (e.ref as TimerEntry).queued === e) (e.ref as TimerEntry).queued = later;
        return;
      }
    }
    switch (e.kind) {
      case RECEIVE:
        this.receive(e, nodeIndex);
        return;
      case TIMER:
        this.fireTimer(e, this.runtimes[nodeIndex]);
        return;
      case REQUEST: {
        const n = this.runtimes[nodeIndex];
        if (this.columns.up[nodeIndex] === 0) {
          this.record({ kind: "log", text: `request ignored: node ${n.id} is crashed` }, n);
          return;
        }
        const at = this.record({ kind: "request", request: e.ref }, n);
        // The trace keeps the request as it was made; the handler may change its own copy.
        this.step(n, { kind: "request", request: this.tracing ? copyPlain(e.ref, "request") : e.ref }, at);
        return;
      }
      case CONTROL:
        (e.ref as () => void)();
        return;
    }
  }

  /** "On receiving msg from `from`": the hot path, step() without an Invocation and reading NodeColumns only. */
  private receive(e: Queued, nodeIndex: number): void {
    const msg = e.msg as Message;
    const from = this.nodeIds[e.fromIndex];
    const columns = this.columns;
    if (columns.up[nodeIndex] === 0) {
      this.drop(e.msgId, from, this.nodeIds[nodeIndex], msg, "crashed");
      return;
    }
    if (this.transmission.isCut(e.fromIndex, nodeIndex)) {
      this.drop(e.msgId, from, this.nodeIds[nodeIndex], msg, "partition");
      return;
    }
    let at = -1;
    // The receiver owns the message it is handed and may change it. Without tracing nothing else
    // holds this copy (a duplicate travels as a copy of its own); the trace keeps the message as it
    // was sent and received, so the handler gets a copy of that.
    let received = msg;
    if (this.tracing) {
      const local = this.runtimes[nodeIndex].clock.timeOfDay(this.nowMs);
      at = this.trace.recordReceive(this.nowMs, nodeIndex, local, e.msgId, e.fromIndex, msg, e.copy, e.tampered);
      received = copyPlain(msg, "message");
    }
    const ctx = columns.ctx[nodeIndex];
    const effects = ctx.begin(this.effects);
    this.current = at;
    try {
      invokeReceive(columns.protocol[nodeIndex], columns.state[nodeIndex], received, from, ctx);
      this.apply(nodeIndex, effects);
    } catch (error) {
      throw this.handlerError(this.runtimes[nodeIndex], `receive.${msg.type}`, error);
    } finally {
      this.current = -1;
    }
  }

  private fireTimer(e: Queued, node: NodeRuntime): void {
    const entry = e.ref as TimerEntry;
    if (this.columns.up[node.index] === 0 || node.timers.get(entry.id) !== entry || entry.queued !== e) return; // cancelled or re-planned
    node.timers.delete(entry.id);
    node.timerBook.pending.delete(entry.id);
    const at = this.tracing ? this.trace.recordTimer(this.nowMs, node.index, node.clock.timeOfDay(this.nowMs), entry.name, entry.id) : -1;
    if (entry.periodic !== undefined) {
      const task = (node.protocol.periodically as Record<string, { everyMs: number }>)[entry.periodic];
      this.addTimer(node, this.newTimerId(node), entry.name, task.everyMs, undefined, entry.periodic);
      this.step(node, { kind: "periodic", name: entry.periodic }, at);
    } else {
      this.step(node, { kind: "timer", name: entry.name, data: entry.data }, at);
    }
  }

  private newTimerId(node: NodeRuntime): TimerId {
    const id = node.timerBook.nextId++;
    node.timerBook.pending.add(id);
    return id;
  }

  /** The error for an exception thrown by a handler: it names the handler, node, time and seed. */
  private handlerError(node: NodeRuntime, what: string, error: unknown): Error {
    if (error instanceof ProtocolError && !error.message.includes("(seed=")) {
      return new ProtocolError(`${error.message} (at ${formatMs(this.nowMs)}, seed=${this.seed})`, { cause: error });
    }
    if (error instanceof SimulationInputError || error instanceof ProtocolError || error instanceof SimulationBoundError) return error;
    const message = error instanceof Error ? error.message : describeValue(error);
    return new ProtocolError(
      `${what} of protocol ${node.protocol.name} at node ${node.id} threw at ${formatMs(this.nowMs)} (seed=${this.seed}): ${message}`,
      { cause: error },
    );
  }

  /**
   * Process pauses of the timing model, drawn lazily: pauses form a Poisson process per node, but
   * one is only materialised when an event reaches the node during it (a pause with nothing to
   * delay changes nothing), so the pause process never keeps an otherwise idle run going.
   */
  private rollPauses(node: NodeRuntime): void {
    const timing = this.timing as ResolvedTiming;
    const random = this.streams.stream(`pauses/${node.id}`);
    const i = node.index;
    const { up, pausedUntilMs, nextPauseAtMs } = this.columns;
    while (this.nowMs >= nextPauseAtMs[i]) {
      const start = nextPauseAtMs[i];
      let durationMs = random.exponential(timing.pauseMeanMs);
      if (Number.isFinite(timing.gstMs)) durationMs = Math.min(durationMs, timing.gstMs - start);
      const end = start + durationMs;
      if (this.nowMs < end && up[i] === 1) {
        pausedUntilMs[i] = Math.max(pausedUntilMs[i], end);
        this.record({ kind: "pause", untilMs: end }, node);
      }
      const next = end + random.exponential(1000 / timing.pausesPerSecond);
      nextPauseAtMs[i] = next >= timing.gstMs ? Infinity : next;
    }
  }

  private doPause(node: NodeRuntime, durationMs: number): void {
    const { up, pausedUntilMs } = this.columns;
    if (up[node.index] === 0) return;
    this.pausesPossible = true;
    const until = Math.max(pausedUntilMs[node.index], this.nowMs + durationMs);
    pausedUntilMs[node.index] = until;
    this.record({ kind: "pause", untilMs: until }, node);
  }

  private doCrash(node: NodeRuntime): void {
    const columns = this.columns;
    if (columns.up[node.index] === 0) return;
    columns.up[node.index] = 0;
    node.timers.clear();
    node.timerBook.pending.clear();
    columns.pausedUntilMs[node.index] = 0;
    // Memory is lost: nothing of the old state may leak into the recovered node.
    columns.state[node.index] = undefined;
    this.record({ kind: "crash" }, node);
  }

  private doRecover(node: NodeRuntime): void {
    if (this.columns.up[node.index] === 1) return;
    this.columns.up[node.index] = 1;
    const at = this.record({ kind: "recover" }, node);
    this.step(node, RECOVER, at);
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
      this.addTimer(node, this.newTimerId(node), `periodically.${name}`, everyMs, undefined, name);
    }
  }

  private addTimer(node: NodeRuntime, id: TimerId, name: string, delayMs: number, data: unknown, periodic: string | undefined): void {
    const entry: TimerEntry = { id, name, data, periodic, deadline: node.clock.monotonic(this.nowMs) + delayMs, queued: undefined as unknown as Queued };
    entry.queued = this.push(node.clock.globalTimeAfter(this.nowMs, delayMs), TIMER, node.index, -1, -1, undefined, 0, entry, false);
    node.timers.set(id, entry);
  }

  /** After a slew changes a clock's rate, re-plan the node's timers to fire at their monotonic deadlines. */
  private replanTimers(node: NodeRuntime): void {
    const monoNow = node.clock.monotonic(this.nowMs);
    for (const entry of node.timers.values()) {
      const remaining = Math.max(0, entry.deadline - monoNow);
      entry.queued = this.push(node.clock.globalTimeAfter(this.nowMs, remaining), TIMER, node.index, -1, -1, undefined, 0, entry, false);
    }
  }

  private startPartition(cut: Cut): void {
    this.transmission.startPartition(cut);
    const rec: Record<string, unknown> & { kind: "partition" } = { kind: "partition", partitionId: cut.id, cut: cut.links };
    if (cut.groups !== undefined) rec.groups = cut.groups;
    this.record(rec);
  }

  private heal(id: number): void {
    if (this.transmission.heal(id)) this.record({ kind: "heal", partitionId: id });
  }
}

const INIT: Invocation = { kind: "init" };
const RECOVER: Invocation = { kind: "recover" };
