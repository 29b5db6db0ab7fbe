/**
 * The explorer's transition system over the real protocols: the initial global state, the steps
 * enabled in a state, and the state a step leads to. Each step runs one handler of one node through
 * `invokeHandler` (src/sim/handler-context.ts), on a copy of that node, and applies the handler's
 * effects itself: sends join the multiset of messages in flight, deliveries extend the node's
 * delivery history, timers join or leave its pending timers. Nothing else is copied: a successor
 * shares every other node with its parent (states are never changed once built).
 *
 * With a `Recorder`, the same steps also write a trace (event time = step number), which is how a
 * path the search found becomes a run that the space-time diagram and the checkers accept.
 */
import type { AnyProtocol, Message, NodeId, Random } from "../sim/protocol";
import { HandlerContext, invokeHandler, invocationName, type Effect, type Invocation, type TimerBook } from "../sim/handler-context";
import { ProtocolError } from "../sim/errors";
import { SeededRandom } from "../sim/random";
import { NodeIndex } from "../sim/node-index";
import { copyPlain } from "../sim/validate";
import { Trace } from "../sim/trace";
import type { TraceEvent } from "../sim/trace-events";
import { canonical, hashString } from "./canonical";
import type { Delivery, ExploreOptions, ExploreState, InFlight, NodeState, PendingTimer, Step } from "./types";

/** The options with every default filled in. */
export interface Settings {
  readonly nodes: readonly NodeId[];
  readonly protocols: Readonly<Record<NodeId, AnyProtocol>>;
  readonly seed: string;
  readonly requests: Readonly<Record<NodeId, readonly unknown[]>>;
  readonly issueAtStart: boolean;
  readonly lossy: boolean;
  readonly maxLosses: number;
  readonly maxDuplicates: number;
  readonly crashes: "none" | "crash-stop" | "crash-recovery";
  readonly maxCrashes: number;
  readonly maxRecoveries: number;
  readonly timerFire: "any-time" | "when-idle" | "never";
  readonly maxFirings: number;
  readonly maxInFlight: number;
  readonly description: string | undefined;
}

/** A state's run so far, for error messages and the random streams' names. */
interface Where {
  readonly depth: number;
  readonly stateKey: string;
}

export class ExplorationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ExplorationError";
  }
}

/** Writes the steps of one run into a trace. */
export class Recorder {
  readonly trace: Trace;
  /** Step number = the trace's time for the events of that step. */
  t = 0;
  private nextMsgId = 0;
  /** The ids of the copies in flight with each key, oldest first. */
  private readonly ids = new Map<string, number[]>();
  private readonly received = new Map<number, number>();
  /** Index of the event the running handler reacts to (for labels), or -1. */
  current = -1;

  constructor(seed: string, nodes: readonly NodeId[], description: string | undefined) {
    this.trace = new Trace({ seed, nodes, description });
  }

  event(event: Record<string, unknown> & { kind: TraceEvent["kind"] }): number {
    const node = event.node;
    return this.trace.recordEvent({ ...event, t: this.t, ...(typeof node === "string" && event.kind !== "drop" && event.kind !== "duplicate" ? { local: this.t } : {}) } as unknown as TraceEvent);
  }

  sent(key: string): number {
    const id = this.nextMsgId++;
    const list = this.ids.get(key);
    if (list === undefined) this.ids.set(key, [id]);
    else list.push(id);
    return id;
  }

  /** The oldest copy in flight with this key leaves the network: its id and how many copies of it were received before. */
  taken(key: string): { msgId: number; copy: number } {
    const list = this.ids.get(key);
    const msgId = list?.shift();
    if (msgId === undefined) throw new ExplorationError(`replay: no message in flight with key ${key}`);
    const copy = this.received.get(msgId) ?? 0;
    this.received.set(msgId, copy + 1);
    return { msgId, copy };
  }

  duplicated(key: string): number {
    const list = this.ids.get(key);
    const msgId = list?.[0];
    if (msgId === undefined) throw new ExplorationError(`replay: no message in flight with key ${key}`);
    list!.push(msgId);
    return msgId;
  }
}

