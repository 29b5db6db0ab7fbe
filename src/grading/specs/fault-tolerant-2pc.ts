/**
 * Graded tests of Exercise 6.2, fault-tolerant two-phase commit (lecture 6, slides "Fault-tolerant
 * two-phase commit (1/2)" and "(2/2)"), over the kit's single-leader total order broadcast (leader L,
 * which is no participant and never fails) with the failure detector at 20/100 ms. Every run is judged
 * on the grader's trace by 6.1's judge (judgeCommitRun in two-phase-commit.ts, mode "ft"): agreement,
 * validity, each node decides once, votes that answer "is T able to commit here?" truthfully, a commit
 * only after every participant's yes vote (happens-before), each decision the one settled by the votes
 * the kit's total order broadcast had delivered to that node (the first of each participant counting;
 * a yes only from the participant itself), and how each participant must end.
 *
 * Prepare goes over one hop and a vote over at least three (participant, leader, everyone), and the
 * runs keep latencies in [5, 9] ms so a Prepare always arrives first: the pseudocode ignores votes
 * delivered before a node's own Prepare (solutions/fault-tolerant-2pc.ts says more).
 */
import * as fc from "fast-check";
import type { Scenario, ScenarioFault } from "../../sim/scenario";
import { defineExercise } from "../define";
import { drivers } from "./drivers/fault-tolerant-2pc";
import { judgeCommitRun, type CommitRun } from "./two-phase-commit";

const judgeFt = (input: CommitRun, output: unknown) => judgeCommitRun(input, output, "ft");

/** Trusted checks, shared with the hidden tests. */
export const ftCommitChecks = { run: judgeFt };

const NODES = ["L", "A", "B", "C"];
const R = ["A", "B", "C"];
const commitT1 = { node: "L", atMs: 0, request: { type: "commit", T: "T1", R } };
const every = (outcome: "commit" | "abort" | "decided", nodes: readonly string[] = R) => Object.fromEntries(nodes.map((n) => [n, outcome]));

function run(seed: string, extra: Partial<Scenario> & { cannotCommit?: Record<string, string[]>; expect: CommitRun["expect"] }): CommitRun {
  const { cannotCommit, expect, ...scenario } = extra;
  return {
    scenario: { seed, nodes: NODES, network: { latencyMs: [5, 9] }, requests: [commitT1], untilMs: 1000, ...scenario },
    ...(cannotCommit === undefined ? {} : { cannotCommit }),
    expect,
  };
}

export const ftAllYes = run("ft-all-yes", { expect: { T1: every("commit") } });
export const ftOneNo = run("ft-one-no", { cannotCommit: { B: ["T1"] }, expect: { T1: every("abort") } });
/** A request made at a participant, and two transactions: C cannot commit T2. */
export const ftTwo = run("ft-two", {
  requests: [commitT1, { node: "A", atMs: 3, request: { type: "commit", T: "T2", R: ["A", "C"] } }],
  cannotCommit: { C: ["T2"] },
  expect: { T1: every("commit"), T2: every("abort", ["A", "C"]) },
});
/** C crashes before its Prepare arrives: it never votes; the others suspect it, its no vote is broadcast on its behalf, all abort. */
export const ftCrashBeforeVote = run("ft-crash-before-vote", { faults: [{ kind: "crash", node: "C", atMs: 1 }], expect: { T1: every("abort", ["A", "B"]) } });
/**
 * C votes yes (delivered by about 30 ms) and crashes at 30 ms; B hears everything 250 ms late (every
 * link into B), so B's Prepare, and so its vote, comes after the suspicion of C has broadcast a no
 * vote for C. C's yes came first in the total order, so it counts, the later no is ignored: A and B commit.
 */
export const ftCrashAfterYes = run("ft-crash-after-yes", {
  network: { latencyMs: [5, 9], links: ["L", "A", "C"].map((from) => ({ from, to: "B", latencyMs: 250 })) },
  faults: [{ kind: "crash", node: "C", atMs: 30 }],
  expect: { T1: every("commit", ["A", "B"]) },
});
/** C is paused from 1 to 201 ms (alive, but silent): the others suspect it wrongly and vote no for it first; everyone, C included, aborts. */
export const ftWronglySuspected = run("ft-wrongly-suspected", { faults: [{ kind: "pause", node: "C", atMs: 1, durationMs: 200 }], expect: { T1: every("abort") } });

/**
 * Random runs: 3-4 participants (L orders and requests), one or two transactions, some unable to
 * commit, maybe a participant crashing or pausing: every participant that stays up decides each transaction.
 */
