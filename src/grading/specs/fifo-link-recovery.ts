/**
 * Graded tests of Exercise 2.2, a FIFO link in the crash-recovery model (lecture 2, "System model:
 * node behaviour").
 */
import * as fc from "fast-check";
import { Trace } from "../../sim/trace";
import { defineExercise, fail, pass, type Verdict } from "../define";
import { parseTrace, preview } from "../scenarios";
import { drivers, type RecoveryScenario } from "./drivers/fifo-link-recovery";
import { checkFifoLink, linkMessages } from "./link-checks";

/** Whether node `node` is up at time t (crashes are at half milliseconds, requests at whole ones). */
function upAt(input: RecoveryScenario, node: number, t: number): boolean {
  return !input.crashes.some((c) => c.node === node && c.atMs < t && t < c.atMs + c.downMs);
}

/** The layer below the student's (drivers/fifo-link-recovery.ts): the durable reliable link. */
const LINK_BELOW = "reliable-link(durable)";

/**
 * Trusted check: every message sent by a node that was up is delivered exactly once, in FIFO order;
 * and the student's layer sends through the link below (ctx.lower), never on the network itself, as
 * the contract says (a layer that brings its own retransmissions, such as the kit's go-back-N link,
 * is not an answer: it keeps nothing in stable storage).
 */
export function checkRecoveryLink(input: RecoveryScenario, output: unknown): Verdict {
  const trace = parseTrace(output);
  if (!(trace instanceof Trace)) return trace;
  const verdict = checkFifoLink(trace, {
    mustDeliverAll: () => true,
    whyAll: "every node recovered and stayed up until the end of the run",
    expectedSends: input.messages.filter((m) => upAt(input, m.from, m.atMs)).length,
  });
  if (!verdict.ok) return verdict;
  const own = trace.events.find((e) => e.kind === "send" && e.layer !== LINK_BELOW);
  if (own !== undefined && own.kind === "send") {
    return fail(`${own.node} sent ${preview(own.msg)} on the network from layer ${preview(own.layer)} at ${own.t.toFixed(1)} ms: your layer must send through the link below, ctx.lower({ type: "send", to, m })`, trace.events);
  }
  return pass;
}

/** A node's crashes in time order, never overlapping, at half milliseconds (so never tied with a request). */
function crashSchedule(node: number, list: readonly { atMs: number; downMs: number }[]): { node: number; atMs: number; downMs: number }[] {
  const out: { node: number; atMs: number; downMs: number }[] = [];
  let free = 0;
  for (const c of [...list].sort((a, b) => a.atMs - b.atMs)) {
    const atMs = Math.max(c.atMs, free) + 0.5;
    out.push({ node, atMs, downMs: c.downMs });
    free = Math.ceil(atMs + c.downMs) + 1;
  }
  return out;
}

const crashList = (spreadMs: number, maxLength: number) =>
  fc.array(fc.record({ atMs: fc.integer({ min: 0, max: spreadMs + 100 }), downMs: fc.integer({ min: 20, max: 150 }) }), { maxLength });
const lossArbitrary = (lossMax: number) => fc.constantFrom(...[0, 0.1, 0.2].filter((l) => l <= lossMax));

/** Random scenarios: 2-3 nodes, messages between them, each node crashing and recovering a few times. */
export function recoveryScenarios(options: { messagesMax: number; spreadMs: number; crashesPerNodeMax: number; lossMax: number }): fc.Arbitrary<RecoveryScenario> {
  return fc.integer({ min: 2, max: 3 }).chain((n) =>
    fc.record({
      seed: fc.nat(),
      nodes: fc.constant(n),
      loss: lossArbitrary(options.lossMax),
      messages: linkMessages(n, options.spreadMs, options.messagesMax),
      crashes: fc
        .array(crashList(options.spreadMs, options.crashesPerNodeMax), { minLength: n, maxLength: n })
        .map((perNode) => perNode.flatMap((list, node) => crashSchedule(node, list))),
    }),
  );
}

/** A sends to B; only B crashes (and recovers). */
export function receiverCrashScenarios(options: { messagesMax: number; spreadMs: number; crashesMax: number; lossMax: number }): fc.Arbitrary<RecoveryScenario> {
  return fc.record({
    seed: fc.nat(),
    nodes: fc.constant(2),
    loss: lossArbitrary(options.lossMax),
    messages: fc.array(fc.record({ from: fc.constant(0), to: fc.constant(1), atMs: fc.integer({ min: 0, max: options.spreadMs }) }), {
      minLength: 1,
      maxLength: options.messagesMax,
    }),
    crashes: crashList(options.spreadMs, options.crashesMax).map((list) => crashSchedule(1, list)),
  });
}

export const fifoLinkRecoveryExercise = defineExercise({
  id: "2.2",
  title: "FIFO link in the crash-recovery model",
  slide: "System model: node behaviour",
  module: "fifo-link-recovery",
  drivers,
  isolation: "nodes",
  tests: [
    {
      name: "no crashes: FIFO and exactly once over fair-loss links",
      points: 1,
      category: "unreliable network",
      description: "2-3 nodes, up to 25 messages, up to 20% loss and 10% duplication, nobody crashes: the stack delivers everything once, in order.",
      driver: "run",
      arbitrary: recoveryScenarios({ messagesMax: 25, spreadMs: 300, crashesPerNodeMax: 0, lossMax: 0.2 }),
      runs: 30,
      check: checkRecoveryLink,
    },
    {
      name: "a receiver crashes: nothing lost, nothing delivered twice",
      points: 2,
      category: "crashes",
      description: "A sends up to 20 messages to B; B crashes up to 3 times and recovers 20-150 ms later each time (A never crashes): B still delivers each message once, in order.",
      driver: "run",
      arbitrary: receiverCrashScenarios({ messagesMax: 20, spreadMs: 300, crashesMax: 3, lossMax: 0.2 }),
      runs: 40,
      check: checkRecoveryLink,
    },
    {
      name: "senders and receivers crash and recover: FIFO, exactly once",
      points: 3,
      category: "crashes",
      description: "2-3 nodes send up to 25 messages to each other; every node crashes up to 3 times and recovers 20-150 ms later: every message sent is delivered once, each sender's in the order sent.",
      driver: "run",
      arbitrary: recoveryScenarios({ messagesMax: 25, spreadMs: 300, crashesPerNodeMax: 3, lossMax: 0.2 }),
      runs: 50,
      check: checkRecoveryLink,
    },
  ],
});
