/**
 * Properties of failure detectors, checked on a finite trace (lecture 2, "Failure detection and
 * partial synchrony").
 *
 * "Eventually" cannot be decided on a finite run, so the checker takes a time `fromMs` after which
 * the property must hold until the end of the trace: e.g. GST plus a few timeouts.
 *   - strong completeness: every crashed node is suspected by every correct node, from fromMs on;
 *   - eventual strong accuracy: no correct node is suspected by any correct node from fromMs on.
 * A violation names the monitoring node, the node concerned and the time.
 */
import type { NodeId } from "../../sim/protocol";
import type { TraceEvent } from "../../sim/trace-events";

/** One output of a failure detector: at time t, monitor started (suspected) or stopped suspecting node. */
export interface Suspicion {
  readonly t: number;
  readonly monitor: NodeId;
  readonly node: NodeId;
  readonly suspected: boolean;
}

export interface FailureDetectorViolation {
  readonly property: "strong completeness" | "eventual strong accuracy";
  readonly monitor: NodeId;
  readonly node: NodeId;
  /** When the offending state began (or fromMs if it held already then). */
  readonly atMs: number;
  readonly description: string;
}

/** The failure detector outputs recorded in a trace (app deliveries of suspect/restore). */
export function suspicionsFromTrace(events: readonly TraceEvent[]): Suspicion[] {
  const out: Suspicion[] = [];
  for (const e of events) {
    if (e.kind !== "deliver" || !e.app) continue;
    const v = e.value as { type?: unknown; node?: unknown };
    if (v === null || typeof v !== "object" || typeof v.node !== "string") continue;
    if (v.type === "suspect" || v.type === "restore") out.push({ t: e.t, monitor: e.node, node: v.node, suspected: v.type === "suspect" });
  }
  return out;
}

/** Crash times of nodes that crashed and never recovered, from a trace. */
export function crashedNodes(events: readonly TraceEvent[]): Map<NodeId, number> {
  const crashed = new Map<NodeId, number>();
  for (const e of events) {
    if (e.kind === "crash") crashed.set(e.node, e.t);
    if (e.kind === "recover") crashed.delete(e.node);
  }
  return crashed;
}

export function checkEventuallyPerfect(input: {
  readonly nodes: readonly NodeId[];
  readonly suspicions: readonly Suspicion[];
  /** Nodes that crashed for good, with their crash time. */
  readonly crashed: ReadonlyMap<NodeId, number>;
  /** From this time on, the properties must hold. */
  readonly fromMs: number;
  /** End of the observation. */
  readonly endMs: number;
}): FailureDetectorViolation[] {
  const { nodes, suspicions, crashed, fromMs, endMs } = input;
  if (!(fromMs <= endMs)) throw new RangeError(`checkEventuallyPerfect: fromMs (${fromMs}) must be <= endMs (${endMs})`);
  const violations: FailureDetectorViolation[] = [];
  const correct = nodes.filter((n) => !crashed.has(n));
  for (const monitor of correct) {
    for (const node of nodes) {
      if (node === monitor) continue;
      // Replay this monitor's view of this node: the suspected intervals overlapping [fromMs, endMs].
      const outputs = suspicions.filter((s) => s.monitor === monitor && s.node === node && s.t <= endMs);
      let suspected = false;
      let since = 0;
      const shouldSuspect = crashed.has(node);
      // The state that held from `since` until some time after fromMs: wrong is a violation.
      const check = () => {
        if (suspected !== shouldSuspect) {
          const at = Math.max(since, fromMs);
          violations.push(
            shouldSuspect
              ? { property: "strong completeness", monitor, node, atMs: at, description: `${monitor} does not suspect crashed node ${node} at ${at} ms (crashed at ${crashed.get(node)} ms)` }
              : { property: "eventual strong accuracy", monitor, node, atMs: at, description: `${monitor} suspects correct node ${node} at ${at} ms` },
          );
        }
      };
      for (const s of outputs) {
        if (s.t > fromMs) check();
        suspected = s.suspected;
        since = s.t;
      }
      check();
    }
  }
  // Keep one violation per (property, monitor, node, atMs).
  const seen = new Set<string>();
  return violations.filter((v) => {
    const k = `${v.property}|${v.monitor}|${v.node}|${v.atMs}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
