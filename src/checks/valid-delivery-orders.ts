/**
 * Every order in which one node may deliver a small set of broadcast messages, for the slides'
 * examples (lecture 4, slides "FIFO broadcast" and "Causal broadcast"): the valid orders are the
 * linear extensions of the ordering constraints.
 *
 *   "fifo":   messages from the same sender in the order that sender broadcast them;
 *   "causal": additionally, m1 before m2 whenever broadcast(m1) -> broadcast(m2);
 *   "any":    no constraint (best-effort or reliable broadcast).
 *
 * Total order is a property across nodes, so for one node it allows the same orders as the
 * underlying constraint: FIFO-total order allows the FIFO orders, but every node must pick the same.
 *
 * The number of orders grows factorially: maxOrders bounds it (default 10,000) and hitting the
 * bound is an error, never a silently truncated answer.
 */
import type { NodeId } from "../sim/protocol";
import type { TraceEvent } from "../sim/trace-events";
import { broadcastHistory, type HistoryOptions } from "./broadcast-history";
import { broadcastDependencies } from "./broadcast-causality";
import type { TraceLike } from "./trace-like";

export interface BroadcastSpec {
  readonly id: string;
  readonly sender: NodeId;
  /**
   * Messages whose broadcast happened before this one's (causal dependencies); only used by
   * "causal". Messages from the same sender need not be listed: list order already says it.
   */
  readonly after?: readonly string[];
}

export type DeliveryOrderProperty = "fifo" | "causal" | "any";

export function validDeliveryOrders(
  messages: readonly BroadcastSpec[],
  property: DeliveryOrderProperty,
  options: { maxOrders?: number } = {},
): string[][] {
  const maxOrders = options.maxOrders ?? 10_000;
  if (!Number.isSafeInteger(maxOrders) || maxOrders < 1) throw new RangeError(`maxOrders must be a positive integer, got ${String(maxOrders)}`);
  if (property !== "fifo" && property !== "causal" && property !== "any") {
    throw new RangeError(`property must be "fifo", "causal" or "any", got ${String(property)}`);
  }
  const index = new Map<string, number>();
  messages.forEach((m, k) => {
    if (index.has(m.id)) throw new RangeError(`message id ${m.id} appears twice in messages`);
    index.set(m.id, k);
  });
  // before[k] = indices that must be delivered before message k.
  const before: Set<number>[] = messages.map(() => new Set<number>());
  if (property !== "any") {
    messages.forEach((m, k) => {
      for (let j = 0; j < k; j++) if (messages[j]!.sender === m.sender) before[k]!.add(j);
    });
  }
  if (property === "causal") {
    messages.forEach((m, k) => {
      for (const dep of m.after ?? []) {
        const j = index.get(dep);
        if (j === undefined) throw new RangeError(`message ${m.id} is after ${dep}, which is not in messages`);
        before[k]!.add(j);
      }
    });
  }
  const orders: string[][] = [];
  const chosen: number[] = [];
  const used = new Array<boolean>(messages.length).fill(false);
  // Depth-first over the messages that are ready (all their predecessors delivered): at most
  // messages.length deep, and the total work is bounded by maxOrders complete orders.
  const extend = (): void => {
    if (chosen.length === messages.length) {
      if (orders.length >= maxOrders) {
        throw new RangeError(`validDeliveryOrders: more than maxOrders = ${maxOrders} valid orders; use fewer messages or raise maxOrders`);
      }
      orders.push(chosen.map((k) => messages[k]!.id));
      return;
    }
    for (let k = 0; k < messages.length; k++) {
      if (used[k]) continue;
      let ready = true;
      for (const j of before[k]!) if (!used[j]) ready = false;
      if (!ready) continue;
      used[k] = true;
      chosen.push(k);
      extend();
      chosen.pop();
      used[k] = false;
    }
  };
  extend();
  if (orders.length === 0) throw new RangeError("validDeliveryOrders: the constraints are cyclic, so no order is valid");
  return orders;
}

/**
 * The broadcasts of a trace as BroadcastSpecs (in trace order), with `after` listing every message
 * whose broadcast happened before this one's (application-level happens-before, as in
 * broadcast-causality.ts).
 */
export function broadcastSpecsFromTrace(trace: TraceLike | readonly TraceEvent[], options: HistoryOptions = {}): BroadcastSpec[] {
  const history = broadcastHistory(trace, options);
  const deps = broadcastDependencies(history);
  return history.broadcasts.map((m2) => ({ id: m2.id, sender: m2.sender, after: deps.get(m2.id)!.map((m1) => m1.id) }));
}
