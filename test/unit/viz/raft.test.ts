import { strict as assert } from "node:assert";
import { Simulation, latency, type Trace } from "../../../src/sim";
import { raft, type RaftState } from "../../../src/protocols/raft";
import { withRaftSnapshots } from "../../../src/checks";
import { describeRaftMessage, partitionWindows, raftChanges, raftLogFigure, raftLogGrid, raftRolesFigure } from "../../../src/viz/raft";

const nodes = ["A", "B", "C"];

/** Three nodes elect a leader, take two broadcasts; the leader crashes at 500 ms (back at 700); a partition cuts C off 900-1100 ms. */
function run(): { trace: Trace; leader: string } {
  const sim = new Simulation({ seed: "viz-raft", nodes, protocol: withRaftSnapshots(raft()), network: { latency: latency.uniform(2, 10) } });
  sim.request("A", { type: "broadcast", m: "a" }, 350).request("B", { type: "broadcast", m: "b" }, 360);
  let leader = "";
  sim.at(500, (s) => {
    leader = nodes.find((n) => s.state<RaftState>(n).currentRole === "leader")!;
    s.crash(leader, 500, { recoverAtMs: 700 });
  });
  sim.partition({ groups: [["A", "B"], ["C"]], atMs: 900, healAtMs: 1100 });
  return { trace: sim.run({ untilMs: 1300 }).trace, leader };
}

