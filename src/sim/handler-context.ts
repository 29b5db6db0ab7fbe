/**
 * Handlers' effects as data (etcd raft's `Ready`, DSLabs' handlers that run to completion).
 *
 * A handler never calls the simulator, the network or another handler. Its context only records
 * what it asked for, as a list of `Effect`s; whoever runs the handler (the simulator, the explorer,
 * the grader's sandbox) applies that list in order once the handler has returned. So no handler
 * re-enters another, protocol code keeps the slide's statement order, and the same handlers serve
 * random runs and exhaustive exploration.
 *
 * Two things take effect at once, because the handler may read them back: stable-storage writes
 * (so they always precede the messages the handler sends, as a real node must fsync before it
 * replies) and timer bookkeeping (a timer started and then cancelled in one handler never fires).
 */
import type { AnyProtocol, Context, LayeredContext, Message, NodeId, Random, StableStorage, TimerId } from "./protocol";
import { ProtocolError, SimulationInputError, describeValue } from "./errors";
import { clonePlain, copyMessage as copyMessageExport, copyPlain as copyPlainExport, requireString } from "./validate";
import { NodeIndex } from "./node-index";

// Bound once: a module loader may reach exports through getters (tsx does), and a send is the hot path.
const copyPlain = copyPlainExport;
const copyMessage = copyMessageExport;

/** One thing a handler asked for, in the order it asked. */
export type Effect =
  /** toIndex: the position of `to` in ctx.nodes (the context looked it up to check `to`; the simulator indexes its nodes by it). */
  | { readonly kind: "send"; readonly layer: string; readonly to: NodeId; readonly toIndex: number; readonly msg: Message }
  /**
   * app: delivered out of the node's protocol (to the application); false: between layers of a
   * stack (trace only). fromIndex: the position of `from` in ctx.nodes, -1 without `from`.
   */
  | { readonly kind: "deliver"; readonly layer: string; readonly value: unknown; readonly from: NodeId | undefined; readonly fromIndex: number; readonly app: boolean }
  | { readonly kind: "start-timer"; readonly id: TimerId; readonly name: string; readonly delayMs: number; readonly data: unknown }
  | { readonly kind: "cancel-timer"; readonly id: TimerId }
  | { readonly kind: "log"; readonly text: string }
  | { readonly kind: "label"; readonly text: string }
  | { readonly kind: "annotate"; readonly data: Readonly<Record<string, unknown>> }
  | { readonly kind: "clock-step"; readonly deltaMs: number }
  | { readonly kind: "clock-slew"; readonly deltaMs: number; readonly ratePpm: number | undefined }
  /** Only where the environment asks for them (a node hosted in another process): */
  | { readonly kind: "lower"; readonly request: unknown }
  | { readonly kind: "storage-set"; readonly key: string; readonly value: unknown }
  | { readonly kind: "storage-delete"; readonly key: string };

export type EffectKind = Effect["kind"];

/** What a handler is being run for: the slides' "on initialisation", "on receiving", ... */
export type Invocation =
  | { readonly kind: "init" }
  | { readonly kind: "recover" }
  | { readonly kind: "receive"; readonly msg: Message; readonly from: NodeId }
  | { readonly kind: "request"; readonly request: unknown }
  | { readonly kind: "timer"; readonly name: string; readonly data: unknown }
  | { readonly kind: "periodic"; readonly name: string };

/** A node's clocks as a handler reads them: the readings at the instant it runs. */
export interface ClockReadings {
  timeOfDay(): number;
  monotonic(): number;
  ratePpm(): number;
}

/**
 * The timers a node has pending, by id. Ids count up per node, so they are the same wherever the
 * node's handlers run (in this process, in a sandbox, in the explorer).
 */
export interface TimerBook {
  nextId: number;
  readonly pending: Set<TimerId>;
}

