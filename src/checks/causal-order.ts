/**
 * Causal order (lecture 4, slide "Forms of reliable broadcast"): if broadcast(m1) -> broadcast(m2)
 * then m1 must be delivered before m2, at every node. happens-before is taken over the
 * application-level broadcasts and deliveries (broadcast-causality.ts), so the checker needs
 * nothing from the broadcast implementation except the request and deliver events.
 *
 * For each node and each m2 it delivers, the violation names the earliest-broadcast m1 that
 * causally precedes m2 and had not been delivered yet.
 */
import type { TraceEvent } from "../sim/trace-events";
import { broadcastDependencies } from "./broadcast-causality";
import { broadcastHistory } from "./broadcast-history";
import { checkResult, type CheckResult, type Violation } from "./check-result";
import type { OrderCheckOptions } from "./fifo-order";
import type { TraceLike } from "./trace-like";

export function checkCausalOrder(trace: TraceLike | readonly TraceEvent[], options: OrderCheckOptions = {}): CheckResult {
  const history = broadcastHistory(trace, options);
  // deps.get(m2) = the broadcasts m1 with broadcast(m1) -> broadcast(m2), in trace order.
  const deps = broadcastDependencies(history);
  const violations: Violation[] = [];
  for (const [node, deliveries] of history.deliveries) {
    const delivered = new Set<string>();
    for (const d of deliveries) {
      if (delivered.has(d.id)) continue;
      delivered.add(d.id);
      const m2 = history.byId.get(d.id);
      if (!m2) continue;
      const m1 = deps.get(m2.id)!.find((x) => !delivered.has(x.id));
      if (!m1) continue;
      const later = deliveries.find((x) => x.id === m1.id && x.event > d.event);
      violations.push({
        property: "causal order",
        message:
          `Node ${node} delivered ${m2.id} before ${m1.id}, although broadcast(${m1.id}) happened before broadcast(${m2.id})` +
          (later ? "." : ` (and ${node} never delivered ${m1.id}).`),
        events: later ? [m1.event, m2.event, d.event, later.event] : [m1.event, m2.event, d.event],
      });
    }
  }
  return checkResult(violations, options.maxViolations);
}
