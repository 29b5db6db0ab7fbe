/**
 * The "search" test category (src/grading/explore.ts): a driver that runs the explorer over a
 * student's FIFO layer (stacked over the kit's reliable broadcast), and the trusted check that
 * confirms a counterexample with src/checks/fifo-order.ts.
 */
import assert from "node:assert/strict";
import { searchCheck, searchDriver, type SearchInput } from "../../../src/grading/explore";
import { defineExercise } from "../../../src/grading/define";
import { deliveredWhenQuiet } from "../../../src/explore";
import { fifoOrder, noDuplicateDelivery } from "../../../src/explore";
import { checkFifoOrder } from "../../../src/checks/fifo-order";
import { fifoBroadcast } from "../../../src/protocols/broadcast/fifo";
import { eagerReliableBroadcast } from "../../../src/protocols/broadcast/eager-reliable";
import { fairLossLink } from "../../../src/protocols/links/fair-loss-link";
import { stack } from "../../../src/protocols/stack";
import type { AnyProtocol, Protocol } from "../../../src/sim/protocol";

type Student = { fifoBroadcast(): AnyProtocol };
const driver = searchDriver((student: Student) => ({ protocol: stack(student.fifoBroadcast(), stack(eagerReliableBroadcast(), fairLossLink())), invariants: [fifoOrder(), noDuplicateDelivery()] }));
const check = searchCheck(checkFifoOrder, { requireExhausted: true });
const input: SearchInput = {
  nodes: ["A", "B", "C"],
  requests: [{ node: "A", request: { type: "broadcast", m: "A0" } }, { node: "A", request: { type: "broadcast", m: "A1" } }],
  issueRequests: "start",
  network: { model: "reliable" },
  timers: { fire: "never" },
  bounds: { maxDepth: 30, maxStates: 200_000 },
};

const onReceipt: Protocol<null, { type: "FifoMsg"; sender: number; m: unknown }, { type: "broadcast"; m: unknown }, { type: "broadcast"; m: unknown }> = {
  name: "fifo-broadcast",
  init: () => null,
  request: (_s, req, ctx) => ctx.lower({ type: "broadcast", m: { type: "FifoMsg", sender: ctx.nodes.indexOf(ctx.nodeId), m: req.m } }),
  receive: { FifoMsg: (_s, msg, _from, ctx) => ctx.deliver(msg.m, ctx.nodes[msg.sender]) },
};

describe("grading/explore: search tests", function () {
  this.timeout(120_000);

  it("the slides' FIFO broadcast passes: every reachable state explored, no violation", () => {
    const output = JSON.parse(JSON.stringify(driver({ fifoBroadcast }, input)));
    assert.equal(output.verdict, "exhausted", output.summary);
    assert.deepEqual(check(input, output), { ok: true });
  });

  it("a FIFO layer that delivers on receipt fails, with the shortest counterexample confirmed by the trusted checker", () => {
    const output = JSON.parse(JSON.stringify(driver({ fifoBroadcast: () => onReceipt }, input)));
    assert.equal(output.verdict, "violation");
    const verdict = check(input, output);
    assert.equal(verdict.ok, false);
    assert.match(verdict.message!, /FIFO order/);
    assert.ok(verdict.trace !== undefined && verdict.trace.length > 0, "the failing run, for the diagram");
  });

  it("a forged violation that the checker does not confirm, or a bad shape, fails", () => {
    const honest = JSON.parse(JSON.stringify(driver({ fifoBroadcast }, { ...input, bounds: { maxDepth: 3 } })));
    assert.equal(check(input, honest).ok, false, "bounded is not enough with requireExhausted");
    assert.equal(check(input, { verdict: "violation", trace: "{}" }).ok, false);
    assert.equal(check(input, 42).ok, false);
  });

  it("a layer that buffers and never delivers keeps FIFO order but breaks 'every broadcast delivered everywhere'", () => {
    const silent = { ...onReceipt, receive: { FifoMsg: () => undefined } };
    const withQuiet = searchDriver((student: Student) => ({ protocol: stack(student.fifoBroadcast(), stack(eagerReliableBroadcast(), fairLossLink())), invariants: [fifoOrder(), deliveredWhenQuiet()] }));
    assert.equal(withQuiet({ fifoBroadcast }, input).verdict, "exhausted");
    const output = withQuiet({ fifoBroadcast: () => silent }, input);
    assert.equal(output.verdict, "violation");
    assert.match(output.summary, /every broadcast delivered everywhere/);
  });

  it("defineExercise refuses a search test unless the exercise isolates nodes (the verdict must be the grader's)", () => {
    const test = { name: "search", points: 1, category: "search", description: "d", driver: "search", inputs: [input], check };
    assert.throws(() => defineExercise({ id: "9.9", title: "t", slide: "s", module: "m", drivers: { search: driver }, tests: [test] }), /search tests need isolation "nodes"/);
    assert.doesNotThrow(() => defineExercise({ id: "9.9", title: "t", slide: "s", module: "m", drivers: { search: driver }, isolation: "nodes", tests: [test] }));
  });
});
