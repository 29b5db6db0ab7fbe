/**
 * Exercise 5.3: a multi-value register with vector clocks (lecture 5, slide "Concurrent writes by
 * different clients": "v2 replaces v1 if t2 > t1; preserve both {v1, v2} if t1 || t2").
 *
 * Every node is a replica of one register. It holds a set of **siblings**, each a value with the
 * vector clock of the write that made it; no sibling's clock is <= another's. Requests:
 *   { type: "write", value } and { type: "read" }.
 *
 *   on request (write, v) at replica N do
 *     t := clockMerge(clocks of all my siblings); t[N] := t[N] + 1
 *     siblings := [(v, t)]            // the write has seen all my siblings, so it supersedes them
 *     ctx.deliver({ op: "write", value: v, clock: t })
 *     send (Sync, siblings) to every other replica
 *   on request (read) do
 *     ctx.deliver({ op: "read", siblings })
 *   on receiving (Sync, siblings') do
 *     siblings := prune(siblings ∪ siblings')   // drop each sibling whose clock is < another's,
 *                                               // keep one copy of equal clocks, keep concurrent ones
 *   periodically (every antiEntropyMs) do send (Sync, siblings) to every other replica
 *   on recovery from crash do: siblings from ctx.storage
 *
 * Write the helpers too: clockLeq(t1, t2) (t1 <= t2: every entry of t1 is <= t2's, missing
 * entries count as 0), clockMerge(clocks) (entry-wise maximum; [] gives {}), prune(siblings).
 * The only message is { type: "Sync", siblings } carrying all your current siblings, sent on every
 * write and periodically, and merged on every receipt: so a replica knows of exactly the writes
 * that happened before (in the sense of lecture 4) its current event. Keep siblings in ctx.storage.
 *
 * What the tests observe (the trace, written by the grader; every replica runs in a process of its
 * own): 2-4 replicas, writes of distinct values and reads at random replicas and times, over a
 * network that loses, duplicates and reorders messages, with partitions that heal and
 * crash-recoveries; then a read at every replica after every fault has healed. They check, for each
 * read, with the happens-before relation computed from the trace itself:
 *   - the values it returns are exactly the writes that happened before the read and are not
 *     superseded by another such write (the concurrent ones are all there: none discarded, none
 *     superseded kept);
 *   - each returned sibling carries its write's clock;
 * and the final reads agree at every replica.
 *
 * Check it in the notebook:
 *   import { checkExercise } from "./src/grading/notebook";
 *   import * as myMvr from "./exercises/multi-value-register";
 *   const mvrResults = await checkExercise("5.3", myMvr);
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

/** The replica's state (a suggestion: change the members as you like, keep the name). */
export interface MvRegisterState {
  /** The concurrent values: no sibling's clock is <= another's. */
  siblings: Sibling[];
}

export const MV_DEFAULTS = { antiEntropyMs: 50 } as const;

/** t1 <= t2 in the vector clock order: every entry of t1 is <= t2's. */
export function clockLeq(t1: VectorClock, t2: VectorClock): boolean {
  throw new Error("Exercise 5.3 not implemented yet: clockLeq");
}

/** The entry-wise maximum of some clocks. */
export function clockMerge(clocks: readonly VectorClock[]): Record<NodeId, number> {
  throw new Error("Exercise 5.3 not implemented yet: clockMerge");
}

/** Keeps the siblings that no other one supersedes (t1 < t2), one copy of each clock. */
export function prune(siblings: readonly Sibling[]): Sibling[] {
  throw new Error("Exercise 5.3 not implemented yet: prune");
}

export function multiValueRegister(options: MvRegisterOptions = {}): Protocol<MvRegisterState, MvMessage, MvRequest> {
  const antiEntropyMs = options.antiEntropyMs ?? MV_DEFAULTS.antiEntropyMs;
  return {
    name: "multi-value-register",
    init: () => ({ siblings: [] }),
    request: (state, req, ctx) => {
      throw new Error("Exercise 5.3 not implemented yet: multiValueRegister, on request (write, read)");
    },
    receive: {
      Sync: (state, msg, from, ctx) => {
        throw new Error("Exercise 5.3 not implemented yet: multiValueRegister, on receiving Sync");
      },
    },
    periodically: {
      antiEntropy: {
        everyMs: antiEntropyMs,
        run: (state, ctx) => {
          throw new Error("Exercise 5.3 not implemented yet: multiValueRegister, periodically (anti-entropy)");
        },
      },
    },
    recover: (ctx) => {
      throw new Error("Exercise 5.3 not implemented yet: multiValueRegister, on recovery from crash");
    },
  };
}
