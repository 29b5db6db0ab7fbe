/**
 * FIFO order (lecture 4, slide "Forms of reliable broadcast"; lecture 2's FIFO links): if m1 and m2
 * are sent by the same node, m1 first, then m1 must be delivered before m2. For broadcast this holds
 * at every node; for a link, at the one receiver the two were sent to. Since a node's sends are
 * ordered by its own execution, "send(m1) -> send(m2)" for one sender just means m1 was sent first.
 *
 * A node that delivers m2 without ever delivering m1 breaks the property too. Deliveries of
 * messages that were never sent, and repeated deliveries, are left to the reliability checks.
 *
 * fifoBreaches is the one implementation of the property, on one sender -> receiver stream; the
 * broadcast checker here (checkFifoOrder), the link checker (checkLinkDeliveries) and the graded
 * FIFO link checks (src/grading/specs/link-checks.ts) all call it and only word the result.
 * Broadcast messages are identified as described in broadcast-history.ts.
 */
import type { NodeId } from "../sim/protocol";
import type { TraceEvent } from "../sim/trace-events";
import { broadcastHistory, type BroadcastHistory, type HistoryOptions } from "./broadcast-history";
import { checkResult, type CheckResult, type Violation } from "./check-result";
import type { TraceLike } from "./trace-like";

/** A message of a stream: its id, and the trace index of the event that sent (or delivered) it. */
export interface StreamMessage {
  readonly id: string;
  readonly event: number;
}

/** One FIFO violation: at `receiver`, `later` was delivered while `earlier` had not been. */
export interface FifoBreach {
  readonly sender: NodeId;
  readonly receiver: NodeId;
  /** The first message sent before `later` and not delivered before it; position counts from 0. */
  readonly earlier: StreamMessage & { readonly position: number };
  /** The message delivered too early (its send event and position). */
  readonly later: StreamMessage & { readonly position: number };
  /** Trace index of the delivery of `later` that came too early. */
  readonly delivery: number;
  /** Trace index of the first delivery of `earlier` after that, if it was ever delivered. */
  readonly lateDelivery?: number;
}

/**
 * The FIFO violations of one stream: `sent` are sender's messages to receiver in sending order,
 * `delivered` the receiver's deliveries of messages from sender, in delivery order. Each first
 * delivery of a message while an earlier one is still undelivered is one breach, naming the first
 * such earlier message. Ids should be distinct in `sent` (a repeated id stands for its first send).
 */
export function fifoBreaches(
  sender: NodeId,
  receiver: NodeId,
  sent: readonly StreamMessage[],
  delivered: readonly StreamMessage[],
): FifoBreach[] {
  const position = new Map<string, number>();
  sent.forEach((m, k) => {
    if (!position.has(m.id)) position.set(m.id, k);
  });
  const breaches: FifoBreach[] = [];
  const done = new Set<string>(); // ids delivered so far
  let prefix = 0; // every message at a position below this has been delivered
  delivered.forEach((d, j) => {
    const p = position.get(d.id);
    if (p === undefined || done.has(d.id)) return;
    done.add(d.id);
    while (prefix < sent.length && done.has(sent[prefix]!.id)) prefix += 1;
    if (p < prefix) return; // nothing before it is missing
    const earlier = sent[prefix]!;
    const late = delivered.slice(j + 1).find((x) => x.id === earlier.id);
    breaches.push({
      sender,
      receiver,
      earlier: { ...earlier, position: prefix },
      later: { ...sent[p]!, position: p },
      delivery: d.event,
      ...(late === undefined ? {} : { lateDelivery: late.event }),
    });
  });
  return breaches;
}

export interface OrderCheckOptions extends HistoryOptions {
  /** At most this many violations are listed (default 50). */
  readonly maxViolations?: number;
}

export function checkFifoOrder(trace: TraceLike | readonly TraceEvent[], options: OrderCheckOptions = {}): CheckResult {
  return checkResult(fifoViolations(broadcastHistory(trace, options)), options.maxViolations);
}

/** The FIFO violations in a broadcast history (shared with checkFifoTotalOrder). */
export function fifoViolations(history: BroadcastHistory): Violation[] {
  const bySender = new Map<NodeId, StreamMessage[]>();
  for (const b of history.broadcasts) {
    const list = bySender.get(b.sender) ?? [];
    list.push({ id: b.id, event: b.event });
    bySender.set(b.sender, list);
  }
  const violations: Violation[] = [];
  for (const [node, deliveries] of history.deliveries) {
    const fromSender = new Map<NodeId, StreamMessage[]>();
    for (const d of deliveries) {
      const sender = history.byId.get(d.id)?.sender;
      if (sender === undefined) continue;
      const list = fromSender.get(sender) ?? [];
      list.push({ id: d.id, event: d.event });
      fromSender.set(sender, list);
    }
    const breaches: FifoBreach[] = [];
    for (const [sender, delivered] of fromSender) breaches.push(...fifoBreaches(sender, node, bySender.get(sender)!, delivered));
    breaches.sort((a, b) => a.delivery - b.delivery);
    for (const { sender, earlier: m1, later: m2, delivery, lateDelivery } of breaches) {
      violations.push({
        property: "FIFO order",
        message:
          `Node ${node} delivered ${m2.id} before ${m1.id}, although ${sender} broadcast ${m1.id} before ${m2.id}` +
          (lateDelivery !== undefined ? "." : ` (and ${node} never delivered ${m1.id}).`),
        events: lateDelivery !== undefined ? [m1.event, m2.event, delivery, lateDelivery] : [m1.event, m2.event, delivery],
      });
    }
  }
  return violations;
}
