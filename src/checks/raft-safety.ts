/**
 * Raft's safety properties (the Raft paper, Figure 3; lecture 7 "Raft (1/9)-(9/9)"), checked at
 * every step of a run or over a finished trace:
 *
 * - election safety: at most one leader is elected in a term;
 * - log matching: if two logs hold a record with the same index and term, the logs are identical
 *   up to and including that index;
 * - leader completeness: a record committed in term t is in the log of every leader of a later term;
 * - state machine safety: no two nodes commit (deliver) different records at the same index.
 *
 * The monitor sees node states as `RaftSnapshot`s (term, role, vote, log as [term, msg] pairs,
 * commitLength: see ./raft-snapshots.ts), one node at a time, as they change. It keeps
 * the history it needs: the first leader seen in each term, and each committed index with the
 * record and the term of the commit (the term of the record at the commit point: Raft commits a
 * record only when a record of the leader's current term ends the committed prefix, slide 9/9). A
 * violation names the nodes, terms and indices, and the trace events that show it.
 *
 * Sources of snapshots: `checkRaftTrace(trace)` reads the `{ raft }` annotations that
 * `withRaftSnapshots` leaves in a trace (and adds lecture 4's FIFO-total order and no duplication
 * over the deliveries); `watchRaft(sim)` reads live node states after every event of a simulation;
 * the explorer's invariant `raftSafety()` (src/explore/invariants.ts) reads its states.
 */
import type { NodeId } from "../sim/protocol";
import type { TraceEvent } from "../sim/trace-events";
import { broadcastHistory } from "./broadcast-history";
import { checkResult, type CheckResult, type Violation } from "./check-result";
import { fifoViolations } from "./fifo-order";
import { totalOrderViolations } from "./total-order";
import { eventsOf, type TraceLike } from "./trace-like";

/** A node's Raft state as the checkers see it (the shape of src/protocols/raft/snapshots.ts). */
export interface RaftView {
  readonly term: number;
  readonly role: string;
  readonly votedFor?: NodeId | null;
  /** Each record as [term, msg as JSON]. */
  readonly log: readonly (readonly [number, string])[];
  readonly commitLength: number;
}

interface Committed {
  readonly term: number;
  readonly msg: string;
  /** The term in which it was committed (the term of the record that ended the committed prefix). */
  readonly commitTerm: number;
  readonly node: NodeId;
  readonly event: number;
}

function describeRecord(term: number, msg: string): string {
  return `(${msg}, term ${term})`;
}

/**
 * Follows one run's Raft states and reports the first violation of each kind per (nodes, term,
 * index), as it happens. Feed it with `observe(node, view, event)` whenever a node's state changes,
 * and `crashed(node)` when a node loses its memory (its log stays: it is stable).
 */
export class RaftSafetyMonitor {
  readonly violations: Violation[] = [];
  private readonly views = new Map<NodeId, { view: RaftView; event: number; up: boolean }>();
  private readonly leaders = new Map<number, { node: NodeId; event: number }>();
  private readonly committed: Committed[] = [];
  private readonly reported = new Set<string>();

  /** The committed records so far, in index order, as [term, msg]. */
  get committedLog(): readonly (readonly [number, string])[] {
    return this.committed.map((c) => [c.term, c.msg] as const);
  }

  crashed(node: NodeId): void {
    const known = this.views.get(node);
    if (known !== undefined) known.up = false;
  }

