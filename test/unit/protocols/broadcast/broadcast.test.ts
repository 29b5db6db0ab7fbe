import assert from "node:assert/strict";
import {
  checkCausalOrder,
  checkFifoOrder,
  checkFifoTotalOrder,
  checkReliability,
  checkTotalOrder,
  type CheckResult,
} from "../../../../src/checks";
import {
  bestEffortBroadcast,
  causalBroadcast,
  causalBroadcastStack,
  eagerReliableBroadcast,
  fifoBroadcast,
  fifoBroadcastStack,
  gossip,
  lamportTotalOrderStack,
  reliableBroadcastStack,
  singleLeaderTotalOrderStack,
  totalOrderLamport,
  type CausalMsg,
  type FifoMsg,
  type TotalOrderLamportMsg,
} from "../../../../src/protocols/broadcast";
import { fairLossLink, reliableFifoLink, reliableLink } from "../../../../src/protocols/links";
import { stack } from "../../../../src/protocols/stack";
import type { AnyProtocol, Protocol, Trace } from "../../../../src/sim";
import { runBroadcast, SEEDS, type Workload } from "./workload";

type Checker = (trace: Trace) => CheckResult;

/** Asserts the checker passes on every seed, printing the first violation and seed otherwise. */
function holdsForAllSeeds(protocol: () => AnyProtocol, check: Checker, w: Workload = {}): void {
  for (const seed of SEEDS) {
    const trace = runBroadcast(seed, protocol(), w);
    const result = check(trace);
    assert.ok(result.ok, `seed=${seed}: ${result.violations[0]?.message}`);
  }
}

/** The seeds on which the checker fails (to show a protocol does not give a property). */
function failingSeeds(protocol: () => AnyProtocol, check: Checker, w: Workload = {}): string[] {
  return SEEDS.filter((seed) => !check(runBroadcast(seed, protocol(), w)).ok);
}

/** FIFO broadcast with the buffer removed: delivers on receipt (deliberately broken). */
function fifoDeliveringOnReceipt(): Protocol<any, FifoMsg, any, any> {
  const good = fifoBroadcast();
  return { ...good, name: "fifo-broken", receive: { FifoMsg: (_s, msg, _from, ctx) => ctx.deliver(msg.m, ctx.nodes[msg.sender]) } };
}

/** Causal broadcast whose deps only count the sender's own messages (deliberately broken: that is FIFO). */
function causalWithoutDeps(): Protocol<any, CausalMsg, any, any> {
  const good = causalBroadcast();
  return {
    ...good,
    name: "causal-broken",
    request: (state, req, ctx) => {
      const i = ctx.nodes.indexOf(ctx.nodeId);
      const deps = state.delivered.map(() => 0); // BUG: should start from delivered
      deps[i] = state.sendSeq;
      state.sendSeq += 1;
      ctx.lower({ type: "broadcast", m: { type: "CausalMsg", sender: i, deps, m: req.m } });
    },
  };
}

const reliableAndNoDuplicates: Checker = checkReliability;

