/**
 * Graded tests of Exercise 6.1, two-phase commit (lecture 6, slides "Two-phase commit (2PC)" and
 * "The coordinator in two-phase commit"): the explorer through every interleaving of a coordinator
 * and two participants with a crash (and a lost message), and seeded runs judged on the grader's
 * trace: atomicity (checkAtomicCommit), and from the happens-before relation that every decision has
 * its reasons before it (a commit after every yes vote; a participant's decision after the
 * coordinator's, unless it voted no itself; the coordinator's abort after a no vote, its timeout or
 * its recovery), votes that answer "is T able to commit here?" truthfully, and how each run must end.
 * The judge is shared with Exercise 6.2 (fault-tolerant-2pc.ts).
 */
import * as fc from "fast-check";
import { checkAtomicCommit } from "../../checks/atomic-commit";
import { happensBeforeOf } from "../../checks/happens-before";
import { ableToCommit } from "../../protocols/commit/types";
import type { NodeId } from "../../sim/protocol";
import type { Scenario, ScenarioFault } from "../../sim/scenario";
import { Trace } from "../../sim/trace";
import { defineExercise, fail, pass, type Verdict } from "../define";
import { searchVerdict, type SearchInput } from "../explore";
import { readTrace } from "../scenarios";
import { drivers, SEARCH_NODES, searchRequests, type CommitRun } from "./drivers/two-phase-commit";

export type { CommitRun };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

interface Stamp {
  readonly i: number;
  readonly t: number;
}

/** The layer name of the kit's single-leader total order broadcast, whose deliveries to the 6.2 layer the judge reads. */
const TOTAL_ORDER_LAYER = "total-order-leader";

/** What the votes delivered so far decide: abort at the first counted no, commit once every participant's first vote is yes. */
function settledByTotalOrder(votes: readonly { replicaId: NodeId; ok: boolean }[], R: readonly NodeId[]): "commit" | "abort" | undefined {
  const first = new Map<NodeId, boolean>();
  for (const vote of votes) {
    if (!R.includes(vote.replicaId) || first.has(vote.replicaId)) continue;
    if (!vote.ok) return "abort";
    first.set(vote.replicaId, true);
    if (R.every((r) => first.get(r) === true)) return "commit";
  }
  return undefined;
}

/**
 * Judges one run of either commit protocol ("2pc": Exercise 6.1, the coordinator `input.coordinator`;
 * "ft": Exercise 6.2, no coordinator). Trusted: reads only the grader's trace.
 */
