/**
 * FIFO order (lecture 4, slide "Forms of reliable broadcast"): if m1 and m2 are broadcast by the
 * same node, and broadcast(m1) -> broadcast(m2), then m1 must be delivered before m2, at every node.
 * Since a node's broadcasts are ordered by its own execution, "broadcast(m1) -> broadcast(m2)" for
 * one sender just means m1 was broadcast first.
 *
 * A node that delivers m2 without ever delivering m1 breaks the property too. Deliveries of
 * messages that were never broadcast, and repeated deliveries, are left to checkReliability.
 * Messages are identified as described in broadcast-history.ts.
 */
import type { TraceEvent } from "../sim/trace-events";
import { broadcastHistory, type BroadcastHistory, type BroadcastRecord, type HistoryOptions } from "./broadcast-history";
import { checkResult, type CheckResult, type Violation } from "./check-result";
import type { TraceLike } from "./trace-like";

export interface OrderCheckOptions extends HistoryOptions {
  /** At most this many violations are listed (default 50). */
  readonly maxViolations?: number;
}

export function checkFifoOrder(trace: TraceLike | readonly TraceEvent[], options: OrderCheckOptions = {}): CheckResult {
  return checkResult(fifoViolations(broadcastHistory(trace, options)), options.maxViolations);
}

/** The FIFO violations in a history (shared with checkFifoTotalOrder). */
export function fifoViolations(history: BroadcastHistory): Violation[] {
  const bySender = new Map<string, BroadcastRecord[]>();
  for (const b of history.broadcasts) {
    const list = bySender.get(b.sender) ?? [];
    list.push(b);
    bySender.set(b.sender, list);
  }
  const violations: Violation[] = [];
  for (const [node, deliveries] of history.deliveries) {
    const delivered = new Map<string, number>(); // id -> deliver event index
    for (const d of deliveries) {
      if (delivered.has(d.id)) continue;
      delivered.set(d.id, d.event);
      const m2 = history.byId.get(d.id);
      if (!m2) continue;
      const earlier = bySender.get(m2.sender)!;
      // The earliest message from the same sender that should have come first but has not.
      for (let k = 0; k < m2.seq; k++) {
        const m1 = earlier[k]!;
        if (delivered.has(m1.id)) continue;
        const later = deliveries.find((x) => x.id === m1.id && x.event > d.event);
        violations.push({
          property: "FIFO order",
          message:
            `Node ${node} delivered ${m2.id} before ${m1.id}, although ${m2.sender} broadcast ${m1.id} before ${m2.id}` +
            (later ? "." : ` (and ${node} never delivered ${m1.id}).`),
          events: later ? [m1.event, m2.event, d.event, later.event] : [m1.event, m2.event, d.event],
        });
        break;
      }
    }
  }
  return violations;
}
