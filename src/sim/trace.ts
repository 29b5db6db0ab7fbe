/**
 * A run's trace: every event in the order it happened, with queries over it. Checkers and diagrams
 * read traces and nothing else. Traces are JSON data (Map and Set values are tagged so they survive
 * the round trip), and hash() is a SHA-256 of that JSON, so two runs can be compared byte for byte.
 */
import { createHash } from "node:crypto";
import type { NodeId } from "./protocol";
import type { DeliverEvent, EventOfKind, ReceiveEvent, SendEvent, TraceEvent, TraceEventKind } from "./trace-events";
import { eventsAtLayer } from "./trace-layers";

export interface TraceHeader {
  /** The run's seed, so any report of the run can say how to replay it. */
  readonly seed: string;
  /** The nodes, in the order the simulation lists them (diagrams draw them top to bottom). */
  readonly nodes: readonly NodeId[];
  /** A description of the network, timing and protocol, for reports. */
  readonly description?: string;
}

const FORMAT = "ds-kit-trace/1";

// How the simulator records events: the frequent kinds go into parallel columns (numbers and
// references, no object per event), everything else as the event object itself. Event objects
// are built when someone reads the trace, once, so recording a long run stays cheap.
const SEND = 0;
const RECEIVE = 1;
const DELIVER = 2;
const TIMER = 3;
const OBJECT = 4;

export class Trace {
  readonly seed: string;
  readonly nodes: readonly NodeId[];
  readonly description: string | undefined;
  // Columns, one entry per event. Numbers live in typed arrays, outside the garbage-collected heap.
  private size = 0;
  private kinds = new Uint8Array(1024);
  private times = new Float64Array(1024);
  private nodeIndex = new Int32Array(1024);
  private locals = new Float64Array(1024);
  /** msgId (send, receive), timerId (timer). */
  private ids = new Float64Array(1024);
  /** The other node's index: to (send), from (receive, deliver; -1 if none). */
  private peers = new Int32Array(1024);
  /** receive: copy * 2 + tampered; deliver: app ? 1 : 0; send, deliver: the layer's index in layerNames * 2 (+ app). */
  private flags = new Int32Array(1024);
  /** msg (send, receive), value (deliver), name (timer), the whole event (others). */
  private readonly refs: unknown[] = [];
  private readonly layerNames: string[] = [];
  private readonly layerIds = new Map<string, number>();
  private readonly labels = new Map<number, string>();
  private readonly annotations = new Map<number, Record<string, unknown>>();
  private readonly built: TraceEvent[] = [];
  private readonly sendIndex = new Map<number, SendEvent>();
  private indexedUpTo = 0;

  constructor(header: TraceHeader, events: readonly TraceEvent[] = []) {
    this.seed = header.seed;
    this.nodes = header.nodes;
    this.description = header.description;
    for (const e of events) this.recordEvent(e);
  }

  // ---- recording (used by the simulator) -----------------------------------------------------

  /** Appends a send; returns its index. */
  recordSend(t: number, node: number, local: number, msgId: number, to: number, msg: unknown, layer: string): number {
    return this.push(SEND, t, node, local, msgId, to, msg, this.layerId(layer) * 2);
  }

  recordReceive(t: number, node: number, local: number, msgId: number, from: number, msg: unknown, copy: number, tampered: boolean): number {
    return this.push(RECEIVE, t, node, local, msgId, from, msg, copy * 2 + (tampered ? 1 : 0));
  }

  recordDeliver(t: number, node: number, local: number, value: unknown, from: number, layer: string, app: boolean): number {
    return this.push(DELIVER, t, node, local, -1, from, value, this.layerId(layer) * 2 + (app ? 1 : 0));
  }

  recordTimer(t: number, node: number, local: number, name: string, timerId: number): number {
    return this.push(TIMER, t, node, local, timerId, -1, name, 0);
  }

  private layerId(layer: string): number {
    let id = this.layerIds.get(layer);
    if (id === undefined) {
      id = this.layerNames.length;
      this.layerNames.push(layer);
      this.layerIds.set(layer, id);
    }
    return id;
  }

  /** Appends any event given as an object (its `i` is set here); returns its index. */
  recordEvent(event: Omit<TraceEvent, "i"> | TraceEvent): number {
    const i = this.size;
    const { i: _given, ...rest } = event as TraceEvent;
    const e = { i, ...rest } as TraceEvent;
    return this.push(OBJECT, e.t, -1, 0, -1, -1, e, 0);
  }

  /** Sets the label of event i (ctx.label). */
  setLabel(i: number, text: string): void {
    this.labels.set(i, text);
    if (i < this.built.length) (this.built[i] as { label?: string }).label = text;
  }

