import { strict as assert } from "node:assert";
import { Simulation, latency } from "../../../../src/sim";
import { stack } from "../../../../src/protocols/stack";
import {
  addDelivered,
  fairLossLink,
  hasDelivered,
  reliableFifoLink,
  reliableLink,
  type Buffered,
  type DeliveredSet,
  type FifoLinkMessage,
  type FifoLinkState,
  type LinkSendRequest,
} from "../../../../src/protocols/links";
import { fifoLink } from "../../../../src/protocols/links/fifo-link";
import { fifoLinkRecovery } from "../../../../src/protocols/links/fifo-link-recovery";
import { checkLinkDeliveries } from "../../../../src/checks";
import type { AnyProtocol, NodeId, Protocol } from "../../../../src/sim/protocol";

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
    // The slides' FIFO link (Exercise 2.1) sends each message once: over a lossy network nothing resends it.
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
      const receives = result.trace.ofKind("receive").filter((e) => e.node === "B").map((e) => (e.msg as unknown as FifoLinkMessage).sendSeq);
      if (receives.some((s, i) => i > 0 && s < receives[i - 1])) reordered += 1;
    }
    assert.ok(reordered > 25, `reordering seen in ${reordered} of 50 runs`);
  });

  it("reliableFifoLink (go-back-N) over fair-loss links (loss, duplication, reordering): FIFO exactly once, 50 seeds", () => {
    let retransmissions = 0;
    for (const seed of SEEDS) {
      const result = run(reliableFifoLink({ retransmitMs: 60 }), seed, lossyNetwork);
      assert.deepEqual(checkLinkDeliveries(result.trace.events), [], seed);
      // Each run asks for 40 sends; every GbnData beyond that is a retransmission.
      retransmissions += result.trace.ofKind("send").filter((e) => e.msg.type === "GbnData").length - 40;
    }
    assert.ok(retransmissions > 0);
  });

  it("go-back-N with a window of 1 (stop-and-wait) and of 4: still FIFO exactly once; bad options are errors", () => {
    for (const window of [1, 4]) {
      for (const seed of SEEDS.slice(0, 10)) {
        assert.deepEqual(checkLinkDeliveries(run(reliableFifoLink({ retransmitMs: 60, window }), seed, lossyNetwork, { untilMs: 20_000 }).trace.events), [], `${seed} window ${window}`);
      }
    }
    assert.throws(() => reliableFifoLink({ window: 0 }), /window/);
    assert.throws(() => reliableFifoLink({ durable: true }), /Exercise 2\.2/);
  });

  it("buggy variant: off-by-one sequence numbers deliver out of order, and the check names the message", () => {
    const found = SEEDS.flatMap((seed) => checkLinkDeliveries(run(offByOneFifoLink(), seed, reorderingNetwork).trace.events));
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
    const protocol = stack(persistAfterDeliverLink(20), reliableLink({ durable: true, retransmitMs: 60 }));
    const found = SEEDS.flatMap((seed) => checkLinkDeliveries(run(protocol, seed, lossyNetwork, { faults: crashes, untilMs: 8000 }).trace.events));
    assert.ok(found.some((v) => v.kind === "duplicate"), `violations: ${found.map((v) => v.kind).join(",")}`);
  });

  it("crash-stop FIFO link under crash-recovery: forgetting sendSeq and the buffer breaks delivery", () => {
    const protocol = reliableFifoLink({ retransmitMs: 60 });
    const found = SEEDS.slice(0, 20).flatMap((seed) => checkLinkDeliveries(run(protocol, seed, lossyNetwork, { faults: crashes, untilMs: 8000 }).trace.events));
    assert.ok(found.length > 0);
  });
});

/**
 * A deliberately wrong FIFO link: the receiver also accepts the number one past the expected one,
 * so of a reordered pair the second is delivered first.
 */
function offByOneFifoLink(): Protocol<FifoLinkState, FifoLinkMessage, LinkSendRequest> {
  const link = fifoLink();
  return {
    ...link,
    name: "fifo-link(off-by-one)",
    receive: {
      FifoMsg: (state, msg, from, ctx) => {
        state.buffer.push({ sender: from, sendSeq: msg.sendSeq, m: msg.m });
        // BUG: sendSeq <= expected + 1 instead of sendSeq === expected.
        for (let i = findDeliverable(state, from); i >= 0; i = findDeliverable(state, from)) {
          const [entry] = state.buffer.splice(i, 1);
          state.delivered[from] = (state.delivered[from] ?? 0) + 1;
          ctx.deliver(entry!.m, from);
        }
      },
    },
  };
}

function findDeliverable(state: FifoLinkState, sender: NodeId): number {
  const expected = state.delivered[sender] ?? 0;
  return state.buffer.findIndex((b) => b.sender === sender && b.sendSeq <= expected + 1);
}

/**
 * A deliberately wrong crash-recovery FIFO link: it delivers first and writes delivered[sender] and
 * the buffer flushDelayMs later (a write-behind cache, as when an fsync is batched). A crash in that
 * window makes the recovered node deliver the message again.
 */
function persistAfterDeliverLink(flushDelayMs: number): Protocol<FifoLinkState, FifoLinkMessage, LinkSendRequest, LinkSendRequest> {
  const link = fifoLinkRecovery();
  return {
    ...link,
    name: "fifo-link-recovery(persist-after-deliver)",
    receive: {
      FifoMsg: (state, msg, from, ctx) => {
        if (msg.sendSeq < (state.delivered[from] ?? 0) || state.buffer.some((b) => b.sender === from && b.sendSeq === msg.sendSeq)) return;
        state.buffer.push({ sender: from, sendSeq: msg.sendSeq, m: msg.m });
        ctx.storage.set("buffer", state.buffer);
        // BUG: deliver now, write the counter later.
        const removed: Buffered[] = [];
        for (;;) {
          const i = state.buffer.findIndex((b) => b.sender === from && b.sendSeq === (state.delivered[from] ?? 0));
          if (i < 0) break;
          const [entry] = state.buffer.splice(i, 1);
          state.delivered[from] = entry.sendSeq + 1;
          removed.push(entry);
          ctx.deliver(entry.m, from);
        }
        if (removed.length > 0) ctx.startTimer("flush", flushDelayMs, { delivered: { ...state.delivered }, removed });
      },
    },
    timers: {
      // The write-behind completes.
      flush: (_state, data, ctx) => {
        const { delivered, removed } = data as { delivered: Record<NodeId, number>; removed: Buffered[] };
        const stored = ctx.storage.get<Record<NodeId, number>>("delivered") ?? {};
        for (const [sender, count] of Object.entries(delivered)) stored[sender] = Math.max(stored[sender] ?? 0, count);
        ctx.storage.set("delivered", stored);
        const buffer = (ctx.storage.get<Buffered[]>("buffer") ?? []).filter(
          (b) => !removed.some((r) => r.sender === b.sender && r.sendSeq === b.sendSeq),
        );
        ctx.storage.set("buffer", buffer);
      },
    },
    // on recovery: the correct link's recovery, which delivers what the stale stored counter says is next
  };
}
