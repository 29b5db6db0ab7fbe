/**
 * Invariants and goals over the explorer's global states, for the properties the course states:
 * FIFO order of broadcast deliveries, no duplicated deliveries, "some node delivered".
 * Each reads only what the state holds: the requests issued and each node's deliveries.
 */
import type { NodeId } from "../sim/protocol";
import { canonical } from "./canonical";
import type { ExploreState, Goal, Invariant } from "./types";

/** The m of a `{ type: "broadcast", m }` request (the broadcast layers' requests), else undefined. */
function broadcastValue(request: unknown): { m: unknown } | undefined {
  if (typeof request !== "object" || request === null) return undefined;
  const r = request as { type?: unknown; m?: unknown };
  return r.type === "broadcast" ? { m: r.m } : undefined;
}

/**
 * FIFO order (lecture 4, "Forms of reliable broadcast"): at every node, the messages delivered from
 * one sender are a prefix of what that sender broadcast, in the order it broadcast them: a node may
 * not deliver a sender's m2 before its m1. (Messages must be distinct values; duplicates are
 * `noDuplicateDelivery`'s business and are skipped here.)
 */
export function fifoOrder(): Invariant {
  return {
    name: "FIFO order",
    holds(state: ExploreState): boolean | string {
      const sent = new Map<NodeId, string[]>();
      for (const [node, requests] of Object.entries(state.issued)) {
        sent.set(node, requests.map(broadcastValue).filter((b) => b !== undefined).map((b) => canonical(b!.m)));
      }
      for (const [node, n] of Object.entries(state.nodes)) {
        const next = new Map<NodeId, number>();
        const done = new Set<string>();
        for (const d of n.deliveries) {
          if (d.from === undefined) continue;
          const id = canonical(d.value);
          if (done.has(`${d.from} ${id}`)) continue;
          done.add(`${d.from} ${id}`);
          const expected = sent.get(d.from) ?? [];
          const k = next.get(d.from) ?? 0;
          if (expected[k] !== id) {
            const position = expected.indexOf(id);
            const missing = k < expected.length ? expected[k]! : "(nothing: never broadcast)";
            return position < 0
              ? `node ${node} delivered ${id} from ${d.from}, which ${d.from} never broadcast`
              : `node ${node} delivered ${id} before ${missing}, although ${d.from} broadcast ${missing} first`;
          }
          next.set(d.from, k + 1);
        }
      }
      return true;
    },
  };
}

/** No node delivers the same value from the same sender twice (reliable broadcast's "no duplication"). */
export function noDuplicateDelivery(): Invariant {
  return {
    name: "no duplication",
    holds(state: ExploreState): boolean | string {
      for (const [node, n] of Object.entries(state.nodes)) {
        const done = new Set<string>();
        for (const d of n.deliveries) {
          const id = `${d.from} ${canonical(d.value)}`;
          if (done.has(id)) return `node ${node} delivered ${canonical(d.value)} from ${d.from} twice`;
          done.add(id);
        }
      }
      return true;
    },
  };
}

/** A goal: `node` (or, without one, some node) has delivered a value for which `which` holds. */
export function delivered(name: string, which: (value: unknown) => boolean = () => true, node?: NodeId): Goal {
  return {
    name,
    reached: (state) => Object.entries(state.nodes).some(([id, n]) => (node === undefined || id === node) && n.deliveries.some((d) => which(d.value))),
  };
}
