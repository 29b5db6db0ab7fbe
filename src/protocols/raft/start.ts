/**
 * Textbook configurations in a few lines: a Raft node's stable storage from its term, vote and log
 * written as (msg, term) pairs, for a scenario's `initialStorage` or `startingFrom` (a node so
 * started runs Raft's "on recovery from crash" handler, slide 1/9, on that storage).
 */
import type { NodeId } from "../../sim/protocol";
import type { LogEntry } from "./types";

export interface RaftStart {
  readonly currentTerm: number;
  readonly votedFor?: NodeId | null;
  /** The log as (msg, term) pairs, e.g. [["x←3", 1], ["y←1", 1], ["y←9", 2]]. */
  readonly log?: readonly (readonly [unknown, number])[];
  /** How many records are committed (delivered before the run starts). Default 0. */
  readonly commitLength?: number;
}

/** The stable storage of a Raft node in the state `start`; every inconsistency is an error naming it. */
export function raftStorage(start: RaftStart): Record<string, unknown> {
  const { currentTerm } = start;
  if (!Number.isSafeInteger(currentTerm) || currentTerm < 0) throw new RangeError(`raftStorage: currentTerm must be an integer >= 0, got ${String(currentTerm)}`);
  const pairs = start.log ?? [];
  if (!Array.isArray(pairs)) throw new RangeError(`raftStorage: log must be a list of (msg, term) pairs, got ${String(pairs)}`);
  let previous = 0;
  const log: LogEntry[] = pairs.map((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new RangeError(`raftStorage: log[${i}] must be a (msg, term) pair, got ${JSON.stringify(pair)}`);
    const term = pair[1];
    if (!Number.isSafeInteger(term) || term < 1) throw new RangeError(`raftStorage: log[${i}].term must be an integer >= 1, got ${String(term)}`);
    if (term < previous) throw new RangeError(`raftStorage: log[${i}].term is ${term}, below log[${i - 1}].term ${previous} (terms in a log never decrease)`);
    if (term > currentTerm) throw new RangeError(`raftStorage: log[${i}].term is ${term}, above currentTerm ${currentTerm}`);
    previous = term;
    return { msg: pair[0], term };
  });
  const commitLength = start.commitLength ?? 0;
  if (!Number.isSafeInteger(commitLength) || commitLength < 0 || commitLength > log.length) {
    throw new RangeError(`raftStorage: commitLength must be an integer in [0, ${log.length}] (the log's length), got ${String(commitLength)}`);
  }
  return { currentTerm, votedFor: start.votedFor ?? null, log, commitLength, sendSeq: 0, pending: [] };
}