export function judgeCommitRun(input: CommitRun, output: unknown, mode: "2pc" | "ft"): Verdict {
  const run = input.scenario;
  const trace = readTrace(run, output);
  if (!(trace instanceof Trace)) return trace;
  const events = [...trace.events];
  const bad = (message: string) => fail(`${message} [run seed=${run.seed}]`, events);
  const coordinator = input.coordinator ?? "C0";
  const voteTimeoutMs = input.voteTimeoutMs ?? 200;

  const atomic = checkAtomicCommit(trace);
  if (!atomic.ok) return bad(`${atomic.violations[0]!.property}: ${atomic.violations[0]!.message}`);

  const requests = new Map<string, Stamp & { node: NodeId; R: NodeId[] }>();
  const voted = new Map<string, Map<NodeId, Stamp & { ok: boolean }>>();
  const decided = new Map<string, Map<NodeId, Stamp & { outcome: string }>>();
  const recoveries: Stamp[] = [];
  /** "node T" -> the votes total order broadcast delivered to that node's layer, in order (mode "ft"). */
  const tobVotes = new Map<string, { replicaId: NodeId; ok: boolean }[]>();
  const hb = happensBeforeOf(trace);
  const before = (a: Stamp, b: Stamp) => hb.happensBefore(a.i, b.i);
  for (const e of events) {
    if (e.kind === "request" && isRecord(e.request) && e.request.type === "commit" && typeof e.request.T === "string" && Array.isArray(e.request.R)) {
      requests.set(e.request.T, { i: e.i, t: e.t, node: e.node, R: e.request.R.map(String) });
      continue;
    }
    if (e.kind === "recover" && e.node === coordinator) recoveries.push({ i: e.i, t: e.t });
    if (mode === "ft" && e.kind === "deliver" && !e.app && e.layer === TOTAL_ORDER_LAYER) {
      const m = e.value;
      if (!isRecord(m) || m.type !== "Vote" || typeof m.T !== "string" || typeof m.replicaId !== "string" || typeof m.ok !== "boolean") {
        return bad(`total order broadcast delivered ${JSON.stringify(m)} at ${e.node}; votes are broadcast as { type: "Vote", T, replicaId, ok }`);
      }
      // A yes vote is the participant's own: it must have voted yes before.
      const own = voted.get(m.T)?.get(m.replicaId);
      if (m.ok && !(own?.ok === true && before(own, e))) return bad(`a yes vote for ${m.replicaId} on ${m.T} was delivered at ${e.node}, but ${m.replicaId} had not voted yes before it: only a participant votes yes for itself`);
      const key = `${e.node} ${m.T}`;
      (tobVotes.get(key) ?? tobVotes.set(key, []).get(key)!).push({ replicaId: m.replicaId, ok: m.ok });
      continue;
    }
    if (e.kind !== "deliver" || !e.app) continue;
    const v = e.value;
    if (!isRecord(v) || (v.type !== "voted" && v.type !== "decide") || typeof v.T !== "string") {
      return bad(`${e.node} delivered ${JSON.stringify(v)} to the application; expected { type: "voted", T, ok } or { type: "decide", T, outcome }`);
    }
    const request = requests.get(v.T);
    if (request === undefined) return bad(`${e.node} delivered ${JSON.stringify(v)}, but nobody asked to commit ${v.T} before that`);
    if (!before(request, e)) return bad(`${e.node} delivered ${JSON.stringify(v)} before the request to commit ${v.T} could have reached it (no message chain from the request)`);
    if (v.type === "voted") {
      if (typeof v.ok !== "boolean") return bad(`${e.node} voted ${JSON.stringify(v.ok)} on ${v.T}; a vote is true or false`);
      if (!request.R.includes(e.node)) return bad(`${e.node} voted on ${v.T}, but only its participants ${request.R.join(", ")} vote`);
      const votes = voted.get(v.T) ?? voted.set(v.T, new Map()).get(v.T)!;
      if (votes.has(e.node)) return bad(`${e.node} voted on ${v.T} twice (a vote is written to disk and kept)`);
      const able = ableToCommit(input.cannotCommit, e.node, v.T);
      if (v.ok !== able) return bad(`${e.node} voted ${v.ok ? "yes" : "no"} on ${v.T}, but ${v.T} is ${able ? "" : "not "}able to commit there (options.cannotCommit)`);
      votes.set(e.node, { i: e.i, t: e.t, ok: v.ok });
      continue;
    }
    if (v.outcome !== "commit" && v.outcome !== "abort") return bad(`${e.node} decided ${JSON.stringify(v.outcome)} on ${v.T}; expected "commit" or "abort"`);
    const decisions = decided.get(v.T) ?? decided.set(v.T, new Map()).get(v.T)!;
    if (decisions.has(e.node)) return bad(`${e.node} decided ${v.T} twice`);
    const isCoordinator = mode === "2pc" && e.node === coordinator;
    if (!isCoordinator && !request.R.includes(e.node)) return bad(`${e.node} decided ${v.T}, but it is not one of its participants ${request.R.join(", ")}${mode === "2pc" ? " nor the coordinator" : ""}`);
    const votes = voted.get(v.T) ?? new Map<NodeId, Stamp & { ok: boolean }>();
    if (v.outcome === "commit") {
      for (const p of request.R) {
        const vote = votes.get(p);
        if (vote?.ok !== true || !before(vote, e)) return bad(`${e.node} committed ${v.T} at ${Math.round(e.t)} ms, but ${p}'s yes vote ${vote === undefined ? "never happened before it" : "did not happen before it"}: a commit needs every participant's yes`);
      }
    }
    const ownNo = votes.get(e.node)?.ok === false && votes.get(e.node)!.i < e.i;
    if (mode === "2pc" && !isCoordinator && !(v.outcome === "abort" && ownNo)) {
      const theirs = decisions.get(coordinator);
      if (theirs === undefined || theirs.outcome !== v.outcome || !before(theirs, e)) {
        return bad(`${e.node} decided ${v.outcome} on ${v.T} at ${Math.round(e.t)} ms on its own: a participant learns the outcome from the coordinator's decision (after a yes vote it must wait, however long)`);
      }
    }
    if (mode === "2pc" && isCoordinator && v.outcome === "abort") {
      const afterNo = [...votes.values()].some((vote) => !vote.ok && before(vote, e));
      const timedOut = e.t - request.t >= voteTimeoutMs;
      const recovered = recoveries.some((r) => r.i > request.i && r.i < e.i);
      if (!afterNo && !timedOut && !recovered) return bad(`the coordinator aborted ${v.T} at ${Math.round(e.t)} ms with no vote no before it, before its timeout (${voteTimeoutMs} ms) and not on recovery`);
    }
    if (mode === "ft") {
      // "on delivering (Vote, T, replicaId, ok) by total order broadcast": a node decides only on the
      // votes the total order has delivered to it so far, the first vote of each participant counting.
      const settled = settledByTotalOrder(tobVotes.get(`${e.node} ${v.T}`) ?? [], request.R);
      if (settled !== v.outcome) {
        return bad(`${e.node} decided ${v.outcome} on ${v.T} at ${Math.round(e.t)} ms, but the votes total order broadcast had delivered to it by then (the first of each participant counting) ${settled === undefined ? "settle nothing yet" : `say ${settled}`}`);
      }
    }
    decisions.set(e.node, { i: e.i, t: e.t, outcome: v.outcome });
  }
  for (const [T, expected] of Object.entries(input.expect ?? {})) {
    for (const [node, want] of Object.entries(expected)) {
      const got = decided.get(T)?.get(node)?.outcome;
      const ok = want === "undecided" ? got === undefined : want === "decided" ? got !== undefined : got === want;
      if (!ok) {
        const why = want === "undecided" ? `it must still be waiting (${got} is not allowed here)` : `expected ${want === "decided" ? "a decision" : want}`;
        return bad(`${T} at ${node}: ${got === undefined ? "no decision by the end of the run" : `decided ${got}`}; ${why}`);
      }
    }
  }
  return pass;
}

