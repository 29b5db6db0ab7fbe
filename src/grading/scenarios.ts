/**
 * Random scenarios for graded tests (trusted side only: it imports fast-check), and the one reader
 * of the traces that runs of them return (readTrace; parseTrace reads any run's trace).
 *
 * A scenario (src/sim/scenario.ts) is drawn from small abstract choices, so fast-check shrinks a
 * failing one towards fewer nodes, fewer and earlier requests, and fewer faults: the smallest run
 * that still fails. Seeds never shrink (another seed is another run, not a smaller one).
 */
import * as fc from "fast-check";
import type { Scenario, ScenarioFault, ScenarioRequest } from "../sim/scenario";
import { Trace } from "../sim/trace";
import { canonicalId } from "../checks/broadcast-history";
import { fail, type Verdict } from "./define";

export interface ScenarioShape {
  readonly nodesMin: number;
  readonly nodesMax: number;
  /** Node names (default nodeNames(n): A, B, C, ...); the first n are used. */
  readonly names?: readonly string[];
  /** Requests happen in [0, spreadMs); 1 to requestsMax of them (none if requestsMax is 0). */
  readonly requestsMax: number;
  readonly spreadMs: number;
  readonly untilMs: number;
  /** The k-th request (0, 1, ...) made at `node`: e.g. (node, k) => ({ type: "broadcast", m: `${node}${k}` }). Needed if requestsMax > 0. */
  readonly request?: (node: string, k: number) => unknown;
  /** Only the first `senders` nodes make requests (default: all). */
  readonly senders?: number;
  /** Only the last `crashable` nodes crash (default: all). */
  readonly crashable?: number;
  /** fair-loss probabilities to pick from (default [0]: a reliable network). */
  readonly loss?: readonly number[];
  readonly duplicate?: readonly number[];
  /** One-way latency is uniform in [1, m] with m drawn in [1, latencyMsMax] (default 80). */
  readonly latencyMsMax?: number;
  /** At most this many crash-stop faults, at distinct nodes, never all nodes (default 0). */
  readonly crashesMax?: number;
  /** At most this many crash-recovery faults, down for 20 to outageMsMax ms (default 0). */
  readonly recoveriesMax?: number;
  /** The longest outage of a crash-recovery fault (default 150). */
  readonly outageMsMax?: number;
  /** At most this many partitions (two groups, healed 20-300 ms later) (default 0). */
  readonly partitionsMax?: number;
  /** Prefix of the scenario's seed (default "scenario"). */
  readonly seedPrefix?: string;
}

const letters = ["A", "B", "C", "D", "E", "F", "G", "H"];

/** Node names: A, B, C, ... for up to 8 nodes, else n0, n1, ... */
export function nodeNames(n: number): string[] {
  return n <= letters.length ? letters.slice(0, n) : Array.from({ length: n }, (_, k) => `n${k}`);
}

