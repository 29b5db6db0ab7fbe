/**
 * Atomic commitment (lecture 6, slide "Distributed transactions"): for every transaction, either all
 * nodes commit or all abort, and it commits only if every participant voted yes. Read from a trace of
 * the commit protocols in src/protocols/commit, whose nodes deliver `{ type: "voted", T, ok }` and
 * `{ type: "decide", T, outcome }` to the application; the participants of T are the R of its
 * commit request (`{ type: "commit", T, R }`), or given.
 *
 * Properties, each violation naming the nodes:
 *  - agreement: no two nodes decide T differently;
 *  - validity: T commits only if every participant voted yes (a missing vote counts as no);
 *  - integrity: a node decides T at most once.
 * `commitTimeline` gives, per transaction and participant, when it voted and decided: a yes vote
 * with no decision after it is the blocking window of 2PC.
 */
import type { NodeId } from "../sim/protocol";
import type { TraceEvent } from "../sim/trace-events";
import { checkResult, type CheckResult, type Violation } from "./check-result";
import { eventsOf, type TraceLike } from "./trace-like";

export type CommitOutcome = "commit" | "abort";

export interface ParticipantTimeline {
  readonly node: NodeId;
  /** When it voted, and how (null: never voted). */
  votedAtMs: number | null;
  vote: boolean | null;
  /** When it decided, and what (null: never, by the end of the trace). */
  decidedAtMs: number | null;
  outcome: CommitOutcome | null;
  /** A yes vote not followed by a decision by the end of the trace (2PC's blocking). */
  blocked: boolean;
  /** Trace indices of its vote and decision. */
  events: number[];
}

export interface TransactionTimeline {
  readonly T: string;
  readonly participants: NodeId[];
  /** Every node that voted or decided T (participants first). */
  readonly nodes: ParticipantTimeline[];
  /** When the trace ends (ms), to close open windows on a figure. */
  readonly endMs: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Per transaction: its participants and each node's vote and decision, in the order transactions appear. */
export function commitTimeline(trace: TraceLike | readonly TraceEvent[], participants: Record<string, readonly NodeId[]> = {}): TransactionTimeline[] {
  return collect(trace, participants).timelines;
}

function collect(trace: TraceLike | readonly TraceEvent[], participants: Record<string, readonly NodeId[]>): { timelines: TransactionTimeline[]; decidedTwice: Violation[] } {
  const events = eventsOf(trace);
  const byT = new Map<string, { participants: NodeId[]; nodes: Map<NodeId, ParticipantTimeline> }>();
  const txn = (T: string) => {
    let entry = byT.get(T);
    if (entry === undefined) {
      entry = { participants: participants[T] ? [...participants[T]] : [], nodes: new Map() };
      byT.set(T, entry);
    }
    return entry;
  };
  const at = (T: string, node: NodeId) => {
    const entry = txn(T);
    let timeline = entry.nodes.get(node);
    if (timeline === undefined) {
      timeline = { node, votedAtMs: null, vote: null, decidedAtMs: null, outcome: null, blocked: false, events: [] };
      entry.nodes.set(node, timeline);
    }
    return timeline;
  };
  let endMs = 0;
  const decidedTwice: Violation[] = [];
  for (const e of events) {
    endMs = Math.max(endMs, e.t);
    if (e.kind === "request" && isRecord(e.request) && e.request.type === "commit" && typeof e.request.T === "string") {
      const entry = txn(e.request.T);
      if (participants[e.request.T] === undefined && Array.isArray(e.request.R)) entry.participants = (e.request.R as unknown[]).map(String);
      continue;
    }
    if (e.kind !== "deliver" || !e.app || !isRecord(e.value) || typeof e.value.T !== "string") continue;
    const timeline = at(e.value.T, e.node);
    if (e.value.type === "voted" && timeline.votedAtMs === null) {
      timeline.votedAtMs = e.t;
      timeline.vote = e.value.ok === true;
      timeline.events.push(e.i);
    } else if (e.value.type === "decide") {
      const outcome = e.value.outcome as CommitOutcome;
      if (timeline.outcome !== null) {
        decidedTwice.push({ property: "integrity", message: `${e.node} decided ${e.value.T} twice (${timeline.outcome}, then ${outcome} at ${e.t} ms)`, events: [...timeline.events, e.i] });
        continue;
      }
      timeline.decidedAtMs = e.t;
      timeline.outcome = outcome;
      timeline.events.push(e.i);
    }
  }
  const result: TransactionTimeline[] = [];
  for (const [T, entry] of byT) {
    for (const p of entry.participants) at(T, p);
    const nodes = [...entry.nodes.values()].sort((a, b) => rank(entry.participants, a.node) - rank(entry.participants, b.node));
    for (const n of nodes) n.blocked = n.vote === true && n.outcome === null;
    result.push({ T, participants: entry.participants, nodes, endMs });
  }
  return { timelines: result, decidedTwice };
}

function rank(participants: readonly NodeId[], node: NodeId): number {
  const i = participants.indexOf(node);
  return i < 0 ? participants.length : i;
}

/** Agreement, validity and integrity of every transaction in the trace. */
export function checkAtomicCommit(trace: TraceLike | readonly TraceEvent[], participants: Record<string, readonly NodeId[]> = {}): CheckResult {
  const { timelines, decidedTwice } = collect(trace, participants);
  const violations: Violation[] = [...decidedTwice];
  for (const txn of timelines) {
    const committed = txn.nodes.filter((n) => n.outcome === "commit");
    const aborted = txn.nodes.filter((n) => n.outcome === "abort");
    if (committed.length > 0 && aborted.length > 0) {
      violations.push({
        property: "agreement",
        message: `${txn.T}: ${names(committed)} committed but ${names(aborted)} aborted`,
        events: [...committed, ...aborted].flatMap((n) => n.events),
      });
    }
    if (committed.length > 0) {
      const notYes = txn.participants.map((p) => txn.nodes.find((n) => n.node === p)!).filter((n) => n.vote !== true);
      if (notYes.length > 0) {
        const why = notYes.map((n) => `${n.node} ${n.vote === false ? "voted no" : "never voted"}`).join(", ");
        violations.push({
          property: "validity",
          message: `${txn.T}: committed at ${names(committed)} although ${why}`,
          events: [...committed, ...notYes].flatMap((n) => n.events),
        });
      }
    }
  }
  return checkResult(violations);
}

function names(nodes: readonly ParticipantTimeline[]): string {
  return nodes.map((n) => n.node).join(", ");
}