export function ftCommitRuns(options: { participantsMax: number; transactionsMax: number }): fc.Arbitrary<CommitRun> {
  return fc
    .record({
      seed: fc.nat(),
      participants: fc.integer({ min: 3, max: options.participantsMax }),
      txns: fc.array(fc.record({ atMs: fc.integer({ min: 0, max: 60 }), members: fc.integer({ min: 1, max: 31 }), refuse: fc.integer({ min: 0, max: 31 }) }), { minLength: 1, maxLength: options.transactionsMax }),
      fault: fc.option(fc.record({ which: fc.nat(), kind: fc.constantFrom("crash" as const, "pause" as const), atMs: fc.integer({ min: 0, max: 150 }), durationMs: fc.integer({ min: 50, max: 250 }) }), { nil: undefined }),
    })
    .map(({ seed, participants, txns, fault }) => {
      const names = ["A", "B", "C", "D", "E"].slice(0, participants);
      const cannotCommit: Record<string, string[]> = {};
      const requests = txns.map((t, k) => {
        const T = `T${k + 1}`;
        let members = names.filter((_n, b) => (t.members >> b) & 1);
        if (members.length === 0) members = [names[k % names.length]!];
        for (const [b, n] of members.entries()) if ((t.refuse >> b) & 1 && t.refuse % 3 === 0) (cannotCommit[n] ??= []).push(T);
        return { node: "L", atMs: t.atMs, request: { type: "commit", T, R: members } };
      });
      const faults: ScenarioFault[] = [];
      const hit = fault === undefined ? undefined : names[fault.which % names.length]!;
      if (fault !== undefined) faults.push(fault.kind === "crash" ? { kind: "crash", node: hit!, atMs: fault.atMs } : { kind: "pause", node: hit!, atMs: fault.atMs, durationMs: fault.durationMs });
      const crashed = fault?.kind === "crash" ? hit : undefined;
      const expect = Object.fromEntries(requests.map((r) => [r.request.T, Object.fromEntries(r.request.R.filter((n) => n !== crashed).map((n) => [n, "decided" as const]))]));
      const scenario: Scenario = { seed: `ft-${seed}`, nodes: ["L", ...names], network: { latencyMs: [5, 9] }, requests, faults, untilMs: 1200 };
      return { scenario, cannotCommit, expect } satisfies CommitRun;
    });
}

export const faultTolerantTwoPhaseCommitExercise = defineExercise({
  id: "6.2",
  title: "Fault-tolerant two-phase commit over total order broadcast",
  slide: "Fault-tolerant two-phase commit (2/2)",
  module: "fault-tolerant-2pc",
  drivers,
  isolation: "nodes",
  tests: [
    {
      name: "nobody fails: all yes commits, one no aborts",
      points: 2,
      category: "basic",
      description: "L asks participants A, B, C to commit T1: all able to commit, each commits once every yes vote is delivered; B unable, all abort; a second transaction requested at a participant, decided on its own votes.",
      driver: "run",
      inputs: [ftAllYes, ftOneNo, ftTwo],
      check: judgeFt,
    },
    {
      name: "a participant crashes before voting: suspected, the others abort",
      points: 2,
      category: "crashes",
      description: "C crashes before its Prepare arrives: the failure detector suspects it and a no vote is broadcast on its behalf, so A and B abort instead of waiting for ever.",
      driver: "run",
      inputs: [ftCrashBeforeVote],
      check: judgeFt,
    },
    {
      name: "a participant crashes after voting yes: its first vote counts",
      points: 2,
      category: "crashes",
      description: "C's yes vote is delivered, then C crashes and is suspected before B has voted: the suspicion's no vote for C comes later in the total order and is ignored, so A and B commit.",
      driver: "run",
      inputs: [ftCrashAfterYes],
      check: judgeFt,
    },
    {
      name: "a participant wrongly suspected: abort, never disagreement",
      points: 1,
      category: "crashes",
      description: "C is alive but silent for 200 ms: the others suspect it and vote no for it before its own yes; every node sees that no first and aborts, C included.",
      driver: "run",
      inputs: [ftWronglySuspected],
      check: judgeFt,
    },
    {
      name: "random runs with a crash or a pause",
      points: 3,
      category: "randomised",
      description: "3-4 participants, one or two transactions (some unable to commit), maybe a participant crashing or pausing: agreement, commit only after every yes, and every participant that stays up decides.",
      driver: "run",
      arbitrary: ftCommitRuns({ participantsMax: 4, transactionsMax: 2 }),
      runs: 12,
      check: judgeFt,
    },
  ],
});
