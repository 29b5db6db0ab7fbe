// Hostile: the helpers are right, but every replica keeps its siblings in one module-level list and
// sends nothing, so in one shared process a read sees every write at once. Expect: the helpers' test
// passes (1 point); each replica in a process of its own sees only its own writes, so every run
// with writes at two replicas fails.
import type { NodeId, Protocol } from "../../../../src/sim/protocol";

export type VectorClock = Readonly<Record<NodeId, number>>;
export interface Sibling { readonly value: unknown; readonly clock: VectorClock }
export type MvRequest = { readonly type: "write"; readonly value: unknown } | { readonly type: "read" };
export type MvMessage = { readonly type: "Sync"; readonly siblings: readonly Sibling[] };
export type MvOutput =
  | { readonly op: "write"; readonly value: unknown; readonly clock: VectorClock }
  | { readonly op: "read"; readonly siblings: readonly Sibling[] };
export interface MvRegisterOptions { readonly antiEntropyMs?: number }
export interface MvRegisterState { siblings: Sibling[] }
export const MV_DEFAULTS = { antiEntropyMs: 50 } as const;

export function clockLeq(t1: VectorClock, t2: VectorClock): boolean {
  return Object.entries(t1).every(([n, k]) => k <= (t2[n] ?? 0));
}
export function clockMerge(clocks: readonly VectorClock[]): Record<NodeId, number> {
  const out: Record<NodeId, number> = {};
  for (const c of clocks) for (const [n, k] of Object.entries(c)) out[n] = Math.max(out[n] ?? 0, k);
  return out;
}
export function prune(siblings: readonly Sibling[]): Sibling[] {
  const out: Sibling[] = [];
  for (const s of siblings) {
    if (siblings.some((o) => clockLeq(s.clock, o.clock) && !clockLeq(o.clock, s.clock))) continue;
    if (out.some((o) => clockLeq(o.clock, s.clock) && clockLeq(s.clock, o.clock))) continue;
    out.push(s);
  }
  return out;
}

const shared: MvRegisterState = { siblings: [] };

export function multiValueRegister(options: MvRegisterOptions = {}): Protocol<MvRegisterState, MvMessage, MvRequest> {
  return {
    name: "multi-value-register",
    init: (ctx) => {
      if (ctx.nodeId === ctx.nodes[0]) shared.siblings = [];
      return shared;
    },
    request: (_state, req, ctx) => {
      if (req.type === "read") {
        ctx.deliver({ op: "read", siblings: shared.siblings });
        return;
      }
      const clock = clockMerge(shared.siblings.map((s) => s.clock));
      clock[ctx.nodeId] = (clock[ctx.nodeId] ?? 0) + 1;
      shared.siblings = [{ value: req.value, clock }];
      ctx.deliver({ op: "write", value: req.value, clock });
    },
    receive: { Sync: () => {} },
    periodically: { antiEntropy: { everyMs: options.antiEntropyMs ?? 50, run: () => {} } },
  };
}
