/**
 * Total order (lecture 4, slide "Forms of reliable broadcast"): if m1 is delivered before m2 on one
 * node, then m1 must be delivered before m2 on all nodes, including the sender's delivery to
 * itself. A node that delivers m2 but never m1 breaks it too (it did not deliver m1 before m2).
 *
 * Checked for every ordered pair of nodes (p, q): whenever q delivers m2, every message p delivered
 * before m2 must already have been delivered at q. One violation (the first) per pair of nodes.
 */
import type { TraceEvent } from "../sim/trace-events";
import { broadcastHistory, type BroadcastHistory, type DeliveryRecord } from "./broadcast-history";
import { checkResult, type CheckResult, type Violation } from "./check-result";
import type { OrderCheckOptions } from "./fifo-order";
import type { TraceLike } from "./trace-like";

export function checkTotalOrder(trace: TraceLike | readonly TraceEvent[], options: OrderCheckOptions = {}): CheckResult {
  return checkResult(totalOrderViolations(broadcastHistory(trace, options)), options.maxViolations);
}

/** First deliveries only: repeats are a reliability problem, not an ordering one. */
function firstDeliveries(list: readonly DeliveryRecord[]): DeliveryRecord[] {
  const seen = new Set<string>();
  return list.filter((d) => (seen.has(d.id) ? false : (seen.add(d.id), true)));
}

export function totalOrderViolations(history: BroadcastHistory): Violation[] {
  const sequences = new Map<string, DeliveryRecord[]>();
  for (const [node, list] of history.deliveries) sequences.set(node, firstDeliveries(list));
  const violations: Violation[] = [];
  const reported = new Set<string>();
  for (const [p, atP] of sequences) {
    const positionAtP = new Map<string, number>(atP.map((d, k) => [d.id, k]));
    for (const [q, atQ] of sequences) {
      if (p === q) continue;
      const deliveredAtQ = new Set<string>();
      let found: Violation | undefined;
      let foundIds: string[] = [];
      for (const d2 of atQ) {
        const position = positionAtP.get(d2.id);
        if (position !== undefined) {
          for (let k = 0; k < position && !found; k++) {
            const d1AtP = atP[k]!;
            if (deliveredAtQ.has(d1AtP.id)) continue;
            const d2AtP = atP[position]!;
            const d1AtQ = atQ.find((x) => x.id === d1AtP.id);
            foundIds = [d1AtP.id, d2.id];
            found = {
              property: "total order",
              message: d1AtQ
                ? `Node ${p} delivered ${d1AtP.id} before ${d2.id}, but node ${q} delivered ${d2.id} before ${d1AtP.id}.`
                : `Node ${p} delivered ${d1AtP.id} before ${d2.id}, but node ${q} delivered ${d2.id} without delivering ${d1AtP.id} first.`,
              events: d1AtQ ? [d1AtP.event, d2AtP.event, d2.event, d1AtQ.event] : [d1AtP.event, d2AtP.event, d2.event],
            };
          }
        }
        if (found) break;
        deliveredAtQ.add(d2.id);
      }
      if (!found) continue;
      // A swap shows up from both sides, (p, q) and (q, p): report it once.
      const key = [[p, q].sort().join("|"), foundIds.sort().join("|")].join("/");
      if (reported.has(key)) continue;
      reported.add(key);
      violations.push(found);
    }
  }
  return violations;
}