export interface HandlerEnvironment {
  readonly nodeId: NodeId;
  readonly nodes: readonly NodeId[];
  readonly protocol: AnyProtocol;
  readonly clock: ClockReadings;
  readonly random: Random;
  /** The node's stable storage: written through at once (writes precede the handler's messages). */
  readonly storage: Map<string, unknown>;
  readonly timers: TimerBook;
  /**
   * Each node's position in `nodes`, shared by every node's context (optional: built from `nodes`
   * if absent). One lookup both checks a destination and gives its index.
   */
  readonly nodeIndex?: NodeIndex;
  /**
   * For a layer run away from its stack (the grader's node host): ctx.lower(request) is recorded as
   * a "lower" effect for the stack to carry out, and storage writes are recorded too ("storage-set",
   * "storage-delete"), so the process that owns stable storage can keep it.
   */
  readonly detached?: boolean;
}

/** Most effects one handler call may produce: a handler that loops sending is stopped with a clear error. */
export const MAX_EFFECTS_PER_HANDLER = 1_000_000;

/**
 * The context handlers of one node see. One object per node, reused for every handler call (stacks
 * cache their layer contexts by it); `begin()` hands it a fresh effect list before each call.
 */
export class HandlerContext implements Context<Message, unknown>, LayeredContext {
  readonly nodeId: NodeId;
  readonly nodes: readonly NodeId[];
  readonly random: Random;
  /**
   * Built on first use (most handlers use neither): each is a dozen closures, and without them a
   * node's runtime takes 3.3 KB instead of 7.2 KB, so a thousand nodes' hot fields lie closer.
   */
  private storageApi: StableStorage | undefined;
  private clockApi: Context["clock"] | undefined;
  private effects: Effect[] = [];
  private readonly nodeIndex: NodeIndex;
  private readonly protocolName: string;
  // Error-path names, built once (a send is the hot path of every run).
  private readonly sendPath: string;
  private readonly deliverPath: string;

  constructor(private readonly env: HandlerEnvironment) {
    this.nodeId = env.nodeId;
    this.nodes = env.nodes;
    this.nodeIndex = env.nodeIndex ?? new NodeIndex(env.nodes);
    this.random = env.random;
    this.protocolName = env.protocol.name;
    const where = `at node ${env.nodeId}`;
    this.sendPath = `send(msg) ${where}`;
    this.deliverPath = `deliver(value) ${where}`;
  }

  /** The node's stable storage; writes take effect at once (they precede the handler's messages). */
  get storage(): StableStorage {
    return (this.storageApi ??= this.makeStorage());
  }

  /** The node's clocks, read at the instant the handler runs; steps and slews are effects. */
  get clock(): Context["clock"] {
    return (this.clockApi ??= this.makeClock());
  }

  private makeStorage(): StableStorage {
    const env = this.env;
    const where = `at node ${env.nodeId}`;
    const map = env.storage;
    const detached = env.detached === true;
    return {
      get: <T>(key: string) => map.get(key) as T | undefined,
      set: (key: string, value: unknown) => {
        requireString(`storage.set(key) ${where}`, key);
        const copy = clonePlain(value, `storage.set(${JSON.stringify(key)})`);
        map.set(key, copy);
        if (detached) this.push({ kind: "storage-set", key, value: clonePlain(copy, `storage.set(${JSON.stringify(key)})`) });
      },
      has: (key: string) => map.has(key),
      delete: (key: string) => {
        const had = map.delete(key);
        if (detached && had) this.push({ kind: "storage-delete", key: String(key) });
        return had;
      },
      keys: () => Array.from(map.keys()),
    };
  }

  private makeClock(): Context["clock"] {
    const where = `at node ${this.env.nodeId}`;
    const readings = this.env.clock;
    const push = (effect: Effect) => this.push(effect);
    return {
      timeOfDay: () => readings.timeOfDay(),
      monotonic: () => readings.monotonic(),
      ratePpm: () => readings.ratePpm(),
      step: (deltaMs: number) => {
        if (typeof deltaMs !== "number" || !Number.isFinite(deltaMs)) {
          throw new SimulationInputError(`clock.step(deltaMs) ${where}`, deltaMs, "expected a finite number of ms");
        }
        push({ kind: "clock-step", deltaMs });
      },
      slew: (deltaMs: number, ratePpm?: number) => {
        if (typeof deltaMs !== "number" || !Number.isFinite(deltaMs)) {
          throw new SimulationInputError(`clock.slew(deltaMs) ${where}`, deltaMs, "expected a finite number of ms");
        }
        push({ kind: "clock-slew", deltaMs, ratePpm });
      },
    };
  }