  /** Checks node's new state against the history and the other nodes' latest states; returns the new violations. */
  observe(node: NodeId, view: RaftView, event: number = -1): Violation[] {
    const found: Violation[] = [];
    const report = (key: string, violation: Violation) => {
      if (this.reported.has(key)) return;
      this.reported.add(key);
      found.push(violation);
    };
    const previous = this.views.get(node);
    this.views.set(node, { view, event, up: true });
    const at = (e: number) => (e >= 0 ? [e] : []);

    // Election safety: one leader per term.
    if (view.role === "leader") {
      const first = this.leaders.get(view.term);
      if (first === undefined) this.leaders.set(view.term, { node, event });
      else if (first.node !== node) {
        report(`election ${view.term}`, {
          property: "election safety",
          message: `Nodes ${first.node} and ${node} were both leader in term ${view.term}.`,
          events: [...at(first.event), ...at(event)],
        });
      }
    }

    // State machine safety: what node commits now must match what was committed at each index.
    const from = previous?.view.commitLength ?? 0;
    if (view.commitLength > view.log.length) {
      report(`commit-beyond ${node} ${view.commitLength}`, {
        property: "state machine safety",
        message: `Node ${node} has commitLength ${view.commitLength} but its log holds only ${view.log.length} records.`,
        events: at(event),
      });
    }
    const commitTerm = view.commitLength > 0 && view.commitLength <= view.log.length ? view.log[view.commitLength - 1]![0] : 0;
    for (let i = 0; i < Math.min(view.commitLength, view.log.length); i++) {
      const [term, msg] = view.log[i]!;
      const known = this.committed[i];
      if (known === undefined) {
        this.committed[i] = { term, msg, commitTerm, node, event };
        continue;
      }
      if (known.term !== term || known.msg !== msg) {
        report(`sms ${i} ${[known.node, node].sort().join(" ")}`, {
          property: i < from ? "state machine safety (a committed record changed)" : "state machine safety",
          message: `Node ${known.node} committed ${describeRecord(known.term, known.msg)} at index ${i}, but node ${node} committed ${describeRecord(term, msg)} there.`,
          events: [...at(known.event), ...at(event)],
        });
      }
    }

    // Log matching: same index and term means identical logs up to there.
    for (const [other, { view: theirs, event: theirEvent }] of this.views) {
      if (other === node) continue;
      const n = Math.min(view.log.length, theirs.log.length);
      let last = -1;
      for (let i = n - 1; i >= 0; i--) {
        if (view.log[i]![0] === theirs.log[i]![0]) {
          last = i;
          break;
        }
      }
      for (let i = 0; i <= last; i++) {
        const [t1, m1] = view.log[i]!;
        const [t2, m2] = theirs.log[i]!;
        if (t1 !== t2 || m1 !== m2) {
          report(`matching ${[node, other].sort().join(" ")} ${last}`, {
            property: "log matching",
            message: `Nodes ${node} and ${other} both hold a record of term ${view.log[last]![0]} at index ${last}, but differ at index ${i}: ${describeRecord(t1, m1)} at ${node}, ${describeRecord(t2, m2)} at ${other}.`,
            events: [...at(theirEvent), ...at(event)],
          });
          break;
        }
      }
    }

    // Leader completeness: every leader holds what was committed in earlier terms.
    for (const [leader, { view: lv, event: leaderEvent, up }] of this.views) {
      if (!up || lv.role !== "leader") continue;
      for (let i = 0; i < this.committed.length; i++) {
        const c = this.committed[i];
        if (c === undefined || c.commitTerm >= lv.term) continue;
        const mine = lv.log[i];
        if (mine === undefined || mine[0] !== c.term || mine[1] !== c.msg) {
          report(`completeness ${leader} ${lv.term} ${i}`, {
            property: "leader completeness",
            message: `Node ${leader}, leader in term ${lv.term}, lacks ${describeRecord(c.term, c.msg)} at index ${i}, committed in term ${c.commitTerm} by node ${c.node}` +
              (mine === undefined ? " (its log is shorter)." : `; it holds ${describeRecord(mine[0], mine[1])} there.`),
            events: [...at(c.event), ...at(leader === node ? event : leaderEvent)],
          });
          break;
        }
      }
    }

    this.violations.push(...found);
    return found;
  }
}

/** The `{ raft }` snapshot annotations of a trace, fed to a monitor in trace order. */
export function raftSafetyViolations(trace: TraceLike | readonly TraceEvent[]): Violation[] {
  const monitor = new RaftSafetyMonitor();
  let seen = 0;
  for (const e of eventsOf(trace)) {
    if (e.kind === "crash") {
      monitor.crashed(e.node);
      continue;
    }
    const view = (e as { annotations?: { raft?: RaftView } }).annotations?.raft;
    if (view === undefined || !("node" in e)) continue;
    seen++;
    monitor.observe(e.node, view, e.i);
  }
  if (seen === 0) {
    throw new RangeError("checkRaftTrace: the trace has no { raft } annotations: run the protocol wrapped in withRaftSnapshots (src/protocols/raft)");
  }
  return monitor.violations;
}

/**
 * Every safety property of Raft over a finished trace: the four above, from the snapshots in its
 * annotations, and "delivered messages form one total order" (lecture 4: FIFO-total order, and no
 * node delivers a message twice) from its application deliveries.
 */
export function checkRaftTrace(trace: TraceLike | readonly TraceEvent[], options: { maxViolations?: number } = {}): CheckResult {
  const violations = raftSafetyViolations(trace);
  const history = broadcastHistory(trace);
  for (const v of [...fifoViolations(history), ...totalOrderViolations(history)]) {
    violations.push({ ...v, property: `FIFO-total order (${v.property})` });
  }
  for (const [node, list] of history.deliveries) {
    const seen = new Map<string, number>();
    for (const d of list) {
      const earlier = seen.get(d.id);
      if (earlier !== undefined) {
        violations.push({ property: "no duplication", message: `Node ${node} delivered ${d.id} twice.`, events: [earlier, d.event] });
        break;
      }
      seen.set(d.id, d.event);
    }
  }
  return checkResult(violations, options.maxViolations);
}
