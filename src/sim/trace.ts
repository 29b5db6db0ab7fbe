/**
 * A run's trace: every event in the order it happened, with queries over it. Checkers and diagrams
 * read traces and nothing else. Traces are JSON data (Map and Set values are tagged so they survive
 * the round trip), and hash() is a SHA-256 of that JSON, so two runs can be compared byte for byte.
 */
import { createHash } from "node:crypto";
import type { NodeId } from "./protocol";
import type { DeliverEvent, EventOfKind, ReceiveEvent, SendEvent, TraceEvent, TraceEventKind } from "./trace-events";

export interface TraceHeader {
  /** The run's seed, so any report of the run can say how to replay it. */
  readonly seed: string;
  /** The nodes, in the order the simulation lists them (diagrams draw them top to bottom). */
  readonly nodes: readonly NodeId[];
  /** A description of the network, timing and protocol, for reports. */
  readonly description?: string;
}

const FORMAT = "ds-kit-trace/1";

export class Trace {
  readonly seed: string;
  readonly nodes: readonly NodeId[];
  readonly description: string | undefined;
  readonly events: TraceEvent[];
  private readonly sendIndex = new Map<number, SendEvent>();
  private indexedUpTo = 0;

  constructor(header: TraceHeader, events: TraceEvent[] = []) {
    this.seed = header.seed;
    this.nodes = header.nodes;
    this.description = header.description;
    this.events = events;
  }

  get length(): number {
    return this.events.length;
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

  /** The send events from a to b (every message a sent to b), in order. */
  messagesBetween(a: NodeId, b: NodeId): SendEvent[] {
    return this.events.filter((e): e is SendEvent => e.kind === "send" && e.node === a && e.to === b);
  }

  /** The send event of a message. */
  send(msgId: number): SendEvent | undefined {
    // The index grows with the trace (a simulation may run further after a query).
    for (; this.indexedUpTo < this.events.length; this.indexedUpTo++) {
      const e = this.events[this.indexedUpTo];
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
    return this.events.length === 0 ? 0 : this.events[this.events.length - 1].t;
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
    return new Trace(
      { seed: d.seed, nodes: d.nodes as string[], description: typeof d.description === "string" ? d.description : undefined },
      d.events as TraceEvent[],
    );
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
