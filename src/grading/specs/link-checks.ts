/**
 * Trusted checks of a FIFO link on a run's trace (Exercises 2.1 and 2.2). The messages sent are the
 * application's requests { type: "send", to, m } the nodes handled; the messages delivered are the
 * application deliveries (with the original sender). Messages are told apart by value (distinct).
 * Also the random messages of both exercises' runs. Loaded only in the trusted process (it imports fast-check).
 */
import * as fc from "fast-check";
import { fifoBreaches } from "../../checks/fifo-order";
import type { Trace } from "../../sim/trace";
import { fail, pass, type Verdict } from "../define";
import { preview } from "../scenarios";

/** Random messages between distinct nodes (indices in 0..n-1), sent in [0, spreadMs]. */
export function linkMessages(n: number, spreadMs: number, messagesMax: number) {
  return fc.array(
    fc.record({ from: fc.nat(n - 1), toOffset: fc.integer({ min: 1, max: n - 1 }), atMs: fc.integer({ min: 0, max: spreadMs }) })
      .map(({ from, toOffset, atMs }) => ({ from, to: (from + toOffset) % n, atMs })),
    { minLength: 1, maxLength: messagesMax },
  );
}

export interface FifoCheckOptions {
  /** Whether every message sent from `from` to `to` must have been delivered by the end of the run. */
  readonly mustDeliverAll: (from: string, to: string) => boolean;
  /** Why (for the message), e.g. "neither node crashed". */
  readonly whyAll: string;
  /** How many send requests the nodes must have handled (a sanity check of the trace). */
  readonly expectedSends?: number;
}

/**
 * For each sender and receiver, the messages delivered must be exactly the first k sent, in order,
 * each once; and all of them when options.mustDeliverAll says so.
 */
export function checkFifoLink(trace: Trace, options: FifoCheckOptions): Verdict {
  const events = trace.events;
  // Each message as fifoBreaches reads it (its id: the value as JSON; its event's index), and its time.
  const sent = new Map<string, { id: string; event: number; t: number }[]>();
  const delivered = new Map<string, { id: string; event: number; t: number }[]>();
  const key = (from: string, to: string) => `${from}\u0000${to}`;
  let sends = 0;
  for (const e of events) {
    if (e.kind === "request") {
      const r = e.request as { type?: unknown; to?: unknown; m?: unknown } | null;
      if (r === null || typeof r !== "object" || r.type !== "send" || typeof r.to !== "string") continue;
      sends += 1;
      const k = key(e.node, r.to);
      if (!sent.has(k)) sent.set(k, []);
      sent.get(k)!.push({ id: JSON.stringify(r.m), event: e.i, t: e.t });
    } else if (e.kind === "deliver" && e.app) {
      if (typeof e.from !== "string") return fail(`${e.node} delivered ${preview(e.value)} at ${e.t.toFixed(1)} ms without naming its sender: call ctx.deliver(m, sender)`, events);
      const k = key(e.from, e.node);
      if (!delivered.has(k)) delivered.set(k, []);
      delivered.get(k)!.push({ id: JSON.stringify(e.value), event: e.i, t: e.t });
    }
  }
  if (options.expectedSends !== undefined && sends !== options.expectedSends) {
    return fail(`the run should contain ${options.expectedSends} send requests, it contains ${sends}`, events);
  }
  const pairs = [...new Set([...sent.keys(), ...delivered.keys()])].sort();
  for (const pair of pairs) {
    const [from, to] = pair.split("\u0000");
    const out = sent.get(pair) ?? [];
    const got = delivered.get(pair) ?? [];
    for (let j = 0; j < got.length; j++) {
      if (j < out.length && got[j].id === out[j].id) continue;
      const at = `${to} at ${got[j].t.toFixed(1)} ms`;
      const index = out.findIndex((s) => s.id === got[j].id);
      if (index < 0) return fail(`${at} delivered ${got[j].id} from ${from}, which ${from} never sent to ${to}`, events);
      if (got.slice(0, j).some((d) => d.id === got[j].id)) return fail(`${at} delivered ${got[j].id} from ${from} a second time`, events);
      // The first j deliveries were the first j messages sent, so this one overtook message #j + 1.
      const breach = fifoBreaches(from, to, out, got).find((b) => b.delivery === got[j].event);
      if (breach !== undefined) {
        const first = out[breach.earlier.position];
        return fail(`FIFO order violated: ${at} delivered ${got[j].id} (message #${breach.later.position + 1} from ${from}) as the ${ordinal(j + 1)} message from ${from}; ` +
          `${first.id} (message #${breach.earlier.position + 1}, sent at ${first.t.toFixed(1)} ms) should come first`, events);
      }
      return fail(`${at} delivered ${got[j].id} (message #${index + 1} from ${from}) as the ${ordinal(j + 1)} message from ${from}`, events);
    }
    if (got.length < out.length && options.mustDeliverAll(from, to)) {
      const missing = out[got.length];
      return fail(`${from} sent ${out.length} message(s) to ${to} and ${options.whyAll}, but ${to} delivered only ${got.length}: ` +
        `${missing.id} (sent at ${missing.t.toFixed(1)} ms) was never delivered`, events);
    }
  }
  return pass;
}

function ordinal(n: number): string {
  const suffix = n % 10 === 1 && n % 100 !== 11 ? "st" : n % 10 === 2 && n % 100 !== 12 ? "nd" : n % 10 === 3 && n % 100 !== 13 ? "rd" : "th";
  return `${n}${suffix}`;
}
