import { strict as assert } from "node:assert";
import { Simulation, latency, type Protocol } from "../../../../src/sim";
import { compareTimestamp, quorumReplica, type QuorumMessage, type Stamped } from "../../../../src/protocols/replication/quorum-replica";

/** A test client that sends each request's message to the replicas named and records the replies. */
const scripted: Protocol<{ replies: QuorumMessage[] }, QuorumMessage, { to: string[]; msg: QuorumMessage }> = {
  name: "scripted-client",
  init: () => ({ replies: [] }),
  request: (_state, req, ctx) => { for (const to of req.to) ctx.send(to, req.msg); },
  receive: {
    WriteAck: (state, msg) => { state.replies.push(msg); },
    ReadReply: (state, msg) => { state.replies.push(msg); },
    Write: () => {}, Read: () => {},
  },
};

function replicas() {
  return new Simulation({ seed: "quorum-replica", nodes: { client: scripted, A: quorumReplica(), B: quorumReplica(), C: quorumReplica() },
    network: { model: "reliable", latency: latency.constant(10) } });
}

describe("replication: quorum replicas storing (t, v)", () => {
  it("Quorum (2 out of 3): replicas keep the value with the highest timestamp, whatever order writes arrive in", () => {
    const sim = replicas();
    sim.request("client", { to: ["A", "B"], msg: { type: "Write", opId: "w2", key: "x", t: [2, "client"], v: "v2" } }, 0);
    sim.request("client", { to: ["B", "C"], msg: { type: "Write", opId: "w1", key: "x", t: [1, "client"], v: "v1" } }, 5);
    sim.request("client", { to: ["A", "B", "C"], msg: { type: "Read", opId: "r", key: "x" } }, 50);
    sim.run();
    const reads = sim.state<{ replies: QuorumMessage[] }>("client").replies.filter((m): m is Extract<QuorumMessage, { type: "ReadReply" }> => m.type === "ReadReply");
    const byReplica = Object.fromEntries(reads.map((m, k) => [k, (m.stamped as Stamped).v]));
    assert.deepEqual(Object.values(byReplica).sort(), ["v1", "v2", "v2"]); // C only saw the older write
    assert.equal(sim.state<{ replies: QuorumMessage[] }>("client").replies.filter((m) => m.type === "WriteAck").length, 4); // a stale write is still acknowledged
  });

  it("Read repair: a repair write brings a stale replica up to date; the store survives a crash", () => {
    const sim = replicas();
    sim.request("client", { to: ["A"], msg: { type: "Write", opId: "w0", key: "x", t: [0, "client"], v: "v0" } }, 0);
    sim.request("client", { to: ["A"], msg: { type: "Write", opId: "repair", key: "x", t: [1, "client"], v: "v1" } }, 20);
    sim.crash("A", 40, { recoverAtMs: 60 });
    sim.request("client", { to: ["A", "B"], msg: { type: "Read", opId: "r", key: "x" } }, 80);
    sim.run();
    const reads = sim.state<{ replies: QuorumMessage[] }>("client").replies.filter((m) => m.type === "ReadReply") as Extract<QuorumMessage, { type: "ReadReply" }>[];
    assert.deepEqual(reads.map((m) => m.stamped?.v ?? null).sort(), ["v1", null].sort());
  });

  it("timestamps compare counter first, then node; bad timestamps are named", () => {
    assert.ok(compareTimestamp([1, "Z"], [2, "A"]) < 0);
    assert.ok(compareTimestamp([2, "B"], [2, "A"]) > 0);
    const sim = replicas();
    sim.request("client", { to: ["A"], msg: { type: "Write", opId: "w", key: "x", t: 5 as unknown as [number, string], v: "v" } }, 0);
    assert.throws(() => sim.run(), /quorum replica A: a timestamp must be \[counter, node\], got 5/);
  });
});
