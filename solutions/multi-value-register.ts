/**
 * Reference solution of Exercise 5.3 (the contract is in exercises/multi-value-register.ts): a
 * multi-value register with vector clocks (lecture 5, slide "Concurrent writes by different
 * clients": v2 replaces v1 if t2 > t1; both are kept if t1 || t2).
 */
import type { NodeId, Protocol } from "../src/sim/protocol";

/** A vector clock: node id -> number of that node's writes seen (missing entries are 0). */
export type VectorClock = Readonly<Record<NodeId, number>>;

/** One value of the register with the vector clock of the write that made it. */
export interface Sibling {
  readonly value: unknown;
  readonly clock: VectorClock;
}

export type MvRequest = { readonly type: "write"; readonly value: unknown } | { readonly type: "read" };

export type MvMessage = { readonly type: "Sync"; readonly siblings: readonly Sibling[] };

/** What a replica delivers: one per request. */
export type MvOutput =
  | { readonly op: "write"; readonly value: unknown; readonly clock: VectorClock }
  | { readonly op: "read"; readonly siblings: readonly Sibling[] };

export interface MvRegisterOptions {
  /** Period of anti-entropy (ms, node's monotonic clock). Default 50. */
  readonly antiEntropyMs?: number;
}

export interface MvRegisterState {
  /** The concurrent values: no sibling's clock is <= another's. */
  siblings: Sibling[];
}

export const MV_DEFAULTS = { antiEntropyMs: 50 } as const;

/** t1 <= t2 in the vector clock order: every entry of t1 is <= t2's. */
export function clockLeq(t1: VectorClock, t2: VectorClock): boolean {
  for (const [node, count] of Object.entries(t1)) if (count > (t2[node] ?? 0)) return false;
  return true;
}

/** The entry-wise maximum of some clocks. */
export function clockMerge(clocks: readonly VectorClock[]): Record<NodeId, number> {
  const out: Record<NodeId, number> = {};
  for (const c of clocks) for (const [node, count] of Object.entries(c)) out[node] = Math.max(out[node] ?? 0, count);
  return out;
}

/** Keeps the siblings that no other one supersedes (t1 < t2), one copy of each clock. */
export function prune(siblings: readonly Sibling[]): Sibling[] {
  const out: Sibling[] = [];
  for (const s of siblings) {
    const superseded = siblings.some((o) => o !== s && clockLeq(s.clock, o.clock) && !clockLeq(o.clock, s.clock));
    const copyKept = out.some((o) => clockLeq(o.clock, s.clock) && clockLeq(s.clock, o.clock));
    if (!superseded && !copyKept) out.push(s);
  }
  return out;
}

export function multiValueRegister(options: MvRegisterOptions = {}): Protocol<MvRegisterState, MvMessage, MvRequest> {
  const antiEntropyMs = options.antiEntropyMs ?? MV_DEFAULTS.antiEntropyMs;
  if (!(Number.isFinite(antiEntropyMs) && antiEntropyMs > 0)) throw new RangeError(`multiValueRegister: antiEntropyMs must be a number > 0, got ${String(antiEntropyMs)}`);
  return {
    name: "multi-value-register",
    init: () => ({ siblings: [] }),
    request: (state, req, ctx) => {
      if (req !== null && typeof req === "object" && req.type === "write") {
        // The new write's context is everything this replica has seen: it supersedes all siblings.
        const clock = clockMerge(state.siblings.map((s) => s.clock));
        clock[ctx.nodeId] = (clock[ctx.nodeId] ?? 0) + 1;
        state.siblings = [{ value: req.value, clock }];
        ctx.storage.set("siblings", state.siblings);
        ctx.label(`write ${JSON.stringify(req.value)}`);
        ctx.deliver({ op: "write", value: req.value, clock } satisfies MvOutput);
        for (const other of ctx.nodes) if (other !== ctx.nodeId) ctx.send(other, { type: "Sync", siblings: state.siblings });
      } else if (req !== null && typeof req === "object" && req.type === "read") {
        ctx.deliver({ op: "read", siblings: state.siblings } satisfies MvOutput);
      } else {
        throw new TypeError(`multiValueRegister ${ctx.nodeId}: expected { type: "write", value } or { type: "read" }, got ${JSON.stringify(req)}`);
      }
    },
    receive: {
      // v2 replaces v1 if t1 < t2; both are kept if t1 || t2.
      Sync: (state, msg, _from, ctx) => {
        const merged = prune([...state.siblings, ...msg.siblings]);
        const same = merged.length === state.siblings.length && merged.every((s) => state.siblings.includes(s));
        if (same) return;
        state.siblings = merged;
        ctx.storage.set("siblings", state.siblings);
      },
    },
    periodically: {
      antiEntropy: {
        everyMs: antiEntropyMs,
        run: (state, ctx) => {
          for (const other of ctx.nodes) if (other !== ctx.nodeId) ctx.send(other, { type: "Sync", siblings: state.siblings });
        },
      },
    },
    // on recovery from crash do: the siblings come back from stable storage
    recover: (ctx) => ({ siblings: ctx.storage.get<Sibling[]>("siblings") ?? [] }),
  };
}
