import assert from "node:assert/strict";
import { checkFifoTotalOrder, checkRaftTrace, withRaftSnapshots, watchRaft } from "../../../../src/checks";
import { raft, raftStorage, quorum, type RaftMsg, type RaftState } from "../../../../src/protocols/raft";
import { simulate, Simulation, startingFrom, latency, type ReceiveEvent, type Trace } from "../../../../src/sim";
import { FIGURE_7, figure7Scenario, figure8Scenario, rec } from "./textbook";

const values = (trace: Trace, node: string) => trace.deliveries(node).map((d) => d.value);
const received = (trace: Trace, type: RaftMsg["type"]) =>
  trace.ofKind("receive").filter((e: ReceiveEvent) => e.msg.type === type) as (ReceiveEvent & { msg: RaftMsg })[];

describe("Raft (lecture 7)", () => {
  it("Raft (3/9): ⌈(|nodes| + 1)/2⌉ is a quorum", () => {
    assert.deepEqual([1, 2, 3, 4, 5, 7].map(quorum), [1, 2, 2, 3, 3, 4]);
  });

  it("Raft (1/9)-(9/9): five nodes elect one leader and deliver every broadcast in one order, the origin's order kept", () => {
    const nodes = ["A", "B", "C", "D", "E"];
    const { trace, sim } = simulate({
      seed: "raft-basic", nodes, network: { latencyMs: [1, 10] }, untilMs: 2000,
      requests: Array.from({ length: 10 }, (_, k) => ({ node: nodes[k % 5]!, atMs: 400 + 20 * k, request: { type: "broadcast", m: `m${k}` } })),
    }, withRaftSnapshots(raft()));
    const leaders = nodes.filter((n) => sim.state<RaftState>(n).currentRole === "leader");
    assert.equal(leaders.length, 1);
    const order = values(trace, "A");
    assert.equal(order.length, 10);
    for (const n of nodes) assert.deepEqual(values(trace, n), order, `node ${n}`);
    assert.ok(checkRaftTrace(trace).ok);
    assert.ok(checkFifoTotalOrder(trace).ok);
  });

  it("Raft (2/9): refuses a vote to a candidate with a stale log, grants it to one with an up-to-date log", () => {
    const { trace, sim } = simulate({
      seed: "raft-vote", nodes: ["A", "B", "C"], network: { latencyMs: 5 }, untilMs: 60,
      initialStorage: {
        A: raftStorage({ currentTerm: 2, log: [rec(1, 1)] }),
        B: raftStorage({ currentTerm: 2, log: [rec(1, 1), rec(2, 2)] }),
        C: raftStorage({ currentTerm: 2, log: [] }),
      },
      requests: [{ node: "A", atMs: 0, request: { type: "suspect-leader" } }],
    }, raft());
    const answers = Object.fromEntries(received(trace, "VoteResponse").map((e) => [e.from, e.msg]));
    assert.deepEqual(answers.B, { type: "VoteResponse", voterId: "B", term: 3, granted: false }); // A's last term 1 < B's 2
    assert.deepEqual(answers.C, { type: "VoteResponse", voterId: "C", term: 3, granted: true });
    assert.equal(sim.state<RaftState>("A").currentRole, "leader"); // A and C: a quorum of 3
    assert.equal(sim.state<RaftState>("B").votedFor, null); // B moved to term 3 but voted for nobody
  });

  it("Raft (2/9): one vote per term: a second candidate of the same term is refused", () => {
    const { trace } = simulate({
      seed: "raft-one-vote", nodes: ["A", "B", "C"], network: { latencyMs: 5 }, untilMs: 20,
      initialStorage: { C: raftStorage({ currentTerm: 1, votedFor: "A" }), A: raftStorage({ currentTerm: 0 }), B: raftStorage({ currentTerm: 0 }) },
      requests: [{ node: "B", atMs: 0, request: { type: "suspect-leader" } }],
    }, raft());
    const fromC = received(trace, "VoteResponse").find((e) => e.from === "C")!;
    assert.deepEqual(fromC.msg, { type: "VoteResponse", voterId: "C", term: 1, granted: false });
  });

  it("Raft (1/9): currentTerm, votedFor, log and commitLength survive a crash; role and leader do not", () => {
    const nodes = ["A", "B", "C"];
    const sim = new Simulation({ seed: "raft-recover", nodes, protocol: raft(), network: { latency: latency.uniform(1, 10) } });
    sim.request("A", { type: "broadcast", m: "before" }, 400);
    sim.run({ untilMs: 800 });
    const leader = nodes.find((n) => sim.state<RaftState>(n).currentRole === "leader")!;
    const before = sim.state<RaftState>(leader);
    const saved = { term: before.currentTerm, votedFor: before.votedFor, log: before.log.slice(), commitLength: before.commitLength };
    sim.crash(leader, 810, { recoverAtMs: 820 });
    sim.run({ untilMs: 821 });
    const after = sim.state<RaftState>(leader);
    assert.deepEqual(
      { term: after.currentTerm, votedFor: after.votedFor, log: after.log, commitLength: after.commitLength },
      saved,
    );
    assert.equal(after.currentRole, "follower");
    assert.equal(after.currentLeader, null);
    assert.equal(saved.commitLength, 1);
    sim.request(leader, { type: "broadcast", m: "after" }, 900);
    const trace = sim.run({ untilMs: 2000 }).trace;
    for (const n of nodes) assert.deepEqual(values(trace, n), ["before", "after"], `node ${n}`);
  });

  it("Raft (4/9): broadcasts survive loss and duplication of forwarded requests (delivered once each, in the origin's order)", () => {
    const nodes = ["A", "B", "C"];
    const { trace } = simulate({
      seed: "raft-forward", nodes, untilMs: 5000,
      network: { model: "fair-loss", loss: 0.3, duplicate: 0.3, latencyMs: [1, 30] },
      requests: Array.from({ length: 9 }, (_, k) => ({ node: nodes[k % 3]!, atMs: 500 + k, request: { type: "broadcast", m: `m${k}` } })),
    }, withRaftSnapshots(raft()));
    for (const n of nodes) assert.equal(values(trace, n).length, 9, `node ${n}: ${values(trace, n).join(" ")}`);
    assert.ok(checkRaftTrace(trace).ok, checkRaftTrace(trace).violations[0]?.message);
  });

  it("Raft paper §5.3, Figure 7: a term-8 leader repairs each of the follower logs (a)-(f)", () => {
    const { trace, sim } = simulate(figure7Scenario(), withRaftSnapshots(raft()));
    const leader = sim.state<RaftState>("L");
    assert.equal(leader.currentRole, "leader");
    assert.equal(leader.currentTerm, 8);
    const expected = [...FIGURE_7.leader.map((t, i) => rec(i + 1, t)[0]), "new@8"];
    assert.deepEqual(leader.log.map((e) => e.msg), expected);
    for (const f of ["a", "b", "c", "d", "e", "f"]) {
      const s = sim.state<RaftState>(f);
      assert.deepEqual(s.log.map((e) => e.msg), expected, `follower (${f})`);
      assert.deepEqual(s.log.map((e) => e.term), [...FIGURE_7.leader, 8], `follower (${f})`);
      assert.deepEqual(values(trace, f), expected, `follower (${f}) delivered`);
    }
    // c and d refused their votes: their logs are more up-to-date than L's (§5.4.1).
    const refused = received(trace, "VoteResponse").filter((e) => e.node === "L" && !(e.msg as { granted: boolean }).granted).map((e) => e.from);
    assert.deepEqual(refused.sort(), ["c", "d"]);
    assert.ok(checkRaftTrace(trace).ok, checkRaftTrace(trace).violations[0]?.message);
  });

  it("Raft paper §5.4.2, Figure 8: the slides' Raft never commits S1's term-2 record, so S5 may overwrite it", () => {
    const { trace } = simulate(figure8Scenario(), withRaftSnapshots(raft()));
    assert.deepEqual(values(trace, "S1"), []);
    for (const n of ["S2", "S3", "S4", "S5"]) assert.deepEqual(values(trace, n), ["x1@1", "x2'@3", "y@5"], `node ${n}`);
    assert.ok(checkRaftTrace(trace).ok, checkRaftTrace(trace).violations[0]?.message);
  });

  it("startingFrom: a node starts from its stable storage through Raft's recovery handler", () => {
    const sim = new Simulation({
      seed: "raft-start", nodes: { A: startingFrom(raft(), raftStorage({ currentTerm: 5, votedFor: "B", log: [rec(1, 2)], commitLength: 1 })), B: raft() },
    });
    sim.run({ untilMs: 1 });
    const a = sim.state<RaftState>("A");
    assert.deepEqual([a.currentTerm, a.votedFor, a.log, a.commitLength, a.currentRole], [5, "B", [{ msg: "x1@2", term: 2 }], 1, "follower"]);
    assert.equal(sim.storage("A").currentTerm, 5);
  });

  it("bad input is an error that names it", () => {
    assert.throws(() => raft({ electionTimeoutMs: -1 }), /electionTimeoutMs must be a finite number > 0, got -1/);
    assert.throws(() => raft({ heartbeatMs: Number.NaN }), /heartbeatMs/);
    assert.throws(() => raftStorage({ currentTerm: 1, log: [rec(1, 2)] }), /log\[0\]\.term is 2, above currentTerm 1/);
    assert.throws(() => raftStorage({ currentTerm: 3, log: [rec(1, 2), rec(2, 1)] }), /log\[1\]\.term is 1, below log\[0\]\.term 2/);
    assert.throws(() => raftStorage({ currentTerm: 3, log: [rec(1, 2)], commitLength: 2 }), /commitLength must be an integer in \[0, 1\]/);
    assert.throws(
      () => simulate({ seed: "x", nodes: ["A"], untilMs: 1, initialStorage: { Z: {} } }, raft()),
      /scenario\.initialStorage\.Z/,
    );
    const sim = new Simulation({ seed: "raft-bad", nodes: ["A"], protocol: raft() });
    sim.request("A", { type: "frobnicate" }, 0);
    assert.throws(() => sim.run({ untilMs: 1 }), /unknown request type "frobnicate"/);
  });

  it("watchRaft checks every step of a live run", () => {
    const nodes = ["A", "B", "C"];
    const sim = new Simulation({ seed: "raft-watch", nodes, protocol: raft(), network: { latency: latency.uniform(1, 10) } });
    const monitor = watchRaft(sim, { stopOnViolation: true });
    sim.request("B", { type: "broadcast", m: "w" }, 500);
    sim.run({ untilMs: 1500 });
    assert.deepEqual(monitor.violations, []);
    assert.deepEqual(monitor.committedLog.map(([, m]) => m), ['"w"']);
  });
});