/** A node being changed by one step (copied from its NodeState first). */
interface Draft {
  up: boolean;
  state: unknown;
  storage: Map<string, unknown>;
  timers: PendingTimer[];
  nextTimerId: number;
  deliveries: readonly Delivery[];
}

/** The network being changed by one step. */
interface NetworkDraft {
  inFlight: InFlight[];
  total: number;
}

const nodeKeys = new WeakMap<NodeState, string>();
const stateKeys = new WeakMap<ExploreState, string>();

export class World {
  private readonly nodeIndex: NodeIndex;

  constructor(readonly settings: Settings) {
    this.nodeIndex = new NodeIndex(settings.nodes);
  }

  // ---- states ------------------------------------------------------------------------------

  /** The state after every node's "on initialisation" (and, with issueRequests "start", every request). */
  initial(recorder?: Recorder): ExploreState {
    const s = this.settings;
    const nodes: Record<NodeId, NodeState> = {};
    const issued: Record<NodeId, readonly unknown[]> = {};
    const network: NetworkDraft = { inFlight: [], total: 0 };
    const where: Where = { depth: 0, stateKey: "init" };
    for (const id of s.nodes) {
      const draft: Draft = { up: true, state: undefined, storage: new Map(), timers: [], nextTimerId: 1, deliveries: [] };
      const at = recorder === undefined ? -1 : recorder.event({ kind: "init", node: id, protocol: s.protocols[id]!.name });
      this.runHandler(id, draft, { kind: "init" }, network, where, recorder, at);
      this.startPeriodicTasks(id, draft);
      nodes[id] = freeze(draft);
      issued[id] = [];
    }
    let state: ExploreState = { nodes, inFlight: network.inFlight, issued, used: { losses: 0, duplicates: 0, crashes: 0, recoveries: 0, firings: 0 } };
    if (s.issueAtStart) {
      for (const id of s.nodes) {
        for (let k = 0; k < s.requests[id]!.length; k++) state = this.apply(state, { kind: "request", node: id }, 0, recorder);
      }
    }
    return state;
  }

  /** The canonical key of a state (cached): equal keys mean the same global state. */
  key(state: ExploreState): string {
    let key = stateKeys.get(state);
    if (key !== undefined) return key;
    let text = "";
    for (const id of this.settings.nodes) text += this.nodeKey(state.nodes[id]!) + "|";
    for (const m of state.inFlight) text += `${m.key}*${m.count};`;
    const u = state.used;
    text += `|${u.losses},${u.duplicates},${u.crashes},${u.recoveries},${u.firings}|`;
    for (const id of this.settings.nodes) text += `${state.issued[id]!.length},`;
    key = hashString(text);
    stateKeys.set(state, key);
    return key;
  }

  private nodeKey(node: NodeState): string {
    let key = nodeKeys.get(node);
    if (key === undefined) {
      key = canonical([node.up, node.state, node.storage, node.timers.map((t) => [t.id, t.name, t.data, t.delayMs, t.periodic]), node.nextTimerId, node.deliveries.map((d) => [d.value, d.from])]);
      nodeKeys.set(node, key);
    }
    return key;
  }

  // ---- steps --------------------------------------------------------------------------------

  /** Every step enabled in a state, in a fixed order (so searches are deterministic). */
  enabled(state: ExploreState): Step[] {
    const s = this.settings;
    const steps: Step[] = [];
    if (!s.issueAtStart) {
      for (const id of s.nodes) {
        if (state.nodes[id]!.up && state.issued[id]!.length < s.requests[id]!.length) steps.push({ kind: "request", node: id });
      }
    }
    for (const m of state.inFlight) steps.push({ kind: "deliver", key: m.key, from: m.from, to: m.to, msg: m.msg });
    if (s.lossy && state.used.losses < s.maxLosses) {
      for (const m of state.inFlight) steps.push({ kind: "lose", key: m.key, from: m.from, to: m.to, msg: m.msg });
    }
    if (s.lossy && state.used.duplicates < s.maxDuplicates) {
      for (const m of state.inFlight) steps.push({ kind: "duplicate", key: m.key, from: m.from, to: m.to, msg: m.msg });
    }
    const timersMayFire = s.timerFire === "any-time" || (s.timerFire === "when-idle" && state.inFlight.length === 0);
    if (timersMayFire && state.used.firings < s.maxFirings) {
      for (const id of s.nodes) {
        const node = state.nodes[id]!;
        if (!node.up) continue;
        // A node's clock fires its timers in deadline order: not before one set earlier with a delay no longer.
        let shortest = Infinity;
        for (const timer of node.timers) {
          if (timer.delayMs < shortest) steps.push({ kind: "timer", node: id, id: timer.id, name: timer.name });
          shortest = Math.min(shortest, timer.delayMs);
        }
      }
    }
    if (s.crashes !== "none" && state.used.crashes < s.maxCrashes) {
      for (const id of s.nodes) if (state.nodes[id]!.up) steps.push({ kind: "crash", node: id });
    }
    if (s.crashes === "crash-recovery" && state.used.recoveries < s.maxRecoveries) {
      for (const id of s.nodes) if (!state.nodes[id]!.up) steps.push({ kind: "recover", node: id });
    }
    return steps;
  }

