/**
 * The explorer (src/explore) over the kit's real protocols: the same handlers the simulator runs,
 * every choice of which message is delivered next, lost or duplicated, within bounds.
 */
import assert from "node:assert/strict";
import { explore, fifoOrder, noDuplicateDelivery, delivered, type ExploreOptions } from "../../../src/explore";
import { checkFifoOrder } from "../../../src/checks/fifo-order";
import { fifoBroadcast } from "../../../src/protocols/broadcast/fifo";
import { eagerReliableBroadcast } from "../../../src/protocols/broadcast/eager-reliable";
import { fairLossLink } from "../../../src/protocols/links/fair-loss-link";
import { stack } from "../../../src/protocols/stack";
import { acknowledgementChain, kMessengers, twoGeneralsSearch } from "../../../src/protocols/generals/two-generals";
import type { Protocol } from "../../../src/sim/protocol";
import { scribbler } from "../sim/helpers";

/** FIFO "broadcast" without sequence numbers: deliver whatever reliable broadcast hands up, at once. */
const deliversOnReceipt: Protocol<null, { type: "FifoMsg"; sender: number; m: unknown }, { type: "broadcast"; m: unknown }, { type: "broadcast"; m: unknown }> = {
  name: "fifo-broadcast",
  init: () => null,
  request: (_s, req, ctx) => ctx.lower({ type: "broadcast", m: { type: "FifoMsg", sender: ctx.nodes.indexOf(ctx.nodeId), m: req.m } }),
  receive: { FifoMsg: (_s, msg, _from, ctx) => ctx.deliver(msg.m, ctx.nodes[msg.sender]) },
};

/**
 * Eager reliable broadcast over single-attempt links on the explorer's reliable network: every
 * message arrives, in any order (the reordering FIFO broadcast must undo), and no retransmission
 * timers multiply the states.
 */
const reliableBroadcast = () => stack(eagerReliableBroadcast(), fairLossLink());

/** A sends A0 then A1 to B and C; the network delivers every message, in any order. */
function fifoSearch(protocol: ExploreOptions["protocol"], overrides: Partial<ExploreOptions> = {}): ExploreOptions {
  return {
    protocol,
    nodes: ["A", "B", "C"],
    requests: [{ node: "A", request: { type: "broadcast", m: "A0" } }, { node: "A", request: { type: "broadcast", m: "A1" } }],
    issueRequests: "start",
    network: { model: "reliable" },
    timers: { fire: "never" },
    invariants: [fifoOrder(), noDuplicateDelivery()],
    bounds: { maxDepth: 30, maxStates: 200_000 },
    ...overrides,
  };
}

describe("explore: bounded exhaustive search over the real protocols", function () {
  this.timeout(120_000);

  it("Two generals (k messengers): the shortest disagreement is every messenger captured, drawn as a trace", () => {
    for (const k of [1, 2, 3]) {
      const result = explore(twoGeneralsSearch(kMessengers(k)));
      assert.equal(result.verdict, "violation", result.summary);
      const run = result.violation!;
      assert.equal(run.path.filter((s) => s.kind === "lose").length, k, "every messenger lost");
      assert.equal(run.path.filter((s) => s.kind === "deliver").length, 0);
      assert.ok(run.trace.ofKind("drop").length === k && run.trace.deliveries().length >= 1, "the trace shows the losses and the decisions");
    }
  });

  it("The last message problem: the acknowledgement chain disagrees exactly when the last messenger is lost (shortest first)", () => {
    const result = explore(twoGeneralsSearch(acknowledgementChain(3)));
    assert.equal(result.verdict, "violation", result.summary);
    const kinds = result.violation!.path.filter((s) => s.kind === "deliver" || s.kind === "lose").map((s) => s.kind);
    assert.deepEqual(kinds, ["deliver", "deliver", "lose"]);
  });

  it("FIFO broadcast without sequence numbers: the shortest counterexample delivers A1 before A0", () => {
    const result = explore(fifoSearch(stack(deliversOnReceipt, reliableBroadcast())));
    assert.equal(result.verdict, "violation", result.summary);
    const run = result.violation!;
    assert.match(result.summary, /FIFO/i);
    // The same violation, found by the kit's checker on the explorer's trace.
    const check = checkFifoOrder(run.trace);
    assert.equal(check.ok, false);
    // Breadth-first: no shorter run violates FIFO order.
    const shallower = explore({ ...fifoSearch(stack(deliversOnReceipt, reliableBroadcast())), bounds: { maxDepth: run.depth - 1, maxStates: 200_000 } });
    assert.notEqual(shallower.verdict, "violation", `a shorter counterexample at depth ${run.depth - 1}`);
  });

  it("FIFO broadcast (the slides' algorithm) is correct within the bounds: every reachable state keeps FIFO order and delivers once", () => {
    const result = explore(fifoSearch(stack(fifoBroadcast(), reliableBroadcast())));
    assert.equal(result.verdict, "exhausted", result.summary);
    assert.ok(result.states > 100, `explored ${result.states} states`);
    assert.deepEqual(result.statesAtDepth.slice(0, 2), [1, result.statesAtDepth[1]]);
  });

  it("goals: some run reaches 'C delivered A1', and the run found is the shortest", () => {
    const result = explore({ ...fifoSearch(stack(fifoBroadcast(), reliableBroadcast())), invariants: [], goals: [delivered("C delivers A1", (v) => v === "A1", "C")] });
    assert.equal(result.verdict, "goal", result.summary);
    assert.ok(result.goal!.trace.deliveries("C").some((d) => d.value === "A1"));
  });

  it("the same search gives the same result, state for state", () => {
    const a = explore(fifoSearch(stack(fifoBroadcast(), reliableBroadcast()), { bounds: { maxDepth: 8, maxStates: 5_000 } }));
    const b = explore(fifoSearch(stack(fifoBroadcast(), reliableBroadcast()), { bounds: { maxDepth: 8, maxStates: 5_000 } }));
    assert.deepEqual(a.statesAtDepth, b.statesAtDepth);
    assert.equal(a.states, b.states);
  });

  it("a handler that changes the message it is handed changes no other branch of the search", () => {
    // The in-flight message is shared by every state reached from the send; each delivery must
    // hand B the message as A sent it, whatever B did to an earlier one.
    const result = explore({
      protocol: scribbler, nodes: ["A", "B"], requests: [{ node: "A", request: null }],
      network: { model: "fair-loss", maxLosses: 0, maxDuplicates: 1 },
      invariants: [{ name: "B sees what A sent", holds: (state) => {
        const seen = (state.nodes.B!.state as { seen: number[] } | undefined)?.seen ?? [];
        return seen.every((n) => n === 1) || `B saw ${JSON.stringify(seen)}`;
      } }],
    });
    assert.equal(result.verdict, "exhausted", JSON.stringify(result.violation?.message));
  });
});