export function scenarios(shape: ScenarioShape): fc.Arbitrary<Scenario> {
  if (!(1 <= shape.nodesMin && shape.nodesMin <= shape.nodesMax)) throw new Error(`scenarios: bad node range ${shape.nodesMin}..${shape.nodesMax}`);
  if (!(shape.spreadMs >= 1 && shape.untilMs >= shape.spreadMs)) throw new Error("scenarios: need spreadMs >= 1 and untilMs >= spreadMs");
  if (shape.names !== undefined && shape.names.length < shape.nodesMax) throw new Error(`scenarios: ${shape.names.length} names for up to ${shape.nodesMax} nodes`);
  const request = shape.request;
  if (shape.requestsMax > 0 && request === undefined) throw new Error("scenarios: requests need a shape.request");
  const maxIndex = shape.nodesMax - 1;
  const faultTime = fc.integer({ min: 0, max: shape.spreadMs + 100 });
  return fc
    .record({
      seed: fc.noShrink(fc.nat(1_000_000)),
      n: fc.integer({ min: shape.nodesMin, max: shape.nodesMax }),
      requests: fc.array(fc.record({ who: fc.nat(maxIndex), atMs: fc.integer({ min: 0, max: shape.spreadMs - 1 }) }), { minLength: Math.min(1, shape.requestsMax), maxLength: shape.requestsMax }),
      loss: fc.constantFrom(...(shape.loss ?? [0])),
      duplicate: fc.constantFrom(...(shape.duplicate ?? [0])),
      latencyMax: fc.integer({ min: 1, max: shape.latencyMsMax ?? 80 }),
      crashes: fc.array(fc.record({ who: fc.nat(maxIndex), atMs: faultTime }), { maxLength: shape.crashesMax ?? 0 }),
      recoveries: fc.array(fc.record({ who: fc.nat(maxIndex), atMs: faultTime, downMs: fc.integer({ min: 20, max: shape.outageMsMax ?? 150 }) }), { maxLength: shape.recoveriesMax ?? 0 }),
      partitions: fc.array(fc.record({ split: fc.nat(maxIndex), atMs: faultTime, healMs: fc.integer({ min: 20, max: 300 }) }), { maxLength: shape.partitionsMax ?? 0 }),
    })
    .map((draw): Scenario => {
      const nodes = shape.names === undefined ? nodeNames(draw.n) : shape.names.slice(0, draw.n);
      const senders = Math.min(draw.n, shape.senders ?? draw.n);
      // The k-th node of the last `crashable` ones.
      const crashable = Math.min(draw.n, shape.crashable ?? draw.n);
      const victim = (who: number) => nodes[draw.n - crashable + (who % crashable)]!;
      const faults: ScenarioFault[] = [];
      const crashed = new Set<string>();
      for (const c of draw.crashes) {
        const node = victim(c.who);
        if (crashed.has(node) || crashed.size >= draw.n - 1) continue;
        crashed.add(node);
        faults.push({ kind: "crash", node, atMs: c.atMs });
      }
      const downUntil = new Map<string, number>();
      for (const r of draw.recoveries) {
        const node = victim(r.who);
        // One outage at a time per node, and none at a node that crashes for good.
        if (crashed.has(node) || (downUntil.get(node) ?? -1) >= r.atMs) continue;
        downUntil.set(node, r.atMs + r.downMs);
        faults.push({ kind: "crash", node, atMs: r.atMs + 0.5, recoverAtMs: r.atMs + 0.5 + r.downMs });
      }
      if (draw.n >= 2) {
        for (const p of draw.partitions) {
          const cut = 1 + (p.split % (draw.n - 1));
          faults.push({ kind: "partition", groups: [nodes.slice(0, cut), nodes.slice(cut)], atMs: p.atMs, healAtMs: p.atMs + p.healMs });
        }
      }
      // Requests in time order, so that A0 is A's first request, A1 its second, ...
      const counts = new Map<string, number>();
      const requests: ScenarioRequest[] = draw.requests
        .map((r, k) => ({ ...r, k }))
        .sort((x, y) => x.atMs - y.atMs || x.k - y.k)
        .map(({ who, atMs }) => {
          const node = nodes[who % senders]!;
          const k = counts.get(node) ?? 0;
          counts.set(node, k + 1);
          return { node, atMs, request: request!(node, k) };
        });
      const lossy = draw.loss > 0 || draw.duplicate > 0;
      return {
        seed: `${shape.seedPrefix ?? "scenario"}-${draw.seed}`,
        nodes,
        network: { model: lossy ? "fair-loss" : "reliable", ...(lossy ? { loss: draw.loss, duplicate: draw.duplicate } : {}), latencyMs: [1, draw.latencyMax] },
        requests,
        faults,
        untilMs: shape.untilMs,
      };
    });
}

/** The trace a driver returned (trace.toJSON() text, untrusted), or a failing Verdict saying why the output is not one. */
export function parseTrace(output: unknown): Trace | Verdict {
  if (typeof output !== "string") return fail(`expected the run's trace as JSON text, got ${preview(output)}`);
  try {
    return Trace.fromJSON(output);
  } catch (error) {
    return fail(`the run's trace could not be read: ${String(error)}`);
  }
}

/**
 * The trace a run of `scenario` returned (as JSON text), read and checked against the scenario:
 * same seed and nodes, and every request made of a node that was up appears in it (else a check
 * would judge an emptier run than the one asked for). Otherwise the verdict says what is wrong.
 */
export function readTrace(scenario: Scenario, output: unknown): Trace | Verdict {
  const trace = parseTrace(output);
  if (!(trace instanceof Trace)) return trace;
  if (trace.seed !== scenario.seed || trace.nodes.join() !== scenario.nodes.join()) {
    return fail(`the trace is of another run (seed ${trace.seed}, nodes ${trace.nodes.join(", ")})`);
  }
  const requested = new Set<string>();
  for (const e of trace.events) if (e.kind === "request") requested.add(`${e.node} ${canonicalId(e.request)}`);
  for (const r of scenario.requests ?? []) {
    const downThen = (scenario.faults ?? []).some(
      (f) => f.kind === "crash" && f.node === r.node && f.atMs <= r.atMs && (f.recoverAtMs === undefined || f.recoverAtMs > r.atMs),
    );
    if (!downThen && !requested.has(`${r.node} ${canonicalId(r.request)}`)) {
      return fail(`the trace has no request ${preview(r.request)} at ${r.node}: it is not the run that was asked for`);
    }
  }
  return trace;
}

/** A scenario's crash faults (crash-stop or crash-recovery): [node, atMs] each. */
export function crashesOf(scenario: Scenario): [string, number][] {
  return (scenario.faults ?? []).flatMap((f) => (f.kind === "crash" ? [[f.node, f.atMs]] : []));
}

/** A short, safe rendering of any value for a message (at most 120 characters). */
export function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
