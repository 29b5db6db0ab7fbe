/**
 * Exercise 7.1 (Raft) grading: the trusted judge of a run (src/grading/specs/raft.ts), the driver's
 * bound on runs, the textbook scenarios against the reference and the bugs they are built for, and,
 * on isolated nodes, submissions that cheat (shared memory, the library's answer, "stable storage"
 * kept in module memory).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gradeSubmission, type SubmissionResult } from "../../../src/grading/grade";
import { kitRoot } from "../../../src/grading/registry";
import { prepareSubmission } from "../../../src/grading/prepare";
import { defaultLimits } from "../../../src/grading/sandbox/executor";
import { NodeHosts, nodesExecutor } from "../../../src/grading/sandbox/nodes";
import { drivers, type RaftRunOutput } from "../../../src/grading/specs/drivers/raft";
import { everyoneCrashes, figure8, initialElections, raftChecks, raftExercise, reElections, voteSurvivesCrash, type RaftTestRun } from "../../../src/grading/specs/raft";
import { checkRaftTrace } from "../../../src/checks/raft-safety";
import { Trace } from "../../../src/sim/trace";
import type { Protocol } from "../../../src/sim/protocol";
import { materialiseVariant } from "../../buggy/variants";
import * as reference from "../../../solutions/raft";

const runOf = (student: unknown, input: RaftTestRun) => drivers.run(student as typeof reference, input);

describe("grading 7.1 (Raft): the judge of a run", function () {
  this.timeout(60_000);

  it("the reference passes the initial election; the run's trace carries the grader's snapshots, not the code's own", () => {
    const input = initialElections[0]!;
    const output = runOf(reference, input);
    assert.equal(raftChecks.run(input, output).ok, true);
    // A forged annotation (two leaders of term 1) written by the student's code is dropped.
    const trace = JSON.parse(output.trace) as { events: { node?: string; annotations?: Record<string, unknown> }[] };
    for (const node of ["A", "B"]) trace.events.find((e) => e.node === node)!.annotations = { raft: { term: 1, role: "leader", votedFor: null, log: [], commitLength: 0 } };
    const forged = JSON.stringify(trace);
    assert.match(checkRaftTrace(Trace.fromJSON(forged)).violations[0]?.message ?? "", /Nodes A and B were both leader in term 1/, "trusted, the forgery would fail the run");
    assert.equal(raftChecks.run(input, { ...output, trace: forged }).ok, true);
  });

  it("a node that acts as leader without a quorum of granted votes in the trace fails", () => {
    const input = initialElections[1]!;
    const output = runOf(reference, input);
    const events = Trace.fromJSON(output.trace).events;
    // Claim that a follower led term 1 from its first event on.
    const [i, node] = output.snapshots.find(([, , s]) => s.role === "follower")!;
    const forged: RaftRunOutput = { ...output, snapshots: [[i, node, { term: 1, role: "leader", votedFor: node, log: [], commitLength: 0 }], ...output.snapshots.filter(([k]) => k !== i)] };
    assert.ok(events[i] !== undefined);
    const verdict = raftChecks.run(input, forged);
    assert.equal(verdict.ok, false);
    assert.match(String(verdict.message), /acts as leader of term 1 .* a leader needs a quorum of 3|both leader in term 1/);
  });

  it("an output of the wrong shape fails with what is wrong", () => {
    const input = initialElections[0]!;
    assert.match(String(raftChecks.run(input, null).message), /expected the run's trace/);
    assert.match(String(raftChecks.run(input, { trace: "x" }).message), /expected \{ trace, snapshots, final, actions, settled \}/);
    const output = runOf(reference, input);
    assert.match(String(raftChecks.run(input, { ...output, snapshots: [[10 ** 6, "A", output.snapshots[0]![2]]] }).message), /which the trace does not have/);
  });

  it("a run whose messages multiply stops at the event bound with an error, instead of keeping the grader busy", () => {
    // Every message is answered by a message to every node: the number in flight grows without end.
    const storm: Protocol<Record<string, never>, { type: "Echo" }, never> = {
      name: "raft",
      init: (ctx) => {
        for (const n of ctx.nodes) ctx.send(n, { type: "Echo" });
        return {};
      },
      receive: { Echo: (_s, _m, _from, ctx) => { for (const n of ctx.nodes) ctx.send(n, { type: "Echo" }); } },
    };
    assert.throws(() => runOf({ raft: () => storm }, { ...initialElections[0]!, maxEvents: 3000 }), /the run passed 3000 events at .* messages multiply/);
  });
});

describe("grading 7.1 (Raft): textbook scenarios against the bugs they are built for", function () {
  this.timeout(120_000);

  for (const [variant, input, property] of [
    ["commit-without-current-term", figure8, /^leader completeness: Node S5, leader in term 5, lacks \("y", term 2\) at index 1/],
    ["term-not-persisted-before-voting", voteSurvivesCrash, /^election safety: Nodes A and C were both leader in term 2/],
  ] as const) {
    it(`${input.scenario.seed}: the reference passes; ${variant} breaks ${String(property).slice(2, 30)}...`, () => {
      assert.equal(raftChecks.run(input, runOf(reference, input)).ok, true);
      const written = materialiseVariant("7.1", variant);
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const buggy = require(path.join(written.exercisesDir, "raft.ts")) as unknown;
        const verdict = raftChecks.run(input, runOf(buggy, input));
        assert.equal(verdict.ok, false);
        assert.match(String(verdict.message), property);
        assert.ok(verdict.trace !== undefined && verdict.trace.some((e) => (e as { annotations?: { raft?: unknown } }).annotations?.raft !== undefined), "the failing run, with the states, for the diagram");
      } finally {
        written.cleanup();
      }
    });
  }

  it("Figure 8 with the reference: S1 never delivers y (the term-2 record), every node delivers z and the three broadcasts in one order", () => {
    const output = runOf(reference, figure8);
    const events = Trace.fromJSON(output.trace).events;
    const delivered = (node: string) => events.filter((e) => e.kind === "deliver" && e.node === node).map((e) => (e as { value: unknown }).value);
    for (const node of figure8.scenario.nodes) assert.deepEqual(delivered(node), ["z", "after1", "after2", "after3"], node);
  });
});

// Generous limits: these tests are about scores, and a busy machine is slow.
const slow = { limits: { ...defaultLimits, callTimeMs: 20_000 }, testTimeLimitMs: 120_000, overallTimeMs: 600_000 };
const exercises = [raftExercise];
const summary = (result: SubmissionResult) => JSON.stringify(result.exercises.flatMap((e) => e.results.map((r) => [r.test, r.status, r.points, r.message.slice(0, 160)])));

describe("grading 7.1 (Raft) on isolated nodes: the same runs as in one process, and cheating submissions", function () {
  this.timeout(600_000);

  it("a run on isolated nodes is the run in one process: the same trace, byte for byte (random streams carried, states kept by the grader)", async () => {
    const submission = fs.mkdtempSync(path.join(os.tmpdir(), "raft-same-"));
    fs.mkdirSync(path.join(submission, "exercises"));
    fs.copyFileSync(path.join(kitRoot, "solutions", "raft.ts"), path.join(submission, "exercises", "raft.ts"));
    const prepared = await prepareSubmission(submission, kitRoot, []);
    fs.rmSync(submission, { recursive: true, force: true });
    const hosts = new NodeHosts({ root: prepared.root, nodeModules: path.join(kitRoot, "node_modules"), module: "raft" });
    try {
      const exec = nodesExecutor(hosts, drivers);
      for (const input of [reElections[1]!, everyoneCrashes[0]!]) {
        const isolated = await exec("run", input);
        assert.equal(isolated.kind, "output", JSON.stringify(isolated).slice(0, 300));
        const here = runOf(reference, input);
        const there = (isolated as { output: RaftRunOutput }).output;
        assert.equal(Trace.fromJSON(there.trace).hash(), Trace.fromJSON(here.trace).hash(), input.scenario.seed);
        assert.deepEqual(there.snapshots, here.snapshots, input.scenario.seed);
      }
    } finally {
      hosts.close();
      prepared.cleanup();
    }
  });

  it("raft-shared-log (nodes sharing a module-level log, after reaching for the library's answer) scores 0, the same on a regrade", async () => {
    const submission = path.join(kitRoot, "test", "hostile-nodes", "raft-shared-log");
    const first = await gradeSubmission(submission, { exercises, only: ["7.1"], ...slow });
    assert.equal(first.points, 0, summary(first));
    const again = await gradeSubmission(submission, { exercises, only: ["7.1"], ...slow });
    assert.equal(summary(again), summary(first));
  });

  it("the reference with 'stable storage' in module memory fails the crash tests: a recovering node gets a fresh process", async () => {
    // Written here from the reference (the answer lives in solutions/ only): every ctx.storage
    // write goes to a module-level map by node id instead, and recovery reads that map first.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "raft-memory-"));
    try {
      let source = fs.readFileSync(path.join(kitRoot, "solutions", "raft.ts"), "utf8");
      const writes = source.split("ctx.storage.set(").length - 1;
      source = source.replaceAll("ctx.storage.set(", "remember(ctx, ").replace(/ctx\.storage\.get<([^>]*?(?:<[^>]*>)?[^>]*?)>\(/g, "recall<$1>(ctx, ");
      assert.ok(writes >= 4 && !source.includes("ctx.storage"), "every storage access rewritten");
      source += [
        "const memory = new Map<string, Map<string, unknown>>();",
        "function remember(ctx: Ctx, key: string, value: unknown): void { let m = memory.get(ctx.nodeId); if (m === undefined) memory.set(ctx.nodeId, (m = new Map())); m.set(key, structuredClone(value)); }",
        "function recall<T>(ctx: Ctx, key: string): T | undefined { const m = memory.get(ctx.nodeId); return (m !== undefined && m.has(key) ? structuredClone(m.get(key)) : ctx.storage.get<T>(key)) as T | undefined; }",
        "",
      ].join("\n");
      fs.mkdirSync(path.join(dir, "exercises"));
      fs.writeFileSync(path.join(dir, "exercises", "raft.ts"), source);
      const result = await gradeSubmission(dir, { exercises, only: ["7.1"], ...slow });
      const status = (name: string) => result.exercises[0]!.results.find((r) => r.test === name)?.status;
      assert.notEqual(status("persistence: every node crashes and recovers"), "passed", summary(result));
      assert.notEqual(status("persistence: a vote survives a crash"), "passed", summary(result));
      assert.ok(result.points < result.maxPoints - 8, summary(result));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
