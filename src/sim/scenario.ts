/**
 * One scenario format for every run the kit grades or draws: which nodes, what network and timing
 * model, which requests when, and a schedule of faults (crash, recover, pause, partition, heal,
 * clock step). A scenario is plain JSON data, so fast-check can draw and shrink it, a failing one can
 * be printed and replayed, and it can cross a process boundary. `simulate(scenario, protocol)` is
 * the one way to run it.
 */
import type { AnyProtocol, NodeId } from "./protocol";
import { Simulation } from "./simulation";
import { latency as latencies, type NetworkOptions, type TimingOptions } from "./network";
import type { ClockOptions } from "./clock";
import type { Trace } from "./trace";
import { startingFrom, type InitialStorage } from "./initial-state";
import { SimulationInputError } from "./errors";
import { rejectUnknownKeys, requireFiniteNumber, requireNonNegative, requirePositive, requireString } from "./validate";

/**
 * One-way latency in ms: a constant, uniform in [min, max], or { congested: boundMs }: links that
 * alternate between fast periods and congested ones near the bound (latency.congested in
 * src/sim/network.ts; what a failure detector under partial synchrony must adapt to).
 */
export type ScenarioLatency = number | readonly [number, number] | { readonly congested: number };

export interface ScenarioNetwork {
  /** "reliable" (default) or "fair-loss". */
  readonly model?: "reliable" | "fair-loss";
  /** fair-loss: probability that a message is lost / arrives twice. */
  readonly loss?: number;
  readonly duplicate?: number;
  /** Default: uniform in [1, 10] ms. */
  readonly latencyMs?: ScenarioLatency;
  /** Directed links with options of their own (e.g. one slow or lossy link). */
  readonly links?: readonly {
    readonly from: NodeId;
    readonly to: NodeId;
    readonly latencyMs?: ScenarioLatency;
    readonly loss?: number;
    readonly duplicate?: number;
  }[];
}

/** A scheduled fault. Times are global simulated ms. */
export type ScenarioFault =
  /** Crash (with recoverAtMs: crash-recovery; without: crash-stop). */
  | { readonly kind: "crash"; readonly node: NodeId; readonly atMs: number; readonly recoverAtMs?: number }
  | { readonly kind: "recover"; readonly node: NodeId; readonly atMs: number }
  /** A process pause (e.g. garbage collection): the node does nothing for durationMs. */
  | { readonly kind: "pause"; readonly node: NodeId; readonly atMs: number; readonly durationMs: number }
  /** Nodes in different groups cannot talk (both ways) from atMs until healAtMs (or for ever). */
  | { readonly kind: "partition"; readonly groups: readonly (readonly NodeId[])[]; readonly atMs: number; readonly healAtMs?: number }
  /** Directed links cut (an asymmetric partition). */
  | { readonly kind: "cut"; readonly links: readonly (readonly [NodeId, NodeId])[]; readonly atMs: number; readonly healAtMs?: number }
  /** An operator (or a bad NTP server) steps the node's time-of-day clock. */
  | { readonly kind: "clock-step"; readonly node: NodeId; readonly atMs: number; readonly deltaMs: number };

export interface ScenarioRequest {
  readonly node: NodeId;
  readonly atMs: number;
  /** What the application asks for, e.g. { type: "broadcast", m: "A0" }. */
  readonly request: unknown;
}

export interface Scenario {
  readonly seed: string;
  /** The nodes, in the order of ctx.nodes (and of the diagrams' rows). */
  readonly nodes: readonly NodeId[];
  readonly network?: ScenarioNetwork;
  readonly timing?: TimingOptions;
  /** Each node's clock: offset and constant drift (plain numbers, so a scenario stays JSON). */
  readonly clocks?: Readonly<Record<NodeId, { readonly offsetMs?: number; readonly driftPpm?: number }>>;
  readonly requests?: readonly ScenarioRequest[];
  readonly faults?: readonly ScenarioFault[];
  /**
   * Nodes that start from a given state: their stable storage at time 0, by key (src/sim/initial-state.ts);
   * such a node starts through its protocol's recovery handler.
   */
  readonly initialStorage?: InitialStorage;
  /** The run stops after the events at this time. */
  readonly untilMs: number;
  /** Free text for reports. */
  readonly description?: string;
}

