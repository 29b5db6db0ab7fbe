/**
 * Layering, as the slides write it: "send (i, sendSeq, m) via reliable broadcast", "on receiving
 * msg from reliable broadcast do". `stack(upper, lower)` is a protocol in which
 *  - the upper layer's ctx.lower(request) queues a call of the lower layer's request handler;
 *  - the lower layer's ctx.deliver(m, from) queues a call of the upper layer's receive handler for m.type;
 *  - queued calls run in order, each to completion, after the handler that queued them has returned
 *    (and before the node handles its next event): no handler ever runs inside another, so each
 *    layer's code keeps its slide's statement order;
 *  - network messages go to whichever layer has a handler for their type (types must not clash);
 *  - each layer has its own state, timers, periodic tasks, stable-storage keys and random stream,
 *    and recovers from a crash with its own recovery handler (lower layer first).
 * The stack is a Protocol itself, so stacks nest: stack(a, stack(b, c)).
 */
import type {
  AnyProtocol,
  Context,
  LayeredContext,
  Message,
  NodeId,
  PeriodicTask,
  Protocol,
  Random,
  StableStorage,
  TimerId,
} from "../sim/protocol";

export interface StackState<SU, SL> {
  upper: SU;
  lower: SL;
}

type AnyContext = Context<Message, unknown> & Partial<LayeredContext>;
type Handler = (state: unknown, msg: Message, from: NodeId, ctx: unknown) => void;

/** The contexts each layer sees, built once per node context and pointed at the node's state. */
interface LayerContexts {
  state: StackState<unknown, unknown>;
  upper: Context<Message, unknown> & LayeredContext;
  lower: Context<Message, unknown> & LayeredContext;
  /** Calls between the layers, waiting for the handler that made them to return. */
  pending: (() => void)[];
  /** True while the queue is being worked off (a handler's calls are then queued behind it). */
  draining: boolean;
}

/** Most calls between layers one event may cause: a pair of layers calling each other for ever is an error. */
export const MAX_LAYER_CALLS_PER_EVENT = 1_000_000;

export function stack<SU, MU extends Message, R, LR, SL, ML extends Message, LLR = never>(
  upper: Protocol<SU, MU, R, LR>,
  lower: Protocol<SL, ML, LR, LLR>,
): Protocol<StackState<SU, SL>, MU | ML, R, LLR> {
  const name = `${upper.name}/${lower.name}`;
  const up = upper as AnyProtocol;
  const low = lower as AnyProtocol;
  for (const type of Object.keys(up.receive)) {
    if (Object.prototype.hasOwnProperty.call(low.receive, type)) {
      throw new Error(`stack(${upper.name}, ${lower.name}): both layers handle message type "${type}"; rename one`);
    }
  }
  const contexts = new WeakMap<object, LayerContexts>();

  function layers(state: StackState<unknown, unknown>, ctx: AnyContext): LayerContexts {
    let entry = contexts.get(ctx);
    if (entry === undefined) {
      entry = { state, upper: undefined as never, lower: undefined as never, pending: [], draining: false };
      const e = entry;
      e.upper = layerContext(up, ctx, {
        lower: (request) => {
          if (typeof low.request !== "function") {
            throw new Error(`stack ${name}: layer ${lower.name} takes no requests, but ${upper.name} called ctx.lower()`);
          }
          // Copied now, as a send is: the layer may change its objects after the call.
          const request_ = copyArgument(request, `ctx.lower(request) of ${upper.name} at node ${ctx.nodeId}`);
          e.pending.push(() => low.request!(e.state.lower, request_, e.lower));
        },
        // What the upper layer delivers leaves the stack.
        deliverAs: (layer, value, from) => {
          if (typeof ctx.deliverAs === "function") ctx.deliverAs(layer, value, from);
          else ctx.deliver(value, from);
        },
      });
      e.lower = layerContext(low, ctx, {
        lower: (request) => ctx.lower(request),
        // What the lower layer delivers goes up to the upper layer's handler for its type.
        deliverAs: (layer, value, from) => {
          const msg = value as Message;
          const handler = typeof msg === "object" && msg !== null ? (up.receive as Record<string, Handler>)[msg.type] : undefined;
          if (typeof handler !== "function") {
            throw new Error(
              `stack ${name}: ${upper.name} has no receive handler for ${describe(value)} delivered by ${layer}` +
                ` (it handles: ${Object.keys(up.receive).join(", ")})`,
            );
          }
          ctx.traceDelivery?.(layer, value, from);
          const copy = copyArgument(msg, `deliver(value) of ${layer} at node ${ctx.nodeId}`);
          e.pending.push(() => handler(e.state.upper, copy, from ?? ctx.nodeId, e.upper));
        },
      });
      contexts.set(ctx, entry);
    }
    entry.state = state;
    return entry;
  }

  /**
   * Runs one of the stack's handlers: the layer's handler first, then every call between layers it
   * caused, in the order they were made, each to completion (a work queue, not a call stack).
   */
  function run(l: LayerContexts, first: () => void): void {
    if (l.draining) throw new Error(`stack ${name}: a handler at node ${l.upper.nodeId} was entered while another was running`);
    l.draining = true;
    try {
      first();
      let calls = 0;
      for (let k = 0; k < l.pending.length; k++) {
        if (++calls > MAX_LAYER_CALLS_PER_EVENT) {
          throw new Error(`stack ${name}: more than ${MAX_LAYER_CALLS_PER_EVENT} calls between layers for one event at node ${l.upper.nodeId} (do two layers call each other for ever?)`);
        }
        l.pending[k]!();
      }
    } finally {
      l.pending.length = 0;
      l.draining = false;
    }
  }

  const receive: Record<string, Handler> = {};
  for (const [type, handler] of Object.entries(low.receive as Record<string, Handler>)) {
    receive[type] = (state, msg, from, ctx) => {
      const l = layers(state as StackState<unknown, unknown>, ctx as AnyContext);
      run(l, () => handler(l.state.lower, msg, from, l.lower));
    };
  }
  for (const [type, handler] of Object.entries(up.receive as Record<string, Handler>)) {
    receive[type] = (state, msg, from, ctx) => {
      const l = layers(state as StackState<unknown, unknown>, ctx as AnyContext);
      run(l, () => handler(l.state.upper, msg, from, l.upper));
    };
  }

  const timers: Record<string, (state: unknown, data: unknown, ctx: unknown) => void> = {};
  const periodically: Record<string, PeriodicTask<unknown, Message, unknown>> = {};
  for (const [layer, which] of [[up, "upper"], [low, "lower"]] as const) {
    for (const [timer, handler] of Object.entries(layer.timers ?? {})) {
      timers[`${layer.name}.${timer}`] = (state, data, ctx) => {
        const l = layers(state as StackState<unknown, unknown>, ctx as AnyContext);
        run(l, () => (handler as (s: unknown, d: unknown, c: unknown) => void)(l.state[which], data, l[which]));
      };
    }
    for (const [task, spec] of Object.entries(layer.periodically ?? {})) {
      const s = spec as PeriodicTask<unknown, Message, unknown>;
      periodically[`${layer.name}.${task}`] = {
        everyMs: s.everyMs,
        run: (state, ctx) => {
          const l = layers(state as StackState<unknown, unknown>, ctx as AnyContext);
          run(l, () => s.run(l.state[which], l[which]));
        },
      };
    }
  }

  function start(ctx: AnyContext, how: "init" | "recover"): StackState<unknown, unknown> {
    const state: StackState<unknown, unknown> = { upper: undefined, lower: undefined };
    const l = layers(state, ctx);
    // Lower layer first; calls the layers make while starting run once both have their state.
    run(l, () => {
      state.lower = how === "recover" && typeof low.recover === "function" ? low.recover(l.lower) : low.init(l.lower);
      state.upper = how === "recover" && typeof up.recover === "function" ? up.recover(l.upper) : up.init(l.upper);
    });
    return state;
  }

  const stacked: AnyProtocol = {
    name,
    init: (ctx: AnyContext) => start(ctx, "init"),
    receive,
    timers,
    periodically,
    recover: (ctx: AnyContext) => start(ctx, "recover"),
  };
  if (typeof up.request === "function") {
    const request = up.request;
    (stacked as { request?: unknown }).request = (state: unknown, req: unknown, ctx: AnyContext) => {
      const l = layers(state as StackState<unknown, unknown>, ctx);
      run(l, () => request(l.state.upper, req, l.upper));
    };
  }
  return stacked as Protocol<StackState<SU, SL>, MU | ML, R, LLR>;
}