  /** The state a step leads to (`depth` is the new state's depth, for clocks, random streams and errors). */
  apply(state: ExploreState, step: Step, depth: number, recorder?: Recorder): ExploreState {
    const where: Where = { depth, stateKey: this.key(state) };
    if (recorder !== undefined) recorder.t = depth;
    const used = { ...state.used };
    const network: NetworkDraft = { inFlight: state.inFlight as InFlight[], total: -1 };
    let issued = state.issued;
    const changed: [NodeId, Draft][] = [];
    switch (step.kind) {
      case "request": {
        const node = step.node;
        const request = this.settings.requests[node]![state.issued[node]!.length];
        issued = { ...issued, [node]: [...state.issued[node]!, request] };
        const draft = this.draft(state.nodes[node]!);
        const at = recorder === undefined ? -1 : recorder.event({ kind: "request", node, request: copyPlain(request, "request") });
        this.runHandler(node, draft, { kind: "request", request: copyPlain(request, "request") }, network, where, recorder, at);
        changed.push([node, draft]);
        break;
      }
      case "deliver": {
        this.take(network, step.key);
        const target = state.nodes[step.to]!;
        const taken = recorder?.taken(step.key);
        if (!target.up) {
          if (recorder !== undefined) recorder.event({ kind: "drop", node: step.to, msgId: taken!.msgId, from: step.from, to: step.to, msg: step.msg, reason: "crashed" });
          break;
        }
        const draft = this.draft(target);
        const at = recorder === undefined ? -1 : recorder.trace.recordReceive(depth, this.nodeIndex.get(step.to)!, depth, taken!.msgId, this.nodeIndex.get(step.from)!, step.msg, taken!.copy, false);
        // A copy: the in-flight message is shared by every state the search reaches from here, and
        // the handler may change what it is handed.
        this.runHandler(step.to, draft, { kind: "receive", msg: copyPlain(step.msg, "message"), from: step.from }, network, where, recorder, at);
        changed.push([step.to, draft]);
        break;
      }
      case "lose": {
        this.take(network, step.key);
        used.losses += 1;
        if (recorder !== undefined) {
          const { msgId } = recorder.taken(step.key);
          recorder.event({ kind: "drop", node: step.to, msgId, from: step.from, to: step.to, msg: step.msg, reason: "loss" });
        }
        break;
      }
      case "duplicate": {
        this.add(network, step.from, step.to, step.msg, step.key);
        used.duplicates += 1;
        if (recorder !== undefined) recorder.event({ kind: "duplicate", node: step.from, msgId: recorder.duplicated(step.key), from: step.from, to: step.to });
        break;
      }
      case "timer": {
        const draft = this.draft(state.nodes[step.node]!);
        const k = draft.timers.findIndex((t) => t.id === step.id);
        if (k < 0) throw new ExplorationError(`timer ${step.id} is not pending at node ${step.node}`);
        const timer = draft.timers[k]!;
        draft.timers.splice(k, 1);
        used.firings += 1;
        const at = recorder === undefined ? -1 : recorder.trace.recordTimer(depth, this.nodeIndex.get(step.node)!, depth, timer.name, timer.id);
        if (timer.periodic !== undefined) {
          draft.timers.push({ id: draft.nextTimerId++, name: timer.name, data: undefined, delayMs: timer.delayMs, periodic: timer.periodic });
          this.runHandler(step.node, draft, { kind: "periodic", name: timer.periodic }, network, where, recorder, at);
        } else {
          this.runHandler(step.node, draft, { kind: "timer", name: timer.name, data: copyPlain(timer.data, "timer data") }, network, where, recorder, at);
        }
        changed.push([step.node, draft]);
        break;
      }
      case "crash": {
        const node = state.nodes[step.node]!;
        used.crashes += 1;
        if (recorder !== undefined) recorder.event({ kind: "crash", node: step.node });
        // Memory is lost, timers with it; stable storage and what was delivered stay.
        changed.push([step.node, { up: false, state: undefined, storage: node.storage as Map<string, unknown>, timers: [], nextTimerId: node.nextTimerId, deliveries: node.deliveries }]);
        break;
      }
      case "recover": {
        const draft = this.draft(state.nodes[step.node]!);
        used.recoveries += 1;
        draft.up = true;
        const at = recorder === undefined ? -1 : recorder.event({ kind: "recover", node: step.node });
        this.runHandler(step.node, draft, { kind: "recover" }, network, where, recorder, at);
        this.startPeriodicTasks(step.node, draft);
        changed.push([step.node, draft]);
        break;
      }
    }
    let nodes = state.nodes;
    if (changed.length > 0) {
      const copy = { ...nodes };
      for (const [id, draft] of changed) copy[id] = freeze(draft);
      nodes = copy;
    }
    return { nodes, inFlight: network.inFlight, issued, used };
  }

