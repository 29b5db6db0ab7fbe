/**
 * Reliable broadcast (lecture 4, slide "Broadcast protocols": non-faulty nodes deliver every
 * message). Checked over a trace's application-level deliveries (broadcast-history.ts):
 *
 * - validity: every message broadcast by a correct node is delivered by every correct node;
 * - agreement: a message delivered by some correct node is delivered by every correct node
 *   (so a sender that crashes halfway does not leave the survivors disagreeing);
 * - no duplication: no node delivers the same message twice;
 * - no creation: every delivered message was broadcast by some node.
 *
 * "Correct" means never crashed in the trace, unless `correct` lists the nodes. Only meaningful for
 * a run long enough for retransmissions to finish: give the simulation time to quiesce.
 */
import type { NodeId } from "../sim/protocol";
import type { TraceEvent } from "../sim/trace-events";
import { broadcastHistory } from "./broadcast-history";
import { checkResult, type CheckResult, type Violation } from "./check-result";
import type { OrderCheckOptions } from "./fifo-order";
import type { TraceLike } from "./trace-like";

export interface ReliabilityOptions extends OrderCheckOptions {
  /** The nodes that count as correct (default: those with no crash event). */
  readonly correct?: readonly NodeId[];
}

export function checkReliability(trace: TraceLike | readonly TraceEvent[], options: ReliabilityOptions = {}): CheckResult {
  const history = broadcastHistory(trace, options);
  const correct = options.correct ? options.correct.slice() : history.nodes.filter((n) => !history.crashed.has(n));
  for (const node of correct) {
    if (!history.deliveries.has(node)) throw new RangeError(`correct node ${node} is not a node of this trace`);
  }
  const violations: Violation[] = [];
  const deliveredAt = new Map<NodeId, Map<string, number>>(); // node -> id -> first deliver event
  for (const [node, list] of history.deliveries) {
    const first = new Map<string, number>();
    for (const d of list) {
      const earlier = first.get(d.id);
      if (earlier !== undefined) {
        violations.push({
          property: "no duplication",
          message: `Node ${node} delivered ${d.id} more than once.`,
          events: [earlier, d.event],
        });
        continue;
      }
      first.set(d.id, d.event);
      if (!history.byId.has(d.id)) {
        violations.push({
          property: "no creation",
          message: `Node ${node} delivered ${d.id}, which no node broadcast.`,
          events: [d.event],
        });
      }
    }
    deliveredAt.set(node, first);
  }
  const correctSet = new Set(correct);
  for (const b of history.broadcasts) {
    const deliveredBy = correct.filter((node) => deliveredAt.get(node)!.has(b.id));
    const senderCorrect = correctSet.has(b.sender);
    if (!senderCorrect && deliveredBy.length === 0) continue; // a crashed sender's message may vanish
    for (const node of correct) {
      if (deliveredAt.get(node)!.has(b.id)) continue;
      const witness = deliveredBy[0];
      violations.push(
        senderCorrect
          ? {
              property: "validity",
              message: `Correct node ${b.sender} broadcast ${b.id}, but correct node ${node} never delivered it.`,
              events: [b.event],
            }
          : {
              property: "agreement",
              message: `Correct node ${witness} delivered ${b.id} (from ${b.sender}, which crashed), but correct node ${node} never delivered it.`,
              events: [b.event, deliveredAt.get(witness!)!.get(b.id)!],
            },
      );
    }
  }
  return checkResult(violations, options.maxViolations);
}
