// Hostile (8.2): mergeMaps is the slide's ⊔, honestly written; the protocol is not. Every replica
// reads and writes one module-level map and never broadcasts, so in one shared process every read
// sees every write at once, and the replicas "converge" through memory instead of merging states.
// Expect: the merge-law test passes (3 points, the honest part); each replica in a process of its
// own has only its own writes, so the runs diverge, and the search refuses handlers whose results
// depend on memory outside the node's state: 3 points.
import type { Protocol } from "../../../../src/sim/protocol";
import type { BroadcastRequest } from "../../../../src/protocols/broadcast/requests";
import type { MapEntry, MapRead, MapRequest, MapState, StateMsg, Timestamp } from "../../../../src/protocols/crdt/map-crdt";

// Written out here: only type imports may name the kit by this folder's path.
const timestampLess = (a: Timestamp, b: Timestamp) => a.L < b.L || (a.L === b.L && a.N < b.N);
const readKey = (values: readonly MapEntry[], k: string) => values.find((e) => e.k === k)?.v ?? null;

export function mergeMaps(s1: readonly MapEntry[], s2: readonly MapEntry[]): MapEntry[] {
  const union = [...s1, ...s2];
  const merged: MapEntry[] = [];
  for (const e of union) {
    if (union.some((o) => o.k === e.k && timestampLess(e.t, o.t))) continue;
    if (merged.some((m) => m.k === e.k && m.t.L === e.t.L && m.t.N === e.t.N)) continue;
    merged.push(e);
  }
  return merged.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
}

/** The one copy of the map, shared by every replica that runs in this process. */
const shared: MapState = { values: [], clock: 0 };

export function stateBasedMap(_options: { readonly resendEveryMs?: number } = {}): Protocol<MapState, StateMsg, MapRequest, BroadcastRequest> {
  return {
    name: "state-based-map",
    init: (ctx) => {
      if (ctx.nodeId === ctx.nodes[0]) {
        shared.values = [];
        shared.clock = 0;
      }
      return { values: [], clock: 0 };
    },
    request: (state, req, ctx) => {
      if (req.type === "read") {
        ctx.deliver({ read: req.k, value: readKey(shared.values, req.k) } satisfies MapRead);
        return;
      }
      shared.clock += 1;
      shared.values = shared.values.filter((e) => e.k !== req.k).concat([{ t: { L: shared.clock, N: ctx.nodeId }, k: req.k, v: req.v }]);
      state.values = shared.values;
      state.clock = shared.clock;
    },
    receive: { MapState: () => {} },
  };
}
