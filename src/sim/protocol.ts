/**
 * The protocol model: how the course's algorithms are written so that they read like the slides.
 *
 * Kleppmann writes every algorithm as event handlers ("on initialisation do", "on receiving
 * (VoteRequest, cId, ...) at node nodeId do", "on request to broadcast m do", "periodically do",
 * "on recovery from crash do"). A `Protocol` is exactly that: plain data for the node's state and one
 * function per event. Handlers never do I/O themselves; they act through a `Context`, which records
 * what they asked for (send, deliver, start a timer, ...) and lets the simulator carry it out.
 *
 * This file is types only: `src/protocols/` imports it and nothing else from `src/sim/`.
 */

/** A node's name, e.g. "A" or "n3". */
export type NodeId = string;

/** Every message is a discriminated union member: `type` names it, like the slides' first tuple field. */
export interface Message {
  readonly type: string;
}

/** Identifies one started timer, so it can be cancelled. */
export type TimerId = number;

/**
 * A seeded pseudo-random stream (never the global random function). Each node and purpose has its own stream, so a
 * draw in one place does not change the numbers drawn anywhere else.
 */
export interface Random {
  /** The stream's name within the run, e.g. "node/A" or "network". */
  readonly name: string;
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Integer uniform in [min, maxExclusive). */
  int(min: number, maxExclusive: number): number;
  /** true with probability p. */
  bernoulli(p: number): boolean;
  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number;
  /** Normally distributed. */
  normal(mean: number, standardDeviation: number): number;
  /** Log-normally distributed: exp(normal(ln(median), sigma)). */
  logNormal(median: number, sigma: number): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A new array with the items in random order (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[];
  /** An independent stream derived from this one's seed and `name` (not from its position). */
  fork(name: string): Random;
}

/**
 * A node's own physical clock (lecture 3): it drifts, it can be stepped and slewed, and it is read in
 * two ways. All values are milliseconds.
 */
export interface LocalClock {
  /** Time-of-day clock: ms since the Unix epoch as this node believes it; may jump on a step. */
  timeOfDay(): number;
  /** Monotonic clock: ms since the node started; never jumps, only its rate changes (drift, slew). */
  monotonic(): number;
  /** The clock's current rate error in parts per million (drift plus any slew in progress). */
  ratePpm(): number;
  /** NTP step: set the time-of-day clock forwards or backwards by deltaMs at once. */
  step(deltaMs: number): void;
  /**
   * NTP slew: absorb deltaMs gradually by running fast (delta > 0) or slow (delta < 0) by ratePpm
   * (default 500 ppm, NTP's limit) until the whole delta has been applied. Affects both clocks' rate.
   */
  slew(deltaMs: number, ratePpm?: number): void;
}

/** Stable storage: survives a crash of its node (the crash-recovery model). Values are plain data. */
export interface StableStorage {
  get<T = unknown>(key: string): T | undefined;
  /** Stores a copy of value (it must be plain, cloneable data). */
  set(key: string, value: unknown): void;
  has(key: string): boolean;
  delete(key: string): boolean;
  keys(): string[];
}

/**
 * What a handler may do. Nothing here acts at once: each call is recorded as an effect
 * (src/sim/handler-context.ts) and carried out after the handler returns, in the order of the
 * calls, so handlers never re-enter each other and run to completion. Stable-storage writes are
 * the exception: they take effect at once (and so before any message the handler sends).
 */
export interface Context<M extends Message = Message, LowerRequest = never> {
  /** The node this handler runs on. */
  readonly nodeId: NodeId;
  /** Every node of the system, in a fixed order (the same at every node). */
  readonly nodes: readonly NodeId[];
  /** The simulated node's clocks. Timers run on its monotonic clock, so drift shows in timeouts. */
  readonly clock: LocalClock;
  /** This node's own random stream (for this protocol layer). */
  readonly random: Random;
  /** This node's stable storage (for this protocol layer). */
  readonly storage: StableStorage;
  /** Send a message over the network to one node (possibly itself). */
  send(to: NodeId, msg: M): void;
  /**
   * "Deliver m to the application": hands value to the application, or in a stacked protocol, to the
   * layer above (which receives it in its handler for value.type). `from` names the original sender.
   */
  deliver(value: unknown, from?: NodeId): void;
  /** Start a timer that fires after delayMs on this node's monotonic clock; `name` picks the handler. */
  startTimer(name: string, delayMs: number, data?: unknown): TimerId;
  /** Cancel a timer; false if it had already fired or been cancelled. */
  cancelTimer(id: TimerId): boolean;
  /** A free-text note in the trace at this node and time. */
  log(text: string): void;
  /** A short label for the event being handled (shown on space-time diagrams, e.g. a timestamp). */
  label(text: string): void;
  /**
   * Structured data about the event being handled (e.g. `{ lamport: 3 }` or `{ vector: [1, 0, 2] }`):
   * kept in the trace as data (event.annotations), merged over earlier annotations of the same event.
   */
  annotate(data: Record<string, unknown>): void;
  /**
   * In a stacked protocol: a request to the layer below ("send m via reliable broadcast"). It is
   * queued, and the layer below handles it after this handler has returned.
   */
  lower(request: LowerRequest): void;
}

/**
 * Implemented by contexts that tell protocol layers apart (the simulator's, and a stack's), so the
 * trace can say which layer sent a message or delivered a value. Protocols never call these; the
 * stack combinator does.
 */
export interface LayeredContext {
  /** Send msg, recorded as sent by `layer`. */
  sendAs(layer: string, to: NodeId, msg: Message): void;
  /** Deliver value out of this context (to the application, or to the layer above), attributed to `layer`. */
  deliverAs(layer: string, value: unknown, from: NodeId | undefined): void;
  /** Record that `layer` delivered value to the layer above it inside a stack (trace only). */
  traceDelivery(layer: string, value: unknown, from: NodeId | undefined): void;
}

/** One handler per message type: a missing handler is a compile error. */
export type ReceiveHandlers<S, M extends Message, LowerRequest = never> = {
  readonly [K in M["type"]]: (
    state: S,
    msg: Extract<M, { type: K }>,
    from: NodeId,
    ctx: Context<M, LowerRequest>,
  ) => void;
};

/** A periodic task: "periodically at node N do". Runs every everyMs of the node's monotonic clock. */
export interface PeriodicTask<S, M extends Message, LowerRequest = never> {
  readonly everyMs: number;
  run(state: S, ctx: Context<M, LowerRequest>): void;
}

/**
 * A protocol in the slides' shape. S is the node state (plain data: objects, arrays, Map, Set), M
 * the union of messages it receives (from the network, or delivered by the layer below), R the
 * requests it takes from the application or the layer above, and LowerRequest what it asks of
 * the layer below when it is stacked on one.
 */
export interface Protocol<S, M extends Message = Message, R = never, LowerRequest = never> {
  /** Short name, used in traces and to namespace a layer's timers and storage. */
  readonly name: string;
  /** "on initialisation do": the node's initial state. */
  init(ctx: Context<M, LowerRequest>): S;
  /** "on receiving (T, ...) at node N do", one per message type. */
  readonly receive: ReceiveHandlers<S, M, LowerRequest>;
  /** "on request to ... do": a request from the application (or from the layer above). */
  request?(state: S, request: R, ctx: Context<M, LowerRequest>): void;
  /** Timer handlers by name ("on timeout do"). */
  readonly timers?: {
    readonly [name: string]: (state: S, data: unknown, ctx: Context<M, LowerRequest>) => void;
  };
  /** "periodically do" tasks by name. */
  readonly periodically?: { readonly [name: string]: PeriodicTask<S, M, LowerRequest> };
  /** "on recovery from crash do": the state after a crash, rebuilt from ctx.storage. Default: init. */
  recover?(ctx: Context<M, LowerRequest>): S;
}

/** Any protocol, for code that handles protocols generically (the simulator, stacks). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProtocol = Protocol<any, any, any, any>;

/** The state type of a protocol. */
export type StateOf<P> = P extends Protocol<infer S, any, any, any> ? S : never;
/** The request type of a protocol. */
export type RequestOf<P> = P extends Protocol<any, any, infer R, any> ? R : never;
