/**
 * Convergence (lecture 5, "Replication using causal (and weaker) broadcast"): once every update has
 * been delivered everywhere and the network is quiet, all replicas must be in the same state.
 *
 * Replicas announce their state as an annotation (`ctx.annotate({ view })` in
 * src/protocols/replication/state-machine.ts); the checker compares each node's last announced
 * view. A replica that never announced one has the `initial` view.
 */
import type { NodeId } from "../sim/protocol";
import type { TraceEvent } from "../sim/trace-events";
import { checkResult, type CheckResult, type Violation } from "./check-result";
import { eventsOf, nodesOf, type TraceLike } from "./trace-like";

export interface ConvergenceOptions {
  /** The annotation holding a replica's state (default "view"). */
  readonly key?: string;
  /** The replicas to compare (default: every node of the trace). */
  readonly nodes?: readonly NodeId[];
  /** The view of a replica that announced none (default null). */
  readonly initial?: unknown;
}

/** Each replica's last announced view, and the event that announced it (undefined if none). */
export function finalViews(trace: TraceLike | readonly TraceEvent[], options: ConvergenceOptions = {}): Record<NodeId, { view: unknown; event: number | undefined }> {
  const key = options.key ?? "view";
  const nodes = options.nodes ?? nodesOf(trace);
  const out: Record<NodeId, { view: unknown; event: number | undefined }> = {};
  for (const node of nodes) out[node] = { view: options.initial ?? null, event: undefined };
  for (const e of eventsOf(trace)) {
    const annotations = (e as { annotations?: Record<string, unknown> }).annotations;
    if (annotations === undefined || !(key in annotations) || !("node" in e)) continue;
    if (out[e.node] !== undefined) out[e.node] = { view: annotations[key], event: e.i };
  }
  return out;
}

/** Canonical text of a view (object keys sorted), so equal states compare equal. */
export function viewText(view: unknown): string {
  return JSON.stringify(view, (_k, v) => {
    if (v instanceof Set) return [...v].sort();
    if (v instanceof Map) return Object.fromEntries([...v.entries()].sort());
    if (v !== null && typeof v === "object" && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return v;
  }) ?? "undefined";
}

/**
 * One violation per replica whose final view differs from the first replica's, naming both views
 * and highlighting the events where each was announced.
 */
export function checkConvergence(trace: TraceLike | readonly TraceEvent[], options: ConvergenceOptions = {}): CheckResult {
  const views = finalViews(trace, options);
  const nodes = Object.keys(views);
  if (nodes.length === 0) throw new RangeError("checkConvergence: the trace names no replicas");
  const [first, ...rest] = nodes;
  const reference = viewText(views[first].view);
  const violations: Violation[] = [];
  for (const node of rest) {
    const text = viewText(views[node].view);
    if (text === reference) continue;
    violations.push({
      property: "convergence",
      message: `replicas ${first} and ${node} ended in different states: ${first} has ${reference}, ${node} has ${text}`,
      events: [views[first].event, views[node].event].filter((i): i is number => i !== undefined),
    });
  }
  return checkResult(violations);
}
