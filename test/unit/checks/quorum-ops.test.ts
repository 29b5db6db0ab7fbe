import { strict as assert } from "node:assert";
import { checkQuorumClient } from "../../../src/checks/quorum-ops";
import { simulate, type Scenario } from "../../../src/sim/index";
import type { Protocol } from "../../../src/sim/protocol";
import { quorumClient, type QuorumClientState, type QuorumMessage, type QuorumRequest } from "../../../src/protocols/replication/quorum-client";
import { quorumReplica } from "../../../src/protocols/replication/quorum-replica";

const replicas = ["A", "B", "C"];

/** A is down while X writes (B and C acknowledge); A comes back, and is X's nearest replica when X reads. */
const run: Scenario = {
  seed: "quorum-check",
  nodes: ["X", ...replicas],
  network: { latencyMs: [8, 12], links: [{ from: "X", to: "A", latencyMs: 1 }, { from: "A", to: "X", latencyMs: 1 }] },
  requests: [
    { node: "X", atMs: 50, request: { type: "write", key: "x", value: "v1" } },
    { node: "X", atMs: 300, request: { type: "read", key: "x" } },
  ],
  faults: [{ kind: "crash", node: "A", atMs: 0, recoverAtMs: 200 }],
  untilMs: 1000,
};

const protocols = (client: () => Protocol<QuorumClientState, QuorumMessage, QuorumRequest>) => (node: string) => (replicas.includes(node) ? quorumReplica() : client());

describe("checks: quorum client (lecture 5, Read and write quorums, Read repair)", () => {
  it("the reference (n = 3, r = w = 2): quorums, the newest reply, A repaired, no stale read", () => {
    const { trace } = simulate(run, protocols(() => quorumClient({ replicas, r: 2, w: 2 })));
    assert.deepEqual(checkQuorumClient(trace, { clients: ["X"], replicas, r: 2, w: 2, complete: true }).violations, []);
    assert.ok(trace.events.some((e) => e.kind === "send" && e.node === "X" && e.to === "A" && e.t >= 300 && (e.msg as { type: string }).type === "Write"), "A was repaired");
  });

  it("a client that claims r = 2 but reads one replica: the too-small quorum and the stale read it causes, both named", () => {
    const { trace } = simulate(run, protocols(() => quorumClient({ replicas, r: 1, w: 2 })));
    const result = checkQuorumClient(trace, { clients: ["X"], replicas, r: 2, w: 2 });
    const text = result.violations.map((v) => v.message).join("\n");
    assert.match(text, /read X\.1 of x returned at X 30\d\.\d ms after ReadReplies from A: r = 2 distinct replicas must reply first/);
    assert.match(text, /X's read at 300 ms returned nothing, older than the write of \[1,"X"\] acknowledged at \d+(\.\d+)? ms \(key x\)/);
    assert.deepEqual(result.violations.map((v) => v.property).sort(), ["read quorum", "read-after-write"]);
  });

  it("read repair skipped, and a success claimed without any replica, are named", () => {
    const noRepair = (): Protocol<QuorumClientState, QuorumMessage, QuorumRequest> => {
      const client = quorumClient({ replicas, r: 2, w: 2 });
      return { ...client, receive: { ...client.receive, ReadReply: (state, msg, from, ctx) => client.receive.ReadReply(state, msg, from, Object.assign(Object.create(ctx) as typeof ctx, { send: (to: string, m: QuorumMessage) => (m.type === "Write" ? undefined : ctx.send(to, m)) })) } };
    };
    const { trace } = simulate(run, protocols(noRepair));
    const result = checkQuorumClient(trace, { clients: ["X"], replicas, r: 2, w: 2 });
    assert.match(result.violations[0]!.message, /^replica A replied nothing to read X\.1 of x \(received at X 30\d\.\d ms\), older than the result \(\[1,"X"\], "v1"\), but was never sent a Write of the result$/);
    const liar: Protocol<{ k: number }, QuorumMessage, QuorumRequest> = {
      name: "liar",
      init: () => ({ k: 0 }),
      request: (state, req, ctx) => ctx.deliver(req.type === "write" ? { op: "write", opId: `X.${state.k++}`, key: req.key, value: req.value, t: [1, "X"] } : { op: "read", opId: `X.${state.k++}`, key: req.key, found: true, value: "v1", t: [1, "X"] }),
      receive: { Write: () => {}, WriteAck: () => {}, Read: () => {}, ReadReply: () => {} },
    };
    const lied = simulate(run, (node) => (replicas.includes(node) ? quorumReplica() : liar)).trace;
    const text = checkQuorumClient(lied, { clients: ["X"], replicas, r: 2, w: 2 }).violations.map((v) => v.message).join("\n");
    assert.match(text, /write X\.0 \(x="v1"\) was reported acknowledged at X 50\.0 ms after WriteAcks from no replica: w = 2 distinct replicas must acknowledge it first/);
    assert.match(text, /read X\.1 of x at X 300\.0 ms returned \(\[1,"X"\], "v1"\), but the newest of the replies it had received \(\) is nothing/);
  });
});
