/**
 * Happens-before between broadcasts, as causal broadcast means it (lecture 4, slide "Forms of
 * reliable broadcast"): broadcast(m1) -> broadcast(m2) when m2's sender had broadcast or delivered
 * m1 (or something that depended on it) before broadcasting m2.
 *
 * This is the happens-before relation of lecture 3, taken over the application-level events only:
 * each node's broadcasts and deliveries in its local order, with broadcast(m) -> deliver(m) in
 * place of send -> receive. The trace's own network messages (acks, retransmissions, relays of
 * messages still in a buffer) are left out on purpose: a message that reached a node's broadcast
 * layer but was not yet delivered to the application cannot have influenced the application.
 */
import type { NodeId } from "../sim/protocol";
import type { TraceEvent } from "../sim/trace-events";
import type { BroadcastHistory, BroadcastRecord } from "./broadcast-history";
import { HappensBefore } from "./happens-before";

/** For each broadcast id, the broadcasts that happened before it, in trace order. */
export function broadcastDependencies(history: BroadcastHistory): Map<string, BroadcastRecord[]> {
  // Synthetic trace: a broadcast is a "send" of message k, a delivery a "receive" of it.
  const msgIdOf = new Map<string, number>(history.broadcasts.map((b, k) => [b.id, k]));
  type Item = { i: number; node: NodeId; msgId: number; kind: "send" | "receive" };
  const items: Item[] = history.broadcasts.map((b, k) => ({ i: b.event, node: b.sender, msgId: k, kind: "send" }));
  for (const list of history.deliveries.values()) {
    for (const d of list) {
      const msgId = msgIdOf.get(d.id);
      if (msgId === undefined || d.event < history.broadcasts[msgId]!.event) continue; // created or impossible
      items.push({ i: d.event, node: d.node, msgId, kind: "receive" });
    }
  }
  items.sort((a, b) => a.i - b.i);
  const events = items.map(
    (x) =>
      (x.kind === "send"
        ? { kind: "send", i: x.i, t: 0, node: x.node, local: 0, msgId: x.msgId, to: x.node, msg: { type: "broadcast" }, layer: "app" }
        : { kind: "receive", i: x.i, t: 0, node: x.node, local: 0, msgId: x.msgId, from: x.node, msg: { type: "broadcast" }, copy: 0 }) as TraceEvent,
  );
  const hb = new HappensBefore({ events, nodes: history.nodes });
  const deps = new Map<string, BroadcastRecord[]>();
  for (const m2 of history.broadcasts) {
    deps.set(m2.id, history.broadcasts.filter((m1) => m1 !== m2 && hb.happensBefore(m1.event, m2.event)));
  }
  return deps;
}
