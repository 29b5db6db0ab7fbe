import { strict as assert } from "node:assert";
import { Simulation, latency, type AnyProtocol } from "../../../../src/sim";
import { stack } from "../../../../src/protocols/stack";
import { bestEffortBroadcast } from "../../../../src/protocols/broadcast/best-effort";
import { causalBroadcastStack, reliableBroadcastStack, singleLeaderTotalOrderStack } from "../../../../src/protocols/broadcast/stacks";
import { fairLossLink, reliableFifoLink } from "../../../../src/protocols/links";
import {
  addOnlySet,
  appendLog,
  counter,
  leaderReplica,
  observedRemoveSet,
  stateMachineReplica,
  stateSyncSet,
} from "../../../../src/protocols/replication";
import { checkConvergence, finalViews } from "../../../../src/checks/convergence";

const NODES = ["A", "B", "C"];

interface Run {
  seed: string;
  protocol: AnyProtocol;
  /** [node, atMs, update] */
  updates: [string, number, unknown][];
  loss?: number;
  duplicate?: number;
  untilMs?: number;
  /** B removes "x" as soon as it has delivered A's add of "x" (the causal dependency). */
  removeAfterAdd?: boolean;
}

function run(r: Run) {
  const sim = new Simulation({
    seed: r.seed,
    nodes: NODES,
    protocol: r.protocol,
    network: { model: "fair-loss", latency: latency.uniform(1, 100), loss: r.loss ?? 0, duplicate: r.duplicate ?? 0 },
  });
  for (const [node, atMs, u] of r.updates) sim.request(node, { type: "update", u }, atMs);
  if (r.removeAfterAdd) {
    sim.on((e) => e.kind === "deliver" && e.app === true && e.node === "B" && JSON.stringify((e.value as { view: unknown }).view) === '["x"]',
      (s) => s.request("B", { type: "update", u: { remove: "x" } }), { once: true });
  }
  return sim.run({ untilMs: r.untilMs ?? 5000 }).trace;
}

/** How many of 20 seeds end with the replicas in different states. */
function divergent(make: (seed: number) => Run): number {
  let count = 0;
  for (let s = 0; s < 20; s++) if (!checkConvergence(run(make(s))).ok) count += 1;
  return count;
}

const appends = (): [string, number, unknown][] => [["A", 0, { append: "a" }], ["B", 0, { append: "b" }], ["C", 0, { append: "c" }]];

describe("replication: state machine replication and the broadcast models' table", () => {
  it("State machine replication: appends over FIFO-total order broadcast converge (20 seeds, 10% loss)", () => {
    assert.equal(divergent((s) => ({ seed: `smr-${s}`, protocol: stack(stateMachineReplica(appendLog()), singleLeaderTotalOrderStack("A")), updates: appends(), loss: 0.1 })), 0);
    const views = finalViews(run({ seed: "smr-0", protocol: stack(stateMachineReplica(appendLog()), singleLeaderTotalOrderStack("A")), updates: appends() }));
    assert.equal((views.A.view as string[]).length, 3);
  });

  it("table, row 'causal': appends (deterministic only) over causal broadcast diverge in some runs", () => {
    assert.ok(divergent((s) => ({ seed: `smr-${s}`, protocol: stack(stateMachineReplica(appendLog()), causalBroadcastStack()), updates: appends() })) > 0);
  });

  it("table, row 'causal': the observed-remove set (concurrent updates commute) converges over causal broadcast", () => {
    const make = (protocol: () => AnyProtocol) => (s: number): Run => ({ seed: `orset-${s}`, protocol: protocol(), updates: [["A", 0, { add: "x" }], ["C", 5, { add: "y" }]], removeAfterAdd: true });
    assert.equal(divergent(make(() => stack(stateMachineReplica(observedRemoveSet()), causalBroadcastStack()))), 0);
    // row 'reliable': the same set over reliable broadcast, where a remove can overtake its add
    assert.ok(divergent(make(() => stack(stateMachineReplica(observedRemoveSet()), reliableBroadcastStack()))) > 0);
  });

  it("table, row 'reliable': the counter (all updates commute) converges over reliable broadcast, not over best-effort with loss or duplication", () => {
    const updates: [string, number, unknown][] = [["A", 0, { add: 1 }], ["B", 3, { add: 2 }], ["C", 6, { add: -1 }], ["A", 9, { add: 5 }]];
    assert.equal(divergent((s) => ({ seed: `ctr-${s}`, protocol: stack(stateMachineReplica(counter()), reliableBroadcastStack()), updates, loss: 0.2, duplicate: 0.1 })), 0);
    assert.ok(divergent((s) => ({ seed: `ctr-${s}`, protocol: stack(stateMachineReplica(counter()), stack(bestEffortBroadcast(), fairLossLink())), updates, loss: 0.2 })) > 0);
    assert.ok(divergent((s) => ({ seed: `ctr-${s}`, protocol: stack(stateMachineReplica(counter()), stack(bestEffortBroadcast(), fairLossLink())), updates, duplicate: 0.3 })) > 0);
  });

  it("table, row 'best-effort': sending the whole set and resending it periodically converges despite loss; sending one element does not", () => {
    const updates: [string, number, unknown][] = [["A", 0, { add: ["a"] }], ["B", 3, { add: ["b"] }], ["C", 6, { add: ["c"] }]];
    const beb = () => stack(bestEffortBroadcast(), fairLossLink());
    assert.ok(divergent((s) => ({ seed: `gset-${s}`, protocol: stack(stateMachineReplica(addOnlySet()), beb()), updates, loss: 0.3, duplicate: 0.1 })) > 0);
    assert.equal(divergent((s) => ({ seed: `gset-${s}`, protocol: stack(stateMachineReplica(stateSyncSet(), { resendEveryMs: 200 }), beb()), updates, loss: 0.3, duplicate: 0.1, untilMs: 3000 })), 0);
  });

  it("Database leader replica: followers apply the leader's log in commit order", () => {
    for (let s = 0; s < 10; s++) {
      const sim = new Simulation({ seed: `leader-${s}`, nodes: ["L", "F1", "F2"], protocol: stack(leaderReplica(appendLog(), { leader: "L" }), reliableFifoLink()),
        network: { model: "fair-loss", latency: latency.uniform(1, 50), loss: 0.2 } });
      sim.request("F1", { type: "update", u: { append: "T1" } }, 0).request("F2", { type: "update", u: { append: "T2" } }, 0).request("L", { type: "update", u: { append: "T3" } }, 1);
      sim.run({ untilMs: 5000 });
      const logs = ["L", "F1", "F2"].map((n) => sim.state<{ upper: { value: string[] } }>(n).upper.value);
      assert.equal(logs[0].length, 3);
      assert.deepEqual(logs[1], logs[0]);
      assert.deepEqual(logs[2], logs[0]);
    }
  });

  it("bad input names what was wrong", () => {
    assert.throws(() => stateMachineReplica(counter(), { resendEveryMs: 100 }), /counter has no resend\(\)/);
    assert.throws(() => leaderReplica(counter(), { leader: "" }), /leader must be a node id/);
    assert.throws(() => run({ seed: "bad", protocol: stack(stateMachineReplica(counter()), reliableBroadcastStack()), updates: [["A", 0, { add: "one" }]] }), /counter: an update must be \{ add: number \}, got \{"add":"one"\}/);
    assert.throws(() => checkConvergence([]), /names no replicas/);
  });
});