  // ---- internals ----------------------------------------------------------------------------

  private draft(node: NodeState): Draft {
    return {
      up: node.up,
      state: node.state === undefined ? undefined : copyPlain(node.state, "protocol state"),
      storage: new Map(node.storage),
      timers: node.timers.slice(),
      nextTimerId: node.nextTimerId,
      deliveries: node.deliveries,
    };
  }

  private startPeriodicTasks(id: NodeId, draft: Draft): void {
    const tasks = this.settings.protocols[id]!.periodically;
    if (tasks === undefined) return;
    for (const name of Object.keys(tasks)) {
      const everyMs = tasks[name]!.everyMs;
      draft.timers.push({ id: draft.nextTimerId++, name: `periodically.${name}`, data: undefined, delayMs: everyMs, periodic: name });
    }
  }

  /** Runs one handler of a node on its draft and applies the effects. */
  private runHandler(id: NodeId, draft: Draft, invocation: Invocation, network: NetworkDraft, where: Where, recorder: Recorder | undefined, at: number): void {
    const protocol = this.settings.protocols[id]!;
    const book: TimerBook = { nextId: draft.nextTimerId, pending: new Set(draft.timers.map((t) => t.id)) };
    const depth = where.depth;
    const ctx = new HandlerContext({
      nodeId: id,
      nodes: this.settings.nodes,
      nodeIndex: this.nodeIndex,
      protocol,
      random: lazyRandom(this.settings.seed, `node/${id}/${where.stateKey}/${invocationName(invocation)}`),
      storage: draft.storage,
      timers: book,
      clock: { timeOfDay: () => depth, monotonic: () => depth, ratePpm: () => 0 },
    });
    const effects = ctx.begin();
    try {
      draft.state = invokeHandler(protocol, draft.state, invocation, ctx);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ExplorationError(`${invocationName(invocation)} of protocol ${protocol.name} at node ${id} threw at depth ${depth} of the exploration: ${message}`, { cause: error });
    }
    draft.nextTimerId = book.nextId;
    this.applyEffects(id, draft, effects, book, network, recorder, at);
  }

