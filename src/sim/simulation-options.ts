/**
 * The simulation's options and their validation: what a run is made of (seed, nodes and their
 * protocols, network, timing, clocks, limits), each mistake reported with the option's name.
 */
import type { AnyProtocol, NodeId } from "./protocol";
import type { ClockOptions } from "./clock";
import type { NetworkOptions, TimingOptions } from "./network";
import { SimulationInputError } from "./errors";
import { rejectUnknownKeys, requireFunction, requireNonNegative, requirePositiveInteger, requireString } from "./validate";

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

const OPTION_KEYS = ["seed", "nodes", "protocol", "network", "timing", "clocks", "trace", "limits", "description"];
const DEFAULT_LIMITS = { maxEvents: 5_000_000, maxTimeMs: 1e10, maxQueued: 2_000_000 };

/** The options with every default filled in and every value checked. */
export interface ResolvedOptions {
  readonly seed: string;
  readonly assignment: readonly (readonly [NodeId, AnyProtocol])[];
  readonly tracing: boolean;
  readonly limits: Required<SimulationLimits>;
  readonly clocks: Readonly<Record<NodeId, ClockOptions>>;
}

export function resolveOptions(options: SimulationOptions): ResolvedOptions {
  if (typeof options !== "object" || options === null) {
    throw new SimulationInputError("options", options, "expected an options object");
  }
  rejectUnknownKeys("options", options, OPTION_KEYS);
  let seed: string;
  if (typeof options.seed === "number") {
    if (!Number.isFinite(options.seed)) throw new SimulationInputError("seed", options.seed, "expected a finite number or a string");
    seed = String(options.seed);
  } else {
    seed = requireString("seed", options.seed);
  }
  const assignment = resolveNodes(options);
  const ids = assignment.map(([id]) => id);
  const tracing = options.trace ?? true;
  if (typeof tracing !== "boolean") throw new SimulationInputError("trace", options.trace, "expected true or false");
  const limits = options.limits ?? {};
  rejectUnknownKeys("limits", limits, ["maxEvents", "maxTimeMs", "maxQueued"]);
  const clocks = options.clocks ?? {};
  for (const id of Object.keys(clocks)) {
    if (!ids.includes(id)) throw new SimulationInputError(`clocks.${id}`, clocks[id], `expected a known node id (nodes: ${ids.join(", ")})`);
  }
  return {
    seed,
    assignment,
    tracing,
    clocks,
    limits: {
      maxEvents: requirePositiveInteger("limits.maxEvents", limits.maxEvents ?? DEFAULT_LIMITS.maxEvents),
      maxTimeMs: requireNonNegative("limits.maxTimeMs", limits.maxTimeMs ?? DEFAULT_LIMITS.maxTimeMs),
      maxQueued: requirePositiveInteger("limits.maxQueued", limits.maxQueued ?? DEFAULT_LIMITS.maxQueued),
    },
  };
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

/** Checks that a value has a protocol's shape (name, init, one function per message type). */
export function checkProtocol(field: string, protocol: unknown): void {
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
