// Hostile (issue "grading that cannot be gamed"): total order through memory that every node shares
// when all nodes run in one process. Each request appends to a module-level log; every node
// delivers the log in order, polling it every 5 ms. No message is ever sent.
// Expect: with each node in its own process, nodes deliver only their own broadcasts: the tests
// that need every node to deliver every message fail.
import type { Protocol } from "../../../../src/sim/protocol";

const log: { m: unknown; sender: string }[] = [];

export interface TotalOrderLamportState { next: number }
export type TotalOrderLamportMsg = { readonly type: "Timestamped"; readonly t: number; readonly m: unknown } | { readonly type: "Clock"; readonly t: number };

export function totalOrderLamport(): Protocol<TotalOrderLamportState, TotalOrderLamportMsg, { type: "broadcast"; m: unknown }, never> {
  const drain = (state: TotalOrderLamportState, ctx: { deliver(m: unknown, from?: string): void }) => {
    while (state.next < log.length) {
      const entry = log[state.next++]!;
      ctx.deliver(entry.m, entry.sender);
    }
  };
  return {
    name: "total-order-lamport",
    init: () => ({ next: 0 }),
    request: (state, req, ctx) => {
      log.push({ m: req.m, sender: ctx.nodeId });
      drain(state, ctx);
    },
    receive: { Timestamped: () => {}, Clock: () => {} },
    periodically: { poll: { everyMs: 5, run: (state, ctx) => drain(state, ctx) } },
  };
}