describe("broadcast protocols in the simulator (lecture 4)", function () {
  this.timeout(120_000);

  it("Broadcast algorithms (first attempt): best-effort over fair-loss links loses messages", () => {
    const seeds = failingSeeds(() => stack(bestEffortBroadcast(), fairLossLink()), checkReliability);
    assert.ok(seeds.length > 40, `${seeds.length} of 50 seeds lost or duplicated a message`);
  });

  it("Broadcast algorithms (first attempt): best-effort over reliable links is reliable when nobody crashes", () => {
    holdsForAllSeeds(() => stack(bestEffortBroadcast(), reliableLink()), reliableAndNoDuplicates);
  });

  it("Broadcast algorithms (first attempt): a sender crashing midway leaves some nodes without its message", () => {
    // A broadcasts at once and crashes 2 ms later, before its link can retransmit.
    const agreementBroken = SEEDS.filter((seed) => {
      const trace = runBroadcast(seed, stack(bestEffortBroadcast(), reliableLink()), { crashes: [["A", 2]], spreadMs: 1, perNode: 1, loss: 0.5 });
      return checkReliability(trace).violations.some((v) => v.property === "agreement");
    });
    assert.ok(agreementBroken.length > 0, "some seed shows an agreement violation");
  });

  it("Eager reliable broadcast: every correct node delivers every message exactly once, over 50 seeds", () => {
    holdsForAllSeeds(reliableBroadcastStack, checkReliability);
  });

  it("Eager reliable broadcast: survives a sender crashing midway (agreement), over 50 seeds", () => {
    holdsForAllSeeds(reliableBroadcastStack, checkReliability, { crashes: [["A", 2]], spreadMs: 1, perNode: 1, loss: 0.5 });
  });

  it("Eager reliable broadcast: is not FIFO (some seed delivers a node's messages out of order)", () => {
    assert.ok(failingSeeds(reliableBroadcastStack, checkFifoOrder).length > 0);
  });

  it("Eager reliable broadcast over FIFO links is already causal (every relay keeps each link's order)", () => {
    holdsForAllSeeds(() => stack(eagerReliableBroadcast(), reliableFifoLink()), checkCausalOrder);
  });

  it("Gossip protocols: with fanout n-1 every node gets every message", () => {
    holdsForAllSeeds(() => stack(gossip({ fanout: 3, rounds: 5 }), reliableLink()), checkReliability); // 4 nodes: 3 = n - 1
  });

  it("Gossip protocols: forwarding to 3 random nodes reaches all of 20 nodes with high probability, not always", () => {
    const nodes = Array.from({ length: 20 }, (_, k) => `n${String(k).padStart(2, "0")}`);
    let complete = 0;
    let deliveries = 0;
    for (const seed of SEEDS) {
      const trace = runBroadcast(seed, stack(gossip({ fanout: 3, rounds: 20 }), reliableLink()), { nodes, perNode: 1, loss: 0 });
      deliveries += trace.deliveries().length;
      if (checkReliability(trace).ok) complete += 1;
    }
    const coverage = deliveries / (50 * 20 * 20);
    assert.ok(coverage > 0.9, `coverage ${coverage}`);
    assert.ok(complete < 50, `${complete} of 50 runs reached everyone: the slide says "with high probability"`);
  });

  it("FIFO broadcast: delivers m1 before m2 when sent in that order, reliably, over 50 seeds", () => {
    holdsForAllSeeds(fifoBroadcastStack, (t) => {
      const fifo = checkFifoOrder(t);
      return fifo.ok ? checkReliability(t) : fifo;
    });
  });

  it("FIFO broadcast algorithm: delivering on receipt (no buffer) is caught by the FIFO checker", () => {
    const seeds = failingSeeds(() => stack(stack(fifoDeliveringOnReceipt(), eagerReliableBroadcast()), reliableLink()), checkFifoOrder);
    assert.ok(seeds.length > 0);
  });

  it("FIFO broadcast: is not causal (some seed delivers m2 before m1 although m2's sender had delivered m1)", () => {
    assert.ok(failingSeeds(fifoBroadcastStack, checkCausalOrder).length > 0);
  });

  it("Causal broadcast algorithm: causal order, FIFO order and reliability over 50 seeds", () => {
    holdsForAllSeeds(causalBroadcastStack, (t) => {
      for (const check of [checkCausalOrder, checkFifoOrder, checkReliability]) {
        const result = check(t);
        if (!result.ok) return result;
      }
      return { ok: true, violations: [] };
    });
  });

  it("Causal broadcast algorithm: deps without the delivered vector is caught by the causal checker", () => {
    const seeds = failingSeeds(() => stack(stack(causalWithoutDeps(), eagerReliableBroadcast()), reliableLink()), checkCausalOrder);
    assert.ok(seeds.length > 0);
  });

  it("Causal broadcast: is not total order (some seed delivers concurrent messages differently)", () => {
    assert.ok(failingSeeds(causalBroadcastStack, checkTotalOrder).length > 0);
  });

  it("Total order broadcast algorithms (single leader): FIFO-total order and reliability over 50 seeds", () => {
    holdsForAllSeeds(() => singleLeaderTotalOrderStack("B"), (t) => {
      const order = checkFifoTotalOrder(t);
      return order.ok ? checkReliability(t) : order;
    });
  });

  it("Total order broadcast algorithms (single leader): if the leader crashes, no more messages are delivered", () => {
    const trace = runBroadcast("leader-crash", singleLeaderTotalOrderStack("B"), { crashes: [["B", 100]], spreadMs: 600 });
    const lastDelivery = Math.max(...trace.deliveries().map((d) => d.t));
    assert.ok(lastDelivery < 100 + 200, `last delivery at ${lastDelivery} ms`);
    const result = checkReliability(trace);
    assert.equal(result.ok, false);
    assert.ok(result.violations.every((v) => v.property === "validity"));
    assert.ok(checkTotalOrder(trace).ok, "what was delivered is still in total order");
  });

  it("Total order broadcast algorithms (Lamport clocks): FIFO-total order and reliability over 50 seeds", () => {
    holdsForAllSeeds(lamportTotalOrderStack, (t) => {
      const order = checkFifoTotalOrder(t);
      return order.ok ? checkReliability(t) : order;
    });
  });

  it("Total order broadcast algorithms (Lamport clocks): delivering without waiting for every node is caught", () => {
    // Broken: one node, never heard from, is enough to stall; without the wait it delivers in arrival order.
    const eager = (): AnyProtocol => {
      const good = totalOrderLamport();
      return stack(
        {
          ...good,
          name: "total-order-lamport-broken",
          request: (state, req, ctx) => {
            state.t += 1;
            const msg: TotalOrderLamportMsg = { type: "Timestamped", t: state.t, m: req.m };
            for (const node of ctx.nodes) if (node !== ctx.nodeId) ctx.lower({ type: "send", to: node, m: msg });
            ctx.deliver(req.m, ctx.nodeId);
          },
          receive: {
            Timestamped: (state, msg, from, ctx) => {
              state.t = Math.max(state.t, msg.t) + 1;
              ctx.deliver(msg.m, from); // BUG: no hold-back queue
            },
            Clock: () => {},
          },
        },
        reliableFifoLink(),
      );
    };
    assert.ok(failingSeeds(eager, checkTotalOrder).length > 0);
  });
});