  /** Merges data into the annotations of event i (ctx.annotate): structured labels such as { lamport: 3 }. */
  annotate(i: number, data: Readonly<Record<string, unknown>>): void {
    const merged = { ...(this.annotations.get(i) ?? {}), ...data };
    this.annotations.set(i, merged);
    if (i < this.built.length) (this.built[i] as { annotations?: Record<string, unknown> }).annotations = merged;
  }

  private push(kind: number, t: number, node: number, local: number, id: number, peer: number, ref: unknown, flags: number): number {
    const i = this.size;
    if (i === this.kinds.length) this.grow();
    this.kinds[i] = kind;
    this.times[i] = t;
    this.nodeIndex[i] = node;
    this.locals[i] = local;
    this.ids[i] = id;
    this.peers[i] = peer;
    this.flags[i] = flags;
    this.refs.push(ref);
    this.size = i + 1;
    return i;
  }

  private grow(): void {
    const capacity = this.kinds.length * 2;
    const grown = <T extends Uint8Array | Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.kinds = grown(this.kinds, (n) => new Uint8Array(n));
    this.times = grown(this.times, (n) => new Float64Array(n));
    this.nodeIndex = grown(this.nodeIndex, (n) => new Int32Array(n));
    this.locals = grown(this.locals, (n) => new Float64Array(n));
    this.ids = grown(this.ids, (n) => new Float64Array(n));
    this.peers = grown(this.peers, (n) => new Int32Array(n));
    this.flags = grown(this.flags, (n) => new Int32Array(n));
  }

  // ---- reading -------------------------------------------------------------------------------

  /** Every event, in the order it happened (built on first read). */
  get events(): readonly TraceEvent[] {
    const n = this.size;
    for (let i = this.built.length; i < n; i++) this.built.push(this.build(i));
    return this.built;
  }

  private build(i: number): TraceEvent {
    const kind = this.kinds[i];
    const nodes = this.nodes;
    let e: Record<string, unknown>;
    switch (kind) {
      case SEND:
        e = { i, kind: "send", t: this.times[i], node: nodes[this.nodeIndex[i]], local: this.locals[i], msgId: this.ids[i], to: nodes[this.peers[i]], msg: this.refs[i], layer: this.layerNames[this.flags[i] >> 1] };
        break;
      case RECEIVE: {
        const f = this.flags[i];
        e = { i, kind: "receive", t: this.times[i], node: nodes[this.nodeIndex[i]], local: this.locals[i], msgId: this.ids[i], from: nodes[this.peers[i]], msg: this.refs[i], copy: f >> 1 };
        if (f & 1) e.tampered = true;
        break;
      }
      case DELIVER:
        e = { i, kind: "deliver", t: this.times[i], node: nodes[this.nodeIndex[i]], local: this.locals[i], value: this.refs[i], layer: this.layerNames[this.flags[i] >> 1], app: (this.flags[i] & 1) === 1 };
        if (this.peers[i] >= 0) e.from = nodes[this.peers[i]];
        break;
      case TIMER:
        e = { i, kind: "timer", t: this.times[i], node: nodes[this.nodeIndex[i]], local: this.locals[i], name: this.refs[i], timerId: this.ids[i] };
        break;
      default:
        e = this.refs[i] as Record<string, unknown>;
    }
    const label = this.labels.get(i);
    if (label !== undefined) e.label = label;
    const annotations = this.annotations.get(i);
    if (annotations !== undefined) e.annotations = annotations;
    return e as unknown as TraceEvent;
  }

  get length(): number {
    return this.size;
  }

  /** The events of one kind, in order. */
  ofKind<K extends TraceEventKind>(kind: K): EventOfKind<K>[] {
    return this.events.filter((e) => e.kind === kind) as EventOfKind<K>[];
  }

  /** The events that happened at a node, in order (its local history). */
  at(node: NodeId): TraceEvent[] {
    return this.events.filter((e) => "node" in e && e.node === node);
  }

  /**
   * Deliveries to the application (the top layer), at one node or at all. With `layer`, the
   * deliveries made by that protocol layer instead (for looking inside a stack).
   */
  deliveries(node?: NodeId, options: { layer?: string } = {}): DeliverEvent[] {
    return this.events.filter(
      (e): e is DeliverEvent =>
        e.kind === "deliver" &&
        (node === undefined || e.node === node) &&
        (options.layer === undefined ? e.app : e.layer === options.layer),
    );
  }

  /** The annotation `key` of event i (set by a handler with ctx.annotate), or undefined. */
  annotation<T = unknown>(i: number, key: string): T | undefined {
    const e = this.events[i] as { annotations?: Record<string, unknown> } | undefined;
    return e?.annotations?.[key] as T | undefined;
  }