const judge2pc = (input: CommitRun, output: unknown) => judgeCommitRun(input, output, "2pc");

/** Trusted checks, shared with the hidden tests. */
export const twoPhaseCommitChecks = { run: judge2pc };

const NODES = ["C0", "A", "B", "C"];
const R = ["A", "B", "C"];
const commitT1 = { node: "C0", atMs: 0, request: { type: "commit", T: "T1", R } };
function all(outcome: "commit" | "abort" | "decided", nodes: readonly string[] = NODES) {
  return Object.fromEntries(nodes.map((n) => [n, outcome]));
}
function run(seed: string, extra: Partial<Scenario> & { cannotCommit?: Record<string, string[]>; expect: CommitRun["expect"] }): CommitRun {
  const { cannotCommit, expect, ...scenario } = extra;
  return {
    scenario: { seed, nodes: NODES, network: { latencyMs: [5, 15] }, requests: [commitT1], untilMs: 1000, ...scenario },
    coordinator: "C0",
    ...(cannotCommit === undefined ? {} : { cannotCommit }),
    voteTimeoutMs: 200,
    expect,
  };
}

export const allYes = run("2pc-all-yes", { expect: { T1: all("commit") } });
export const oneNo = run("2pc-one-no", { cannotCommit: { B: ["T1"] }, expect: { T1: all("abort") } });
/** Two transactions at once: C cannot commit T2. */
export const twoTransactions = run("2pc-two", {
  requests: [commitT1, { node: "C0", atMs: 2, request: { type: "commit", T: "T2", R: ["B", "C"] } }],
  cannotCommit: { C: ["T2"] },
  expect: { T1: all("commit"), T2: all("abort", ["C0", "B", "C"]) },
});
/** B's vote never reaches the coordinator (the link is cut): the timeout aborts T1 everywhere. */
export const lostVote = run("2pc-lost-vote", { faults: [{ kind: "cut", links: [["B", "C0"]], atMs: 0 }], expect: { T1: all("abort") } });
/** B crashes before its Prepare arrives: it never votes, so T1 aborts at the others. */
export const participantCrash = run("2pc-participant-crash", { faults: [{ kind: "crash", node: "B", atMs: 1 }], expect: { T1: all("abort", ["C0", "A", "C"]) } });
/** The coordinator crashes for good after sending Prepare: the participants voted yes and must wait for ever. */
export const coordinatorCrashStop = run("2pc-coordinator-stops", { faults: [{ kind: "crash", node: "C0", atMs: 3 }], expect: { T1: { A: "undecided", B: "undecided", C: "undecided" } } });
/** The coordinator crashes before any vote arrives and recovers at 300 ms: no decision on disk, so it aborts. */
export const coordinatorRecoversUndecided = run("2pc-recover-undecided", { faults: [{ kind: "crash", node: "C0", atMs: 3, recoverAtMs: 300 }], expect: { T1: all("abort") } });
/**
 * Latency 5 ms: the votes reach the coordinator at 10 ms and it commits, but its Decision to B is
 * lost (the link C0 -> B is cut from 9 to 40 ms) and it crashes at 12 ms. On recovery at 60 ms it reads
 * its decision from disk and sends it again: B commits too.
 */