export interface SimulateOptions {
  /** Record a trace (default true). */
  readonly trace?: boolean;
  /** Called with the simulation before it runs: reactions (sim.on), extra probes. */
  readonly prepare?: (sim: Simulation) => void;
}

export interface Simulated {
  readonly sim: Simulation;
  readonly trace: Trace;
}

/**
 * Runs `protocol` (the same at every node, or chosen per node) on the scenario. Every mistake in the
 * scenario is an error naming the field (`scenario.faults[2].node`, ...).
 */
export function simulate(scenario: Scenario, protocol: AnyProtocol | ((node: NodeId) => AnyProtocol), options: SimulateOptions = {}): Simulated {
  checkScenario(scenario);
  const chosen = typeof protocol === "function" ? protocol : () => protocol;
  const initial = scenario.initialStorage ?? {};
  const protocolOf = (node: NodeId) => (initial[node] === undefined ? chosen(node) : startingFrom(chosen(node), initial[node]!));
  const sim = new Simulation({
    seed: scenario.seed,
    nodes: Object.fromEntries(scenario.nodes.map((node) => [node, protocolOf(node)])),
    network: networkOptions(scenario.network),
    timing: scenario.timing,
    clocks: scenario.clocks as Record<NodeId, ClockOptions> | undefined,
    trace: options.trace ?? true,
    description: scenario.description,
  });
  for (const r of scenario.requests ?? []) sim.request(r.node, r.request, r.atMs);
  for (const f of scenario.faults ?? []) {
    switch (f.kind) {
      case "crash":
        sim.crash(f.node, f.atMs, f.recoverAtMs === undefined ? {} : { recoverAtMs: f.recoverAtMs });
        break;
      case "recover":
        sim.recover(f.node, f.atMs);
        break;
      case "pause":
        sim.pause(f.node, f.atMs, f.durationMs);
        break;
      case "partition":
        sim.partition({ groups: f.groups, atMs: f.atMs, ...(f.healAtMs === undefined ? {} : { healAtMs: f.healAtMs }) });
        break;
      case "cut":
        sim.partition({ cut: f.links, atMs: f.atMs, ...(f.healAtMs === undefined ? {} : { healAtMs: f.healAtMs }) });
        break;
      case "clock-step": {
        const node = f.node;
        const deltaMs = f.deltaMs;
        sim.at(f.atMs, (s) => s.stepClock(node, deltaMs));
        break;
      }
    }
  }
  options.prepare?.(sim);
  return { sim, trace: sim.run({ untilMs: scenario.untilMs }).trace };
}

function latencyOf(field: string, value: ScenarioLatency) {
  if (typeof value === "number") return latencies.constant(requireNonNegative(field, value));
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    rejectUnknownKeys(field, value, ["congested"]);
    return latencies.congested(requirePositive(`${field}.congested`, (value as { congested: number }).congested));
  }
  if (!Array.isArray(value) || value.length !== 2) throw new SimulationInputError(field, value, "expected a number of ms, [min, max] or { congested: boundMs }");
  const [low, high] = [requireNonNegative(`${field}[0]`, value[0]), requireNonNegative(`${field}[1]`, value[1])];
  if (high < low) throw new SimulationInputError(field, value, "expected min <= max");
  return latencies.uniform(low, high);
}