  /** Every event annotated with `key`, with the annotation's value, in order (e.g. "lamport", "vector"). */
  annotated<T = unknown>(key: string): { event: TraceEvent; value: T }[] {
    const events = this.events;
    const out: { event: TraceEvent; value: T }[] = [];
    for (const e of events) {
      const value = (e as { annotations?: Record<string, unknown> }).annotations?.[key];
      if (value !== undefined) out.push({ event: e, value: value as T });
    }
    return out;
  }

  /**
   * The run as one layer of a stack sees it (src/sim/trace-layers.ts): what the layer below hands
   * up becomes one arrow per message, from its first transmission, without the lower layers'
   * retransmissions and acknowledgements. E.g. `trace.atLayer("fifo-broadcast")`.
   */
  atLayer(layer: string): Trace {
    return new Trace({ seed: this.seed, nodes: this.nodes, description: this.description }, eventsAtLayer(this.events, layer));
  }

  /** The send events from a to b (every message a sent to b), in order. */
  messagesBetween(a: NodeId, b: NodeId): SendEvent[] {
    return this.events.filter((e): e is SendEvent => e.kind === "send" && e.node === a && e.to === b);
  }

  /** The send event of a message. */
  send(msgId: number): SendEvent | undefined {
    // The index grows with the trace (a simulation may run further after a query).
    const events = this.events;
    for (; this.indexedUpTo < events.length; this.indexedUpTo++) {
      const e = events[this.indexedUpTo];
      if (e.kind === "send") this.sendIndex.set(e.msgId, e);
    }
    return this.sendIndex.get(msgId);
  }

  /** The receive events of a message (none if it was lost, two or more if duplicated). */
  receives(msgId: number): ReceiveEvent[] {
    return this.events.filter((e): e is ReceiveEvent => e.kind === "receive" && e.msgId === msgId);
  }

  /** Time of the last event (0 for an empty trace). */
  get endMs(): number {
    return this.size === 0 ? 0 : this.times[this.size - 1];
  }

  toJSON(): string {
    return JSON.stringify(
      { format: FORMAT, seed: this.seed, nodes: this.nodes, description: this.description, events: this.events },
      encodeCollections,
    );
  }

  static fromJSON(text: string): Trace {
    let data: unknown;
    try {
      data = JSON.parse(text, decodeCollections);
    } catch (error) {
      throw new Error(`Trace.fromJSON: not valid JSON (${(error as Error).message})`);
    }
    const d = data as { format?: unknown; seed?: unknown; nodes?: unknown; description?: unknown; events?: unknown };
    if (typeof d !== "object" || d === null || d.format !== FORMAT) {
      throw new Error(`Trace.fromJSON: expected format "${FORMAT}", got ${JSON.stringify(d?.format)}`);
    }
    if (typeof d.seed !== "string") throw new Error("Trace.fromJSON: field seed must be a string");
    if (!Array.isArray(d.nodes) || !d.nodes.every((n) => typeof n === "string")) {
      throw new Error("Trace.fromJSON: field nodes must be an array of node ids");
    }
    if (!Array.isArray(d.events)) throw new Error("Trace.fromJSON: field events must be an array");
    d.events.forEach((e: unknown, k: number) => {
      const ev = e as { i?: unknown; kind?: unknown; t?: unknown };
      if (typeof ev !== "object" || ev === null || ev.i !== k || typeof ev.kind !== "string" || typeof ev.t !== "number") {
        throw new Error(`Trace.fromJSON: events[${k}] must have i=${k}, a kind and a time t`);
      }
    });
    const trace = new Trace({ seed: d.seed, nodes: d.nodes as string[], description: typeof d.description === "string" ? d.description : undefined });
    for (const e of d.events as TraceEvent[]) trace.recordEvent(e);
    return trace;
  }

  /** SHA-256 (hex) of toJSON(): equal hashes mean byte-identical traces. */
  hash(): string {
    return createHash("sha256").update(this.toJSON()).digest("hex");
  }
}

function encodeCollections(this: unknown, _key: string, value: unknown): unknown {
  if (value instanceof Map) return { $map: Array.from(value.entries()) };
  if (value instanceof Set) return { $set: Array.from(value.values()) };
  if (value === undefined) return value;
  if (typeof value === "number" && !Number.isFinite(value)) return { $number: String(value) };
  return value;
}

function decodeCollections(_key: string, value: unknown): unknown {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const v = value as { $map?: [unknown, unknown][]; $set?: unknown[]; $number?: string };
      if (keys[0] === "$map" && Array.isArray(v.$map)) return new Map(v.$map);
      if (keys[0] === "$set" && Array.isArray(v.$set)) return new Set(v.$set);
      if (keys[0] === "$number" && typeof v.$number === "string") return Number(v.$number);
    }
  }
  return value;
}