export const coordinatorRecoversDecided = run("2pc-recover-decided", {
  network: { latencyMs: 5 },
  faults: [{ kind: "cut", links: [["C0", "B"]], atMs: 9, healAtMs: 40 }, { kind: "crash", node: "C0", atMs: 12, recoverAtMs: 60 }],
  expect: { T1: all("commit") },
});

/**
 * Random runs: 2-4 participants, one or two transactions, some unable to commit, the coordinator
 * maybe crashing and recovering, a participant maybe crashing for good. Every participant that stays
 * up, and the coordinator, must decide each transaction by the end (the recovered coordinator sends
 * its decision again).
 */
export function commitRuns(options: { participantsMax: number; transactionsMax: number }): fc.Arbitrary<CommitRun> {
  return fc
    .record({
      seed: fc.nat(),
      participants: fc.integer({ min: 2, max: options.participantsMax }),
      txns: fc.array(fc.record({ atMs: fc.integer({ min: 0, max: 40 }), members: fc.integer({ min: 1, max: 15 }), refuse: fc.integer({ min: 0, max: 15 }) }), { minLength: 1, maxLength: options.transactionsMax }),
      coordinatorCrash: fc.option(fc.record({ atMs: fc.integer({ min: 1, max: 80 }), downMs: fc.integer({ min: 20, max: 300 }) }), { nil: undefined }),
      participantCrash: fc.option(fc.record({ which: fc.nat(), atMs: fc.integer({ min: 1, max: 80 }) }), { nil: undefined }),
    })
    .map(({ seed, participants, txns, coordinatorCrash, participantCrash }) => {
      const names = ["A", "B", "C", "D", "E", "F"].slice(0, participants);
      const cannotCommit: Record<string, string[]> = {};
      const requests = txns.map((t, k) => {
        const T = `T${k + 1}`;
        // A non-empty subset of the participants (bit mask), and which of them cannot commit T.
        let members = names.filter((_n, b) => (t.members >> b) & 1);
        if (members.length === 0) members = [names[k % names.length]!];
        for (const [b, n] of members.entries()) if ((t.refuse >> b) & 1 && t.refuse % 3 === 0) (cannotCommit[n] ??= []).push(T);
        return { node: "C0", atMs: t.atMs, request: { type: "commit", T, R: members } };
      });
      const faults: ScenarioFault[] = [];
      if (coordinatorCrash !== undefined) faults.push({ kind: "crash", node: "C0", atMs: coordinatorCrash.atMs, recoverAtMs: coordinatorCrash.atMs + coordinatorCrash.downMs });
      const crashed = participantCrash === undefined ? undefined : names[participantCrash.which % names.length]!;
      if (crashed !== undefined) faults.push({ kind: "crash", node: crashed, atMs: participantCrash!.atMs });
      // The coordinator is down at a request's time: that request is never made; nothing is expected of it.
      const downAt = (atMs: number) => coordinatorCrash !== undefined && atMs >= coordinatorCrash.atMs && atMs < coordinatorCrash.atMs + coordinatorCrash.downMs;
      const expect: Record<string, Record<string, "decided">> = {};
      for (const r of requests) {
        if (downAt(r.atMs)) continue;
        expect[r.request.T] = Object.fromEntries(["C0", ...r.request.R].filter((n) => n !== crashed).map((n) => [n, "decided" as const]));
      }
      const scenario: Scenario = { seed: `2pc-${seed}`, nodes: ["C0", ...names], network: { latencyMs: [1, 30] }, requests, faults, untilMs: 1500 };
      return { scenario, coordinator: "C0", cannotCommit, voteTimeoutMs: 200, expect } satisfies CommitRun;
    });
}