function networkOptions(network: ScenarioNetwork | undefined): NetworkOptions {
  const n = network ?? {};
  if (typeof n !== "object" || n === null) throw new SimulationInputError("scenario.network", n, "expected an object");
  rejectUnknownKeys("scenario.network", n, ["model", "loss", "duplicate", "latencyMs", "links"]);
  return {
    model: n.model ?? "reliable",
    ...(n.loss === undefined ? {} : { loss: n.loss }),
    ...(n.duplicate === undefined ? {} : { duplicate: n.duplicate }),
    ...(n.latencyMs === undefined ? {} : { latency: latencyOf("scenario.network.latencyMs", n.latencyMs) }),
    links: (n.links ?? []).map((l, k) => {
      rejectUnknownKeys(`scenario.network.links[${k}]`, l, ["from", "to", "latencyMs", "loss", "duplicate"]);
      return {
        from: l.from,
        to: l.to,
        ...(l.latencyMs === undefined ? {} : { latency: latencyOf(`scenario.network.links[${k}].latencyMs`, l.latencyMs) }),
        ...(l.loss === undefined ? {} : { loss: l.loss }),
        ...(l.duplicate === undefined ? {} : { duplicate: l.duplicate }),
      };
    }),
  };
}

const FAULT_KEYS: Record<ScenarioFault["kind"], readonly string[]> = {
  crash: ["kind", "node", "atMs", "recoverAtMs"],
  recover: ["kind", "node", "atMs"],
  pause: ["kind", "node", "atMs", "durationMs"],
  partition: ["kind", "groups", "atMs", "healAtMs"],
  cut: ["kind", "links", "atMs", "healAtMs"],
  "clock-step": ["kind", "node", "atMs", "deltaMs"],
};

/** Checks a scenario's shape; node ids, times and probabilities are checked again by the simulator. */
export function checkScenario(scenario: Scenario): void {
  if (typeof scenario !== "object" || scenario === null) throw new SimulationInputError("scenario", scenario, "expected a scenario object");
  rejectUnknownKeys("scenario", scenario, ["seed", "nodes", "network", "timing", "clocks", "requests", "faults", "initialStorage", "untilMs", "description"]);
  requireString("scenario.seed", scenario.seed);
  if (!Array.isArray(scenario.nodes) || scenario.nodes.length === 0) {
    throw new SimulationInputError("scenario.nodes", scenario.nodes, "expected a non-empty list of node ids");
  }
  const nodes = new Set(scenario.nodes);
  const requireNode = (field: string, node: unknown) => {
    if (typeof node !== "string" || !nodes.has(node)) throw new SimulationInputError(field, node, `expected one of the scenario's nodes (${scenario.nodes.join(", ")})`);
  };
  requireNonNegative("scenario.untilMs", scenario.untilMs);
  (scenario.requests ?? []).forEach((r, k) => {
    rejectUnknownKeys(`scenario.requests[${k}]`, r, ["node", "atMs", "request"]);
    requireNode(`scenario.requests[${k}].node`, r.node);
    requireNonNegative(`scenario.requests[${k}].atMs`, r.atMs);
  });
  if (scenario.initialStorage !== undefined) {
    const initial = scenario.initialStorage;
    if (typeof initial !== "object" || initial === null || Array.isArray(initial)) {
      throw new SimulationInputError("scenario.initialStorage", initial, "expected an object { node: { key: value } }");
    }
    for (const [node, storage] of Object.entries(initial)) {
      requireNode(`scenario.initialStorage.${node}`, node);
      if (typeof storage !== "object" || storage === null || Array.isArray(storage)) {
        throw new SimulationInputError(`scenario.initialStorage.${node}`, storage, "expected an object of stable-storage keys and values");
      }
    }
  }
  (scenario.faults ?? []).forEach((f, k) => {
    const field = `scenario.faults[${k}]`;
    const keys = FAULT_KEYS[f?.kind as ScenarioFault["kind"]];
    if (keys === undefined) throw new SimulationInputError(`${field}.kind`, f?.kind, `expected one of ${Object.keys(FAULT_KEYS).join(", ")}`);
    rejectUnknownKeys(field, f, keys);
    requireNonNegative(`${field}.atMs`, f.atMs);
    if ("node" in f) requireNode(`${field}.node`, f.node);
    if (f.kind === "clock-step") requireFiniteNumber(`${field}.deltaMs`, f.deltaMs);
    if (f.kind === "pause") requireNonNegative(`${field}.durationMs`, f.durationMs);
  });
}
