import { strict as assert } from "node:assert";
import { Simulation, latency } from "../../../../src/sim";
import { stack } from "../../../../src/protocols/stack";
import {
  addDelivered,
  checkLinkDeliveries,
  fifoLink,
  fifoLinkRecovery,
  hasDelivered,
  reliableLink,
  type DeliveredSet,
} from "../../../../src/protocols/links";
import type { AnyProtocol } from "../../../../src/sim/protocol";

const SEEDS = Array.from({ length: 50 }, (_, i) => `links-${i}`);

/** A sends `count` distinct messages to B (and B to A), 5 ms apart, then the run goes on to untilMs. */
function run(
  protocol: AnyProtocol,
  seed: string,
  network: object,
  options: { count?: number; untilMs?: number; faults?: (sim: Simulation) => void } = {},
) {
  const count = options.count ?? 20;
  const sim = new Simulation({ seed, nodes: ["A", "B"], protocol, network: network as never });
  for (let i = 0; i < count; i++) {
    sim.request("A", { type: "send", to: "B", m: { type: "text", text: `a${i}` } }, i * 5);
    sim.request("B", { type: "send", to: "A", m: { type: "text", text: `b${i}` } }, i * 5 + 2);
  }
  options.faults?.(sim);
  return sim.run({ untilMs: options.untilMs ?? 5000 });
}

const reorderingNetwork = { model: "reliable", latency: latency.uniform(1, 40) };
const lossyNetwork = { model: "fair-loss", latency: latency.uniform(1, 40), loss: 0.3, duplicate: 0.2 };

describe("links: delivered-set bookkeeping of the reliable link", () => {
  it("addDelivered keeps a contiguous prefix and a small out-of-order set", () => {
    const set: DeliveredSet = { below: 0, above: [] };
    for (const s of [2, 0, 3, 1, 5]) addDelivered(set, s);
    assert.deepEqual(set, { below: 4, above: [5] });
    assert.ok(hasDelivered(set, 3) && hasDelivered(set, 5) && !hasDelivered(set, 4));
  });
});

describe("links: System model: network behaviour (reliable links from fair-loss links)", () => {
  it("reliable link over fair-loss links: every message delivered exactly once, 50 seeds", () => {
    let retransmitted = 0;
    for (const seed of SEEDS) {
      const result = run(reliableLink({ retransmitMs: 60 }), seed, lossyNetwork);
      assert.deepEqual(checkLinkDeliveries(result.trace.events, { fifo: false }), [], seed);
      retransmitted += result.trace.ofKind("drop").length;
    }
    assert.ok(retransmitted > 0, "the network did lose messages");
  });

  it("a link that neither retransmits nor deduplicates loses and repeats messages (the check notices)", () => {
    // The FIFO link sent straight onto a fair-loss network has no retransmission below it.
    const kinds = new Set<string>();
    for (const seed of SEEDS.slice(0, 10)) {
      for (const v of checkLinkDeliveries(run(fifoLink(), seed, lossyNetwork).trace.events)) kinds.add(v.kind);
    }
    assert.ok(kinds.has("missing"));
  });
});

describe("links: FIFO link over reliable links that reorder (crash-stop)", () => {
  it("FIFO broadcast algorithm, point to point: in order, exactly once, over a reordering network, 50 seeds", () => {
    let reordered = 0;
    for (const seed of SEEDS) {
      const result = run(fifoLink(), seed, reorderingNetwork);
      assert.deepEqual(checkLinkDeliveries(result.trace.events), [], seed);
      // The network really reordered: without the buffer, plain receive order is not sending order.
      const receives = result.trace.ofKind("receive").filter((e) => e.node === "B").map((e) => (e.msg as unknown as { sendSeq: number }).sendSeq);
      if (receives.some((s, i) => i > 0 && s < receives[i - 1])) reordered += 1;
    }
    assert.ok(reordered > 25, `reordering seen in ${reordered} of 50 runs`);
  });

  it("stack(fifoLink, reliableLink) over fair-loss links (loss, duplication, reordering): FIFO exactly once, 50 seeds", () => {
    const protocol = stack(fifoLink({ over: "lower" }), reliableLink({ retransmitMs: 60 }));
    for (const seed of SEEDS) {
      assert.deepEqual(checkLinkDeliveries(run(protocol, seed, lossyNetwork).trace.events), [], seed);
    }
  });

  it("buggy variant: off-by-one sequence numbers deliver out of order, and the check names the message", () => {
    const found = SEEDS.flatMap((seed) => checkLinkDeliveries(run(fifoLink({ bug: "off-by-one" }), seed, reorderingNetwork).trace.events));
    const outOfOrder = found.filter((v) => v.kind === "out-of-order");
    assert.ok(outOfOrder.length > 0);
    assert.match(outOfOrder[0].description, /delivered \{"type":"text","text":"[ab]\d+"\} \(message #\d+\) after message #\d+/);
  });
});

describe("links: FIFO link in the crash-recovery model (System model: node behaviour)", () => {
  const crashes = (sim: Simulation) => {
    // Each node crashes three times at random moments during the sends, and recovers 30-80 ms later.
    const random = sim.random("test-crashes");
    for (const node of ["A", "B"]) {
      let t = random.uniform(0, 30);
      for (let k = 0; k < 3; k++) {
        const down = random.uniform(30, 80);
        sim.crash(node, t, { recoverAtMs: t + down });
        t += down + random.uniform(5, 40);
      }
    }
  };

  it("persist before delivering: no message delivered twice or skipped, over fair-loss links, 50 seeds", () => {
    const protocol = stack(fifoLinkRecovery(), reliableLink({ durable: true, retransmitMs: 60 }));
    let crashed = 0;
    for (const seed of SEEDS) {
      const result = run(protocol, seed, lossyNetwork, { faults: crashes, untilMs: 8000 });
      crashed += result.trace.ofKind("crash").length;
      assert.deepEqual(checkLinkDeliveries(result.trace.events), [], seed);
    }
    assert.equal(crashed, 50 * 6);
  });

  it("buggy variant: persisting after delivering delivers a message twice after a crash", () => {
    const protocol = stack(fifoLinkRecovery({ persist: "after-deliver", flushDelayMs: 20 }), reliableLink({ durable: true, retransmitMs: 60 }));
    const found = SEEDS.flatMap((seed) => checkLinkDeliveries(run(protocol, seed, lossyNetwork, { faults: crashes, untilMs: 8000 }).trace.events));
    assert.ok(found.some((v) => v.kind === "duplicate"), `violations: ${found.map((v) => v.kind).join(",")}`);
  });

  it("crash-stop FIFO link under crash-recovery: forgetting sendSeq and the buffer breaks delivery", () => {
    const protocol = stack(fifoLink({ over: "lower" }), reliableLink({ retransmitMs: 60 }));
    const found = SEEDS.slice(0, 20).flatMap((seed) => checkLinkDeliveries(run(protocol, seed, lossyNetwork, { faults: crashes, untilMs: 8000 }).trace.events));
    assert.ok(found.length > 0);
  });
});
