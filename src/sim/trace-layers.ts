/**
 * A run seen at one protocol layer of a stack ("Receiving versus delivering": what reliable
 * broadcast hands to the FIFO layer, without the link's RlData and RlAck arrows).
 *
 * The layers of a node are in its init event (`protocol: "fifo-broadcast/eager-reliable-broadcast/
 * reliable-link"`, top first). At layer L, a message is what the layer below L hands up to L: each
 * such delivery becomes a receive, from the node whose network message caused it (the receive just
 * before it, in the same step), and its arrow starts at that message's first transmission (the
 * first send from that node to this one with the same content). Retransmissions, duplicates and
 * acknowledgements of the layers below disappear, and so do hand-ups of a node's own messages; what
 * L and the layers above it did stays: requests, their deliveries, their own sends and timers, and
 * every fault.
 */
import type { NodeId } from "./protocol";
import type { ReceiveEvent, SendEvent, TraceEvent } from "./trace-events";

/** The layer names of a node's protocol, top first (a protocol that is not a stack is one layer). */
export function layersOf(protocol: string): string[] {
  return protocol.split("/");
}

/** Events of the run as layer `layer` sees it, renumbered from 0 (ready for a new Trace). */
export function eventsAtLayer(events: readonly TraceEvent[], layer: string): TraceEvent[] {
  return viewAtLayer(events, layer).events;
}

/**
 * The same, with `origin[k]`: the index in `events` of the event that view event k stands for (a
 * drawn arrow's send stands for the network send it starts at, its receive for the hand-up), so
 * events a checker named in the full trace can be found in the view.
 */
export function viewAtLayer(events: readonly TraceEvent[], layer: string): { events: TraceEvent[]; origin: number[] } {
  const stackOf = new Map<NodeId, string[]>();
  for (const e of events) if (e.kind === "init") stackOf.set(e.node, layersOf(e.protocol));
  const known = [...stackOf.values()].some((layers) => layers.includes(layer));
  if (!known) {
    const names = [...new Set([...stackOf.values()].flat())];
    throw new Error(`atLayer(${JSON.stringify(layer)}): no node runs that layer (layers: ${names.join(", ") || "none"})`);
  }
  const depth = (node: NodeId, name: string): number => (stackOf.get(node) ?? []).indexOf(name);
  const atOrAbove = (node: NodeId, name: string) => {
    const d = depth(node, name);
    return d >= 0 && d <= depth(node, layer);
  };
  const below = (node: NodeId): string | undefined => {
    const layers = stackOf.get(node) ?? [];
    return layers[layers.indexOf(layer) + 1];
  };

  // First network send of each distinct message per (from, to): retransmissions carry the same content.
  const firstSend = new Map<string, SendEvent>();
  for (const e of events) {
    if (e.kind !== "send" || atOrAbove(e.node, e.layer)) continue;
    const key = `${e.node}\u0000${e.to}\u0000${canonical(e.msg)}`;
    if (!firstSend.has(key)) firstSend.set(key, e);
  }
  const lastReceive = new Map<NodeId, ReceiveEvent>();

  const out: { key: number; event: TraceEvent }[] = [];
  let nextMsgId = 0;
  const layerMsgId = new Map<number, number>(); // msgId of a send by L or above -> kept as is
  for (const e of events) {
    switch (e.kind) {
      case "send":
        if (atOrAbove(e.node, e.layer)) {
          layerMsgId.set(e.msgId, e.msgId);
          out.push({ key: e.i, event: e });
        }
        break;
      case "receive":
        if (layerMsgId.has(e.msgId)) out.push({ key: e.i, event: e });
        else lastReceive.set(e.node, e);
        break;
      case "drop":
      case "duplicate":
        if (layerMsgId.has(e.msgId)) out.push({ key: e.i, event: e });
        break;
      case "deliver":
        if (atOrAbove(e.node, e.layer)) {
          out.push({ key: e.i, event: e });
        } else if (e.layer === below(e.node)) {
          // Handed up to L: the cause is the network message the node received just before, in the same step.
          const cause = lastReceive.get(e.node);
          if (cause === undefined || cause.t !== e.t || cause.from === e.node) break;
          const sent = firstSend.get(`${cause.from}\u0000${e.node}\u0000${canonical(cause.msg)}`);
          if (sent === undefined) break;
          const msg = (isMessage(e.value) ? e.value : { type: "value", value: e.value }) as SendEvent["msg"];
          const msgId = nextMsgId--; // negative ids never clash with the simulator's
          const send: SendEvent = { ...sent, msgId, msg, layer: e.layer };
          const receive: ReceiveEvent = { i: e.i, kind: "receive", t: e.t, node: e.node, local: e.local, msgId, from: cause.from, msg, copy: 0 };
          // The arrow starts at the first transmission; the receipt stands where the lower layer handed it up.
          out.push({ key: sent.i + 1e-6 * (out.length + 1), event: send });
          out.push({ key: e.i, event: receive });
        }
        break;
      case "timer":
        if (atOrAbove(e.node, e.name.split(".")[0] ?? "") || !e.name.includes(".")) out.push({ key: e.i, event: e });
        break;
      default:
        out.push({ key: e.i, event: e });
    }
  }
  out.sort((a, b) => a.key - b.key);
  return { events: out.map(({ event }, i) => ({ ...event, i }) as TraceEvent), origin: out.map(({ event }) => event.i) };
}

function isMessage(value: unknown): value is { type: string } {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

function canonical(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? String(value);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value instanceof Map) return { $map: [...value.entries()].map(sortKeys) };
  if (value instanceof Set) return { $set: [...value.values()].map(sortKeys) };
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