describe("viz: Raft figures", () => {
  const { trace, leader } = run();
  const changes = raftChanges(trace);

  it("raftChanges: the { raft } snapshots in trace order, and a null view at the crash", () => {
    assert.ok(changes.length > 10);
    assert.ok(changes.every((c, k) => k === 0 || c.t >= changes[k - 1].t));
    const crash = changes.filter((c) => c.view === null);
    assert.deepEqual(crash.map((c) => [c.node, c.t]), [[leader, 500]]);
    assert.ok(changes.some((c) => c.view?.role === "leader" && c.view.term >= 1));
    const plain = new Simulation({ seed: "plain", nodes: ["A"], protocol: raft() }).run({ untilMs: 10 }).trace;
    assert.throws(() => raftChanges(plain), /no \{ raft \} annotations: run the protocol wrapped in withRaftSnapshots/);
  });

  it("partitionWindows: each partition from its start to its heal, labelled with its groups", () => {
    assert.deepEqual(partitionWindows(trace), [{ fromMs: 900, untilMs: 1100, label: "A B | C" }]);
  });

  it("raftRolesFigure: one trace per role; each node's segments tile the window; the crashed leader is down 500-700 ms", () => {
    const figure = raftRolesFigure(changes, { untilMs: 1300, shaded: partitionWindows(trace) });
    assert.deepEqual(figure.data.map((d) => d.name), ["follower", "candidate", "leader", "down"]);
    const first = Math.min(...changes.map((c) => c.t));
    for (const node of nodes) {
      const segments = figure.data.flatMap((d) => (d.y as string[]).map((y, k) => ({ y, base: (d.base as number[])[k], x: (d.x as number[])[k] }))).filter((s) => s.y === node)
        .sort((a, b) => a.base - b.base);
      assert.equal(segments[0].base, first, node);
      segments.forEach((s, k) => assert.equal(s.base, k === 0 ? first : segments[k - 1].base + segments[k - 1].x, `${node} segment ${k}`));
      assert.equal(segments[segments.length - 1].base + segments[segments.length - 1].x, 1300, node);
    }
    const down = figure.data[3];
    assert.deepEqual([down.y, down.base, down.x], [[leader], [500], [200]]);
    // The leader's segment carries its term; the partition is shaded and labelled.
    const leaderTrace = figure.data[2];
    assert.ok((leaderTrace.text as string[]).every((t) => /^\d+$/.test(t)));
    const layout = figure.layout as { shapes: { x0: number; x1: number }[]; annotations: { text: string }[] };
    assert.ok(layout.shapes.some((s) => s.x0 === 900 && s.x1 === 1100));
    assert.ok(layout.annotations.some((a) => a.text === "partition A B | C"));
    assert.throws(() => raftRolesFigure(changes, { nodes: ["A", "Z"] }), /no Raft states of Z/);
    assert.throws(() => raftRolesFigure([]), /no Raft states to draw/);
  });

  it("raftLogFigure: one panel per node; no line while a node is down; commit markers only where the commit point rises", () => {
    const figure = raftLogFigure(changes, { untilMs: 1300 });
    const layout = figure.layout as Record<string, { domain?: number[]; tickvals?: number[] }> & { shapes: { x0: number; x1: number; yref: string }[] };
    assert.ok(layout.yaxis.domain && layout.yaxis2.domain && layout.yaxis3.domain && layout.yaxis4 === undefined);
    assert.ok(!layout.yaxis.tickvals!.includes(0));
    const k = nodes.indexOf(leader);
    const axis = k === 0 ? "y" : `y${k + 1}`;
    assert.ok(layout.shapes.some((s) => s.x0 === 500 && s.x1 === 700 && s.yref === `${axis} domain`));
    for (const d of figure.data.filter((d) => d.yaxis === axis && d.name === "log length")) {
      const xs = d.x as number[];
      assert.ok(xs.every((x, i) => i % 2 === 0 || !(x > 500 && x < 700)), "no line inside the down time");
    }
    for (const d of figure.data.filter((d) => d.name === "commit point moves")) {
      const ys = d.y as number[];
      assert.ok(ys.every((y, i) => i === 0 || y > ys[i - 1]), `commit markers rise: ${ys.join(" ")}`);
    }
    const lengths = figure.data.filter((d) => d.name === "log length").map((d) => (d.y as number[])[(d.y as number[]).length - 1]);
    assert.ok(lengths.includes(2));
  });

  it("raftLogGrid: one row per log, a band per distinct term, the committed prefix outlined, highlighted cells in red", () => {
    const figure = raftLogGrid([
      { name: "leader", log: [[1, "x"], [1, "y"], [4, "z"]], commitLength: 2 },
      { name: "(f)", log: [{ term: 1, msg: "x" }, { term: 2, msg: "w" }] },
    ], { highlight: [["(f)", 2]] });
    const heat = figure.data[0];
    assert.deepEqual(heat.z, [[0, 0, 2], [0, 1, null]]);
    assert.deepEqual((heat.text as string[][])[0].slice(0, 3), ["1", "1", "4"]);
    assert.deepEqual([heat.zmin, heat.zmax], [-0.5, 2.5]);
    const shapes = (figure.layout as { shapes: { x0: number; x1: number; y0: number; line: { color: string } }[] }).shapes;
    assert.deepEqual(shapes.map((s) => [s.x0, s.x1, s.line.color]), [[0.5, 2.5, "#000000"], [1.5, 2.5, "#d62728"]]);
    const records = raftLogGrid([{ name: "A", log: [[2, "y"]] }], { cellText: "record", minColumns: 1 });
    assert.deepEqual(records.data[0].text, [["y (t2)"]]);
    assert.throws(() => raftLogGrid([]), /no logs to draw/);
    assert.throws(() => raftLogGrid([{ name: "A", log: [[0, "x"]] }]), /row A index 1 has term 0/);
    assert.throws(() => raftLogGrid([{ name: "A", log: [[1, "x"]], commitLength: 2 }]), /commitLength 2, outside \[0, 1\]/);
    assert.throws(() => raftLogGrid([{ name: "A", log: [] }, { name: "A", log: [] }]), /row names must differ/);
    assert.throws(() => raftLogGrid([{ name: "A", log: [] }], { highlight: [["B", 1]] }), /highlight names row B/);
  });

  it("describeRaftMessage: the slides' fields, heartbeats named as such", () => {
    assert.equal(describeRaftMessage({ msg: { type: "VoteRequest", cId: "A", cTerm: 2, cLogLength: 3, cLogTerm: 1 } }), "VoteRequest(cId A, cTerm 2, cLogLength 3, cLogTerm 1)");
    assert.equal(describeRaftMessage({ msg: { type: "LogRequest", leaderId: "A", term: 2, prefixLen: 1, prefixTerm: 1, leaderCommit: 1, suffix: [] } }),
      "LogRequest(term 2, prefixLen 1, prefixTerm 1, leaderCommit 1, heartbeat)");
    assert.equal(describeRaftMessage({ msg: { type: "LogResponse", follower: "B", term: 2, ack: 0, success: false } }), "LogResponse(B, term 2, ack 0, failure)");
  });
});