  /**
   * Starts recording a new handler call's effects; returns the list they will be added to: a new
   * list (unless the last one stayed empty), or `reuse`, emptied. A caller that has applied every
   * effect of the previous call before it starts the next (the simulator) can pass one list for
   * all calls of all nodes, which saves allocating a list and its backing store per event.
   */
  begin(reuse?: Effect[]): Effect[] {
    if (reuse !== undefined) {
      emptyKeepingCapacity(reuse);
      this.effects = reuse;
    } else if (this.effects.length !== 0) {
      this.effects = [];
    }
    return this.effects;
  }

  private push(effect: Effect): void {
    if (this.effects.length >= MAX_EFFECTS_PER_HANDLER) {
      throw new ProtocolError(
        `a handler at node ${this.nodeId} produced more than ${MAX_EFFECTS_PER_HANDLER} effects in one call (a loop that never ends?)`,
      );
    }
    this.effects.push(effect);
  }

  send(to: NodeId, msg: Message): void {
    this.sendAs(this.protocolName, to, msg);
  }

  sendAs(layer: string, to: NodeId, msg: Message): void {
    const toIndex = this.nodeIndex.get(to);
    if (toIndex === undefined) {
      throw new SimulationInputError(`send(to) at node ${this.nodeId}`, to, `expected a known node id (nodes: ${this.nodes.join(", ")})`);
    }
    if (typeof msg !== "object" || msg === null || typeof (msg as Message).type !== "string") {
      throw new SimulationInputError(this.sendPath, msg, "expected a message object with a string field type");
    }
    // Copied now: the handler may go on changing its object after sending it.
    this.push({ kind: "send", layer, to, toIndex, msg: copyMessage(msg, this.sendPath) });
  }

  deliver(value: unknown, from?: NodeId): void {
    this.deliverAs(this.protocolName, value, from);
  }

  deliverAs(layer: string, value: unknown, from: NodeId | undefined): void {
    this.pushDelivery(layer, value, from, true);
  }

  traceDelivery(layer: string, value: unknown, from: NodeId | undefined): void {
    this.pushDelivery(layer, value, from, false);
  }

  private pushDelivery(layer: string, value: unknown, from: NodeId | undefined, app: boolean): void {
    const fromIndex = from === undefined ? -1 : this.nodeIndex.get(from);
    if (fromIndex === undefined) {
      throw new SimulationInputError(`deliver(value, from) at node ${this.nodeId}`, from, `expected a known node id (nodes: ${this.nodes.join(", ")})`);
    }
    this.push({ kind: "deliver", layer, value: copyPlain(value, this.deliverPath), from, fromIndex, app });
  }

  startTimer(name: string, delayMs: number, data?: unknown): TimerId {
    const protocol = this.env.protocol;
    const handler = protocol.timers?.[name];
    if (typeof handler !== "function") {
      throw new ProtocolError(
        `startTimer(${describeValue(name)}) at node ${this.nodeId}: protocol ${protocol.name} has no timer handler of that name` +
          ` (timers: ${Object.keys(protocol.timers ?? {}).join(", ") || "none"})`,
      );
    }
    if (typeof delayMs !== "number" || !Number.isFinite(delayMs) || delayMs < 0) {
      throw new SimulationInputError(`startTimer(${JSON.stringify(name)}).delayMs at node ${this.nodeId}`, delayMs, "expected a finite number >= 0");
    }
    const book = this.env.timers;
    const id = book.nextId++;
    book.pending.add(id);
    const copy = data === undefined ? undefined : clonePlain(data, `startTimer(${name}).data at node ${this.nodeId}`);
    this.push({ kind: "start-timer", id, name, delayMs, data: copy });
    return id;
  }

