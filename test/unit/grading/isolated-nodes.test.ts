/**
 * Isolated nodes (docs/grading.md): for protocol exercises the grader runs the simulator itself and
 * each simulated node's handlers in a process of their own. Submissions that pass in one shared
 * process by cheating (memory shared between nodes, memory kept across a crash, luck) must score
 * only what their honest part deserves, the same on every regrade; the reference still scores
 * everything and the stubs nothing.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gradeSubmission, type SubmissionResult } from "../../../src/grading/grade";
import { kitRoot, loadExercises } from "../../../src/grading/registry";
import { defaultLimits } from "../../../src/grading/sandbox/executor";
import type { ExerciseDef } from "../../../src/grading/define";
import { materialiseVariant } from "../../buggy/variants";

const exercises = loadExercises({ hidden: true });
// Generous limits: these tests are about scores, and a busy CI machine is slow (hostile.test.ts tests the limits).
const slow = { limits: { ...defaultLimits, callTimeMs: 20_000 }, testTimeLimitMs: 120_000, overallTimeMs: 600_000 };
const isolated = exercises.filter((e) => e.isolation === "nodes").map((e) => e.id);

/** hostile-nodes/<name> -> [exercise, points deserved, why]. */
const expectations: { [name: string]: [string, number, string] } = {
  "shared-memory-total-order": ["4.6", 1, "every node delivers only what it broadcast itself: safe, so the crash test's safety check passes (it scored 0 only while a pooled host's log from an earlier run leaked in)"],
  "random-skips": ["4.4", 6, "the runs where a skip breaks FIFO order fail, the same ones every time"],
  "module-memory-dedup": ["1.2", 7, "deduplication works until a crash; the crash-recovery tests fail"],
  "module-memory-across-runs": ["1.2", 7, "a table kept across simulations is gone at each one's start: as module-memory-dedup, whatever ran before"],
  "reads-other-nodes": ["4.5", 0, "other nodes' state is out of reach, and so is the library's copy of the answer"],
  "reexports-library": ["4.4", 0, "the library's copy of the answer is not in the sandbox"],
  "module-memory-exactly-once": ["5.1", 5, "a dedup table in module memory works until the server crashes; the crash tests fail"],
  "shared-memory-lww": ["5.2", 0, "replicas that share a table in one process share nothing isolated, and never converge"],
  "shared-memory-mvr": ["5.3", 1, "the helpers are right; replicas sharing siblings in memory share nothing isolated"],
  "claims-quorum-without-replicas": ["5.4", 0, "quorums are counted on the replicas' own messages in the grader's trace"],
  "2pc-decides-without-votes": ["6.1", 1, "decides on the request from the options, before any vote: the runs and the main searches fail; its immediate abort where B votes no is safe, as an early timeout's would be"],
  "2pc-ft-module-votes": ["6.2", 0, "votes in module memory reach no other node, and decisions on a local suspicion follow no vote delivered by total order broadcast"],
  "search-hidden-state": ["4.4", 8, "its module memory is one node's, for one simulation: the simulation tests pass (no run reaches its 40-call bug, which fired only while calls were counted across runs); the search refuses a handler that is not a function of its state"],
  "crdt-reexports-op-map": ["8.1", 0, "the library's op-based map only re-exports solutions/, which is not in the sandbox"],
  "crdt-shared-memory-state-map": ["8.2", 3, "the merge is right; replicas sharing one map in memory share nothing isolated, and the search refuses handlers that read memory outside their state"],
  "crdt-global-document-text": ["8.4", 0, "a replica editing a module-level document sees only its own edits when isolated, and never converges"],
  "crdt-shared-memory-or-set": ["8.3", 2, "the merge is right; replicas adding to and removing from one set in memory share nothing isolated"],
};

/** Exercise 4.4 with its search test only (category "search", src/grading/explore.ts). */
const fifoSearch: ExerciseDef[] = exercises.map((e) => (e.id === "4.4" ? { ...e, tests: e.tests.filter((t) => t.category === "search") } : e));
async function gradeSearch(submission: string) {
  const result = await gradeSubmission(submission, { exercises: fifoSearch, only: ["4.4"], ...slow });
  const tests = result.exercises.flatMap((e) => e.results);
  assert.equal(tests.length, 1, summary(result));
  return tests[0]!;
}

function summary(result: SubmissionResult): string {
  // The sandbox folder is a fresh temporary one at every grading (its name shows in a failed import's require stack).
  return JSON.stringify(result.exercises.flatMap((e) => e.results.map((r) => [r.test, r.status, r.points, r.message.replace(/ds-grade-[A-Za-z0-9]+/g, "ds-grade-*").slice(0, 160)])));
}

