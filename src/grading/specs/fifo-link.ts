/**
 * Graded tests of Exercise 2.1, a FIFO link over reliable links that reorder, crash-stop model
 * (lecture 2, "System model: network behaviour" and "node behaviour").
 */
import * as fc from "fast-check";
import { Trace } from "../../sim/trace";
import { defineExercise, fail, pass, type Verdict } from "../define";
import { parseTrace, preview } from "../scenarios";
import { NODE_NAMES, drivers, type LinkScenario } from "./drivers/fifo-link";
import { checkFifoLink, linkMessages } from "./link-checks";

/** Sends the scenario's nodes actually make: a crashed node handles no more requests. */
export function sendsMade(input: LinkScenario): number {
  const crashAt = new Map<number, number>();
  for (const c of input.crashes) crashAt.set(c.node, Math.min(crashAt.get(c.node) ?? Infinity, c.atMs));
  // Requests are scheduled before crashes, so a request at the crash's own time is still handled.
  return input.messages.filter((m) => m.atMs <= (crashAt.get(m.from) ?? Infinity)).length;
}

/**
 * Trusted check: FIFO, no duplicates, nothing invented; complete between nodes that did not crash;
 * and one network message per request handled (the contract: the network is reliable, so the slides'
 * algorithm needs no acknowledgements or retransmissions; a link built for lossy networks, such as
 * the kit's go-back-N link, sends more and is not an answer).
 */
export function checkCrashStopLink(input: LinkScenario, output: unknown): Verdict {
  const trace = parseTrace(output);
  if (!(trace instanceof Trace)) return trace;
  const crashed = new Set(input.crashes.map((c) => NODE_NAMES[c.node]));
  const requests = sendsMade(input);
  const verdict = checkFifoLink(trace, {
    mustDeliverAll: (from, to) => !crashed.has(from) && !crashed.has(to),
    whyAll: "neither crashed",
    expectedSends: requests,
  });
  if (!verdict.ok) return verdict;
  const sent = trace.events.flatMap((e) => (e.kind === "send" ? [e] : []));
  if (sent.length !== requests) {
    const extra = sent[Math.min(requests, sent.length - 1)];
    return fail(`the nodes handled ${requests} send request(s) and put ${sent.length} message(s) on the network; the contract asks for exactly one per request ` +
      `(the network is reliable: nothing needs acknowledging or sending again)` + (extra !== undefined && sent.length > requests ? `, e.g. ${preview(extra.msg)} from ${extra.node} at ${extra.t.toFixed(1)} ms` : ""), trace.events);
  }
  return pass;
}

/** Random scenarios: nodes, messages between distinct nodes, and crash-stop faults. */
export function linkScenarios(options: { nodesMin: number; nodesMax: number; messagesMax: number; spreadMs: number; crashesMax: number }): fc.Arbitrary<LinkScenario> {
  return fc.integer({ min: options.nodesMin, max: options.nodesMax }).chain((n) =>
    fc.record({
      seed: fc.nat(),
      nodes: fc.constant(n),
      messages: linkMessages(n, options.spreadMs, options.messagesMax),
      crashes: fc.uniqueArray(fc.record({ node: fc.nat(n - 1), atMs: fc.integer({ min: 0, max: options.spreadMs + 100 }) }), {
        maxLength: options.crashesMax,
        selector: (c) => c.node,
      }),
    }),
  );
}

const twoNodesBurst: LinkScenario = {
  seed: 3,
  nodes: 2,
  messages: Array.from({ length: 8 }, (_, k) => ({ from: 0, to: 1, atMs: k * 2 })),
  crashes: [],
};

export const fifoLinkExercise = defineExercise({
  id: "2.1",
  title: "FIFO link over reordering reliable links (crash-stop)",
  slide: "System model: network behaviour",
  module: "fifo-link",
  drivers,
  isolation: "nodes",
  tests: [
    {
      name: "one sender, a burst of messages that overtake each other",
      points: 1,
      category: "basic",
      description: "A sends 8 messages to B, 2 ms apart, over links with 1-60 ms latency: B delivers all 8 in order, and the network carries 8 messages.",
      driver: "run",
      inputs: [twoNodesBurst, { ...twoNodesBurst, seed: 4 }, { ...twoNodesBurst, seed: 5 }],
      check: checkCrashStopLink,
    },
    {
      name: "FIFO order between every pair of nodes",
      points: 3,
      category: "randomised",
      description: "2-4 nodes, up to 30 messages between random pairs within 300 ms, no crashes: each receiver delivers each sender's messages once, all of them, in the order sent; one network message per request.",
      driver: "run",
      arbitrary: linkScenarios({ nodesMin: 2, nodesMax: 4, messagesMax: 30, spreadMs: 300, crashesMax: 0 }),
      runs: 60,
      check: checkCrashStopLink,
    },
    {
      name: "crash-stop: what is delivered is always a gap-free prefix",
      points: 2,
      category: "crashes",
      description: "As above, with up to 2 nodes crashing for good at random times: deliveries from and to crashed nodes are still in order without gaps or repeats; between correct nodes, everything arrives.",
      driver: "run",
      arbitrary: linkScenarios({ nodesMin: 2, nodesMax: 4, messagesMax: 30, spreadMs: 300, crashesMax: 2 }),
      runs: 60,
      check: checkCrashStopLink,
    },
  ],
});