/** Every interleaving of one transaction at a coordinator and two participants, with one crash (and recovery) and one lost message. */
export const everyInterleaving: SearchInput = {
  nodes: [...SEARCH_NODES], requests: searchRequests, network: { model: "fair-loss", maxLosses: 1 },
  failures: { model: "crash-recovery", maxCrashes: 1 }, timers: { fire: "any-time" }, bounds: { maxDepth: 40, maxStates: 20_000 },
};

export const twoPhaseCommitExercise = defineExercise({
  id: "6.1",
  title: "Two-phase commit: coordinator and participants",
  slide: "The coordinator in two-phase commit",
  module: "two-phase-commit",
  drivers,
  isolation: "nodes",
  tests: [
    {
      name: "search: atomicity in every interleaving, with a crash and a lost message",
      points: 3,
      category: "search",
      description: "The explorer runs a coordinator and two participants through every order of messages and timeouts, with one crash (memory lost, disk kept, then recovery) and one lost message: no two nodes decide differently, T commits only if both voted yes, no node decides twice, and a participant that voted yes decides only what the coordinator decided.",
      driver: "search",
      inputs: [everyInterleaving],
      check: searchVerdict({ requireExhausted: true }),
    },
    {
      name: "search: a participant that votes no",
      points: 1,
      category: "search",
      description: "The same search with B unable to commit T1: no interleaving commits it anywhere.",
      driver: "searchNo",
      inputs: [everyInterleaving],
      check: searchVerdict({ requireExhausted: true }),
    },
    {
      name: "all yes commits, one no aborts",
      points: 2,
      category: "basic",
      description: "A coordinator and three participants: all able to commit, everyone commits after every yes vote; B unable to commit, everyone aborts; two transactions at once, each decided on its own votes.",
      driver: "run",
      inputs: [allYes, oneNo, twoTransactions],
      check: judge2pc,
    },
    {
      name: "a missing vote aborts (the coordinator's timeout)",
      points: 2,
      category: "unreliable network",
      description: "B's vote never reaches the coordinator, or B crashes before voting: after its timeout the coordinator aborts T1 and tells everyone; nobody commits.",
      driver: "run",
      inputs: [lostVote, participantCrash],
      check: judge2pc,
    },
    {
      name: "coordinator crash: participants wait; on recovery the decision is sent again, or abort",
      points: 3,
      category: "crashes",
      description: "The coordinator crashes after Prepare: participants that voted yes stay undecided (they may not decide on their own); if it recovers with no decision on disk it aborts; if it had decided (and a Decision was lost) it reads the decision from disk and sends it again.",
      driver: "run",
      inputs: [coordinatorCrashStop, coordinatorRecoversUndecided, coordinatorRecoversDecided],
      check: judge2pc,
    },
    {
      name: "random runs with crashes",
      points: 2,
      category: "randomised",
      description: "2-4 participants, one or two transactions (some unable to commit), the coordinator maybe crashing and recovering, a participant maybe crashing for good: atomic, every decision after its reasons, and every live node decides.",
      driver: "run",
      arbitrary: commitRuns({ participantsMax: 4, transactionsMax: 2 }),
      runs: 12,
      check: judge2pc,
    },
  ],
});