  private applyEffects(id: NodeId, draft: Draft, effects: readonly Effect[], book: TimerBook, network: NetworkDraft, recorder: Recorder | undefined, at: number): void {
    let deliveries: Delivery[] | undefined;
    for (const effect of effects) {
      switch (effect.kind) {
        case "send": {
          const key = `${id}>${effect.to}:${canonical(effect.msg)}`;
          this.add(network, id, effect.to, effect.msg, key);
          if (recorder !== undefined) {
            recorder.trace.recordSend(recorder.t, this.nodeIndex.get(id)!, recorder.t, recorder.sent(key), this.nodeIndex.get(effect.to)!, effect.msg, effect.layer);
          }
          break;
        }
        case "deliver":
          if (effect.app) {
            deliveries ??= draft.deliveries.slice();
            deliveries.push({ value: effect.value, from: effect.from });
          }
          if (recorder !== undefined) {
            const fromIndex = effect.from === undefined ? -1 : this.nodeIndex.get(effect.from)!;
            recorder.trace.recordDeliver(recorder.t, this.nodeIndex.get(id)!, recorder.t, effect.value, fromIndex, effect.layer, effect.app);
          }
          break;
        case "start-timer":
          if (book.pending.has(effect.id)) draft.timers.push({ id: effect.id, name: effect.name, data: effect.data, delayMs: effect.delayMs, periodic: undefined });
          break;
        case "cancel-timer": {
          const k = draft.timers.findIndex((t) => t.id === effect.id);
          if (k >= 0) draft.timers.splice(k, 1);
          break;
        }
        case "log":
          if (recorder !== undefined) recorder.event({ kind: "log", node: id, text: effect.text });
          break;
        case "label":
          if (recorder !== undefined && at >= 0) recorder.trace.setLabel(at, effect.text);
          break;
        case "annotate":
          if (recorder !== undefined && at >= 0) recorder.trace.annotate(at, effect.data);
          break;
        case "clock-step":
        case "clock-slew":
          break; // the explorer's clocks are step counters: nothing to adjust
        default:
          throw new ProtocolError(`effect ${effect.kind} at node ${id} has no meaning in the explorer`);
      }
    }
    if (deliveries !== undefined) draft.deliveries = deliveries;
  }

  private take(network: NetworkDraft, key: string): void {
    const list = network.inFlight;
    const k = indexOf(list, key);
    if (k < 0) throw new ExplorationError(`no message in flight with key ${key}`);
    const m = list[k]!;
    const next = list.slice();
    if (m.count === 1) next.splice(k, 1);
    else next[k] = { ...m, count: m.count - 1 };
    network.inFlight = next;
  }

  private add(network: NetworkDraft, from: NodeId, to: NodeId, msg: Message, key: string): void {
    if (network.total < 0) network.total = network.inFlight.reduce((n, m) => n + m.count, 0);
    if (network.total >= this.settings.maxInFlight) {
      throw new ExplorationError(`bound maxInFlight = ${this.settings.maxInFlight} exceeded: more messages in flight than allowed (a protocol that floods the network?)`);
    }
    network.total += 1;
    const list = network.inFlight.slice();
    const k = indexOf(list, key);
    if (k >= 0) list[k] = { ...list[k]!, count: list[k]!.count + 1 };
    else {
      let at = 0;
      while (at < list.length && list[at]!.key < key) at++;
      list.splice(at, 0, { key, from, to, msg, count: 1 });
    }
    network.inFlight = list;
  }
}

function indexOf(list: readonly InFlight[], key: string): number {
  for (let k = 0; k < list.length; k++) if (list[k]!.key === key) return k;
  return -1;
}

function freeze(draft: Draft): NodeState {
  return { up: draft.up, state: draft.state, storage: draft.storage, timers: draft.timers, nextTimerId: draft.nextTimerId, deliveries: draft.deliveries };
}

/**
 * A node's random stream for one step: named by the state and the handler, so the same step from the
 * same state draws the same numbers (a replay repeats the search's run). Made only when first used.
 */
function lazyRandom(seed: string, name: string): Random {
  let stream: Random | undefined;
  const get = () => (stream ??= new SeededRandom(seed, name));
  return {
    name,
    next: () => get().next(),
    uniform: (min, max) => get().uniform(min, max),
    int: (min, max) => get().int(min, max),
    bernoulli: (p) => get().bernoulli(p),
    exponential: (mean) => get().exponential(mean),
    normal: (mean, sd) => get().normal(mean, sd),
    logNormal: (median, sigma) => get().logNormal(median, sigma),
    pick: (items) => get().pick(items),
    shuffle: (items) => get().shuffle(items),
    fork: (child) => lazyRandom(seed, `${name}/${child}`),
  };
}