/** The context one layer sees: the node's, with timers, storage and randomness of its own. */
function layerContext(
  layer: AnyProtocol,
  ctx: AnyContext,
  wiring: {
    lower: (request: unknown) => void;
    deliverAs: (layer: string, value: unknown, from: NodeId | undefined) => void;
  },
): Context<Message, unknown> & LayeredContext {
  const prefix = `${layer.name}.`;
  const storage: StableStorage = {
    get: <T>(key: string) => ctx.storage.get<T>(prefix + key),
    set: (key, value) => ctx.storage.set(prefix + key, value),
    has: (key) => ctx.storage.has(prefix + key),
    delete: (key) => ctx.storage.delete(prefix + key),
    keys: () =>
      ctx.storage
        .keys()
        .filter((k) => k.startsWith(prefix))
        .map((k) => k.slice(prefix.length)),
  };
  let random: Random | undefined;
  return {
    nodeId: ctx.nodeId,
    nodes: ctx.nodes,
    clock: ctx.clock,
    get random() {
      random ??= ctx.random.fork(layer.name);
      return random;
    },
    storage,
    send: (to: NodeId, msg: Message) => (typeof ctx.sendAs === "function" ? ctx.sendAs(layer.name, to, msg) : ctx.send(to, msg)),
    sendAs: (name: string, to: NodeId, msg: Message) => (typeof ctx.sendAs === "function" ? ctx.sendAs(name, to, msg) : ctx.send(to, msg)),
    deliver: (value: unknown, from?: NodeId) => wiring.deliverAs(layer.name, value, from),
    deliverAs: wiring.deliverAs,
    traceDelivery: (name: string, value: unknown, from: NodeId | undefined) => ctx.traceDelivery?.(name, value, from),
    startTimer: (name: string, delayMs: number, data?: unknown): TimerId => ctx.startTimer(prefix + name, delayMs, data),
    cancelTimer: (id: TimerId) => ctx.cancelTimer(id),
    log: (text: string) => ctx.log(text),
    label: (text: string) => ctx.label(text),
    annotate: (data: Record<string, unknown>) => ctx.annotate(data),
    lower: wiring.lower,
  };
}

function describe(value: unknown): string {
  if (typeof value === "object" && value !== null && typeof (value as Message).type === "string") {
    return `a message of type "${(value as Message).type}"`;
  }
  return `a value that is not a message (${JSON.stringify(value)})`;
}

/** A copy of plain data passed between layers (structuredClone keeps Map and Set). */
function copyArgument<T>(value: T, what: string): T {
  try {
    return structuredClone(value);
  } catch (error) {
    throw new Error(`${what}: expected plain, cloneable data (${(error as Error).message})`);
  }
}
