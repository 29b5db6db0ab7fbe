// Hostile (8.3): mergeOrSets is honest (union of the adds, union of the tombstones); the protocol is
// a plain set in module memory that every replica adds to, removes from and reads, sending nothing.
// In one shared process every replica sees every add and remove at once, in real-time order, so
// the runs look converged and a remove removes only what was added before it. Expect: the merge
// test passes (2 points, the honest part); a replica in a process of its own sees only its own
// adds and removes and never converges with the others: 2 points.
import type { Protocol } from "../../../../src/sim/protocol";
import type { BroadcastRequest } from "../../../../src/protocols/broadcast/requests";
import type { OrSetMsg, OrSetRead, OrSetRequest, OrSetState, Tagged } from "../../../../src/protocols/crdt/or-set-model";

export function mergeOrSets(s1: { readonly adds: readonly Tagged[]; readonly removed: readonly string[] }, s2: { readonly adds: readonly Tagged[]; readonly removed: readonly string[] }): { adds: Tagged[]; removed: string[] } {
  const adds = new Map<string, Tagged>();
  for (const a of [...s1.adds, ...s2.adds]) adds.set(a.tag, a);
  return {
    adds: [...adds.values()].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0)),
    removed: [...new Set([...s1.removed, ...s2.removed])].sort(),
  };
}

/** The one set, shared by every replica that runs in this process. */
const elements = new Set<string>();

export function orSet(_options: { readonly resendEveryMs: number }): Protocol<OrSetState, OrSetMsg, OrSetRequest, BroadcastRequest> {
  return {
    name: "or-set",
    init: (ctx) => {
      if (ctx.nodeId === ctx.nodes[0]) elements.clear();
      return { adds: [], removed: [], counter: 0 };
    },
    request: (_state, req, ctx) => {
      if (req.type === "read") ctx.deliver({ elements: [...elements].sort() } satisfies OrSetRead);
      else if (req.type === "add") elements.add(req.e);
      else elements.delete(req.e);
    },
    receive: { OrSetState: () => {} },
  };
}