describe("grading: isolated nodes (the simulator in the grader, each node in its own process)", function () {
  this.timeout(300_000);

  it("the protocol exercises run isolated", () => {
    for (const id of ["1.2", "2.1", "2.2", "2.3", "4.4", "4.5", "4.6", "4.7", "5.1", "5.2", "5.3", "5.4", "6.1", "6.2", "6.3", "6.4", "7.1", "8.1", "8.2", "8.3", "8.4"]) assert.ok(isolated.includes(id), `${id} is not isolated`);
  });

  it("the reference scores every point and the stubs none, isolated", async () => {
    const only = isolated;
    const solved = await gradeSubmission(path.join(kitRoot, "solutions"), { exercises, only, ...slow });
    assert.equal(solved.points, solved.maxPoints, summary(solved));
    const stubs = await gradeSubmission(path.join(kitRoot, "exercises"), { exercises, only, ...slow });
    assert.equal(stubs.points, 0, summary(stubs));
    for (const e of stubs.exercises) for (const r of e.results) assert.equal(r.status, "not-implemented", `${e.exercise.id}/${r.test}: ${r.status} ${r.message}`);
  });

  it("search (4.4): the explorer runs in the grader over isolated nodes; the reference passes, exhausting every state", async () => {
    const result = await gradeSearch(path.join(kitRoot, "solutions"));
    assert.equal(result.status, "passed", result.message);
    assert.equal(result.points, result.maxPoints);
  });

  // Each buggy variant of 4.4, with the depth of its shortest counterexample (breadth first).
  for (const [variant, depth, property] of [["delivers-on-receipt", 3, /FIFO order/], ["one-counter-for-all-senders", 4, /FIFO order/], ["if-instead-of-while", 6, /validity/]] as const) {
    it(`search (4.4): ${variant} fails with its shortest counterexample (${depth} steps) as a diagram`, async () => {
      const written = materialiseVariant("4.4", variant);
      try {
        const result = await gradeSearch(written.dir);
        assert.equal(result.status, "failed", result.message);
        assert.equal(result.points, 0);
        assert.match(result.message, property);
        assert.match(result.message, new RegExp(`shortest run that breaks it has ${depth} steps`));
        assert.ok(result.trace !== undefined && result.trace.some((e) => e.kind === "deliver"), "the failing run, for the diagram");
      } finally {
        written.cleanup();
      }
    });
  }

  it("search (4.4): a submission hiding its state in module variables cannot make the search pass", async () => {
    const result = await gradeSearch(path.join(kitRoot, "test", "hostile-nodes", "search-hidden-state"));
    assert.notEqual(result.status, "passed");
    assert.equal(result.points, 0);
    assert.match(result.message, /different result when repeated on the same state and event/);
  });

  // A protocol that never acts breaks no safety invariant: each search test also asks for a goal
  // (a decision, a leader, the client's answers, every key at every replica). Written here from the
  // reference (the answers live in solutions/ only): its handlers, all but init and recover, made
  // to do nothing, so its state keeps the shape the invariants read.
  for (const [id, module, factory] of [["5.4", "quorum-client", "quorumClient"], ["6.1", "two-phase-commit", "twoPhaseCommit"], ["7.1", "raft", "raft"], ["8.2", "state-map-crdt", "stateBasedMap"]] as const) {
    it(`search (${id}): the reference with handlers that do nothing passes no search test (it reaches no goal)`, async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "does-nothing-"));
      try {
        let source = fs.readFileSync(path.join(kitRoot, "solutions", `${module}.ts`), "utf8");
        assert.ok(source.includes(`export function ${factory}(`), `solutions/${module}.ts exports ${factory}`);
        source = source.replace(`export function ${factory}(`, `function reference_${factory}(`);
        source += [
          "",
          `export function ${factory}(...args: Parameters<typeof reference_${factory}>): ReturnType<typeof reference_${factory}> {`,
          `  const p = reference_${factory}(...args) as any;`,
          "  const idle = (handlers: Record<string, unknown> | undefined) => handlers && Object.fromEntries(Object.keys(handlers).map((k) => [k, () => undefined]));",
          "  const periodically = p.periodically && Object.fromEntries(Object.entries(p.periodically).map(([k, t]: [string, any]) => [k, { ...t, run: () => undefined }]));",
          "  return { ...p, receive: idle(p.receive), timers: idle(p.timers), periodically, request: p.request && (() => undefined) };",
          "}",
          "",
        ].join("\n");
        fs.mkdirSync(path.join(dir, "exercises"));
        fs.writeFileSync(path.join(dir, "exercises", `${module}.ts`), source);
        const searchOnly: ExerciseDef[] = exercises.map((e) => (e.id === id ? { ...e, tests: e.tests.filter((t) => t.category === "search") } : e));
        const result = await gradeSubmission(dir, { exercises: searchOnly, only: [id], ...slow });
        const tests = result.exercises.flatMap((e) => e.results);
        assert.ok(tests.length >= 1, summary(result));
        for (const t of tests) {
          assert.equal(t.status, "failed", `${t.test}: ${t.message}`);
          assert.match(t.message, /no violation, but no order of events within the search's bounds reaches/, t.test);
        }
        assert.equal(result.points, 0, summary(result));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  for (const [name, [id, deserved, why]] of Object.entries(expectations)) {
    it(`${name} (${id}): ${deserved} points (${why}), the same on a regrade`, async () => {
      const submission = path.join(kitRoot, "test", "hostile-nodes", name);
      const first = await gradeSubmission(submission, { exercises, only: [id], ...slow });
      assert.equal(first.points, deserved, summary(first));
      const again = await gradeSubmission(submission, { exercises, only: [id], ...slow });
      assert.equal(summary(again), summary(first), "a regrade gives the same results, test by test");
    });
  }
});
