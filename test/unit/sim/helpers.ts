/** Small protocols for testing the simulator itself. */
import type { Protocol } from "../../../src/sim/protocol";

export type EchoMsg = { type: "Hello"; n: number } | { type: "Echo"; n: number };

/** On request {to, n}: send Hello n; replies Echo n to every Hello; delivers every Echo's n. */
export const echo: Protocol<{ got: number[] }, EchoMsg, { to: string; n: number }> = {
  name: "echo",
  init: () => ({ got: [] }),
  receive: {
    Hello: (_s, m, from, ctx) => ctx.send(from, { type: "Echo", n: m.n }),
    Echo: (s, m, from, ctx) => {
      s.got.push(m.n);
      ctx.deliver(m.n, from);
    },
  },
  request: (_s, r, ctx) => ctx.send(r.to, { type: "Hello", n: r.n }),
};

/** Receives only; delivers every message it gets (to count receipts). */
export type Note = { type: "Note"; n: number };
export const sink: Protocol<{ count: number }, Note, { to: string; n: number }> = {
  name: "sink",
  init: () => ({ count: 0 }),
  receive: {
    Note: (s, m, from, ctx) => {
      s.count++;
      ctx.deliver(m.n, from);
    },
  },
  request: (_s, r, ctx) => ctx.send(r.to, { type: "Note", n: r.n }),
};

/**
 * On request: sends B the message { n: 1 }. On receipt: records n, then overwrites the message it
 * was handed (as `m.hops++; forward(m)` would), to check that a receiver owns its copy.
 */
export type Scribbled = { type: "M"; n: number };
export const scribbler: Protocol<{ seen: number[] }, Scribbled, null> = {
  name: "scribbler",
  init: () => ({ seen: [] }),
  receive: { M: (s, m) => { s.seen.push(m.n); m.n = 99; } },
  request: (_s, _r, ctx) => ctx.send("B", { type: "M", n: 1 }),
};