  cancelTimer(id: TimerId): boolean {
    const known = this.env.timers.pending.delete(id);
    if (known) this.push({ kind: "cancel-timer", id });
    return known;
  }

  log(text: string): void {
    this.push({ kind: "log", text: String(text) });
  }

  label(text: string): void {
    this.push({ kind: "label", text: String(text) });
  }

  annotate(data: Record<string, unknown>): void {
    if (typeof data !== "object" || data === null || Array.isArray(data)) {
      throw new SimulationInputError(`annotate(data) at node ${this.nodeId}`, data, "expected an object such as { lamport: 3 }");
    }
    this.push({ kind: "annotate", data: clonePlain(data, `annotate(data) at node ${this.nodeId}`) });
  }

  lower(request?: unknown): void {
    if (this.env.detached === true) {
      this.push({ kind: "lower", request: clonePlain(request, `ctx.lower(request) at node ${this.nodeId}`) });
      return;
    }
    throw new ProtocolError(
      `ctx.lower() at node ${this.nodeId}: protocol ${this.env.protocol.name} is not stacked on a lower layer (use stack(upper, lower))`,
    );
  }
}

/**
 * Empties a list without giving up its storage: V8 frees the backing store of an array whose
 * length is set to 0, so the next push would allocate it again; popping keeps it.
 */
function emptyKeepingCapacity(list: unknown[]): void {
  while (list.length > 0) list.pop();
}

/**
 * Runs the protocol's handler for one invocation and returns the node's state afterwards (the new
 * state for init and recover; the same, updated object otherwise). Effects go to the list that
 * `ctx.begin()` returned. Throws whatever the handler throws: callers add the node, time and seed.
 */
export function invokeHandler(protocol: AnyProtocol, state: unknown, invocation: Invocation, ctx: Context<Message, unknown>): unknown {
  switch (invocation.kind) {
    case "init":
      return protocol.init(ctx);
    case "recover":
      return typeof protocol.recover === "function" ? protocol.recover(ctx) : protocol.init(ctx);
    case "receive":
      invokeReceive(protocol, state, invocation.msg, invocation.from, ctx);
      return state;
    case "request":
      if (typeof protocol.request !== "function") throw new ProtocolError(`protocol ${protocol.name} has no request handler`);
      protocol.request(state, invocation.request, ctx);
      return state;
    case "timer": {
      const handler = protocol.timers?.[invocation.name];
      if (typeof handler !== "function") throw new ProtocolError(`protocol ${protocol.name} has no timer handler ${describeValue(invocation.name)}`);
      handler(state, invocation.data, ctx);
      return state;
    }
    case "periodic": {
      const task = protocol.periodically?.[invocation.name];
      if (task === undefined || typeof task.run !== "function") {
        throw new ProtocolError(`protocol ${protocol.name} has no periodic task ${describeValue(invocation.name)}`);
      }
      task.run(state, ctx);
      return state;
    }
  }
}

/** "on receiving (msg) from node `from`": the hot path, without an Invocation object. */
export function invokeReceive(protocol: AnyProtocol, state: unknown, msg: Message, from: NodeId, ctx: Context<Message, unknown>): void {
  const handler = (protocol.receive as Record<string, unknown>)[msg.type];
  if (typeof handler !== "function" || !Object.prototype.hasOwnProperty.call(protocol.receive, msg.type)) {
    throw new ProtocolError(
      `node ${ctx.nodeId} (protocol ${protocol.name}) has no handler for message type ${describeValue(msg.type)} ` +
        `from ${from}; handlers: ${Object.keys(protocol.receive).join(", ")}`,
    );
  }
  (handler as (s: unknown, m: Message, f: NodeId, c: unknown) => void)(state, msg, from, ctx);
}

/** The handler's name as error messages and the trace give it ("receive.Hello", "timers.t"). */
export function invocationName(invocation: Invocation): string {
  switch (invocation.kind) {
    case "receive":
      return `receive.${invocation.msg.type}`;
    case "timer":
      return `timers.${invocation.name}`;
    case "periodic":
      return `periodically.${invocation.name}`;
    default:
      return invocation.kind;
  }
}
