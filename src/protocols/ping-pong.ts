/**
 * Ping-pong with retries: the smallest useful protocol, and the simulator's worked example.
 * A client sends Ping n to a server and waits for Pong n; if none arrives within retryMs it sends
 * Ping n again (lecture 1, "Remote Procedure Call (RPC)": what a client can do about lost messages).
 * The client delivers n to its application when the Pong arrives, once per n.
 */
import type { Protocol } from "../sim/protocol";

export type PingPongMessage = { type: "Ping"; n: number } | { type: "Pong"; n: number };
export type PingPongRequest = { type: "ping"; to: string };

export interface PingPongState {
  /** Next ping number this node will use. */
  nextN: number;
  /** Pings sent and not yet answered: n -> the server asked. */
  outstanding: Map<number, string>;
  /** Numbers whose Pong was delivered already (so a duplicate Pong is not delivered twice). */
  answered: Set<number>;
  /** Retransmissions sent so far. */
  retries: number;
}

export interface PingPongOptions {
  /** How long to wait for a Pong before sending the Ping again, on the local clock (ms). */
  retryMs?: number;
  /** Give up after this many attempts (1 = never retry). */
  maxAttempts?: number;
}

export function pingPong(options: PingPongOptions = {}): Protocol<PingPongState, PingPongMessage, PingPongRequest> {
  const retryMs = options.retryMs ?? 50;
  const maxAttempts = options.maxAttempts ?? 10;
  return {
    name: "ping-pong",
    init: () => ({ nextN: 1, outstanding: new Map(), answered: new Set(), retries: 0 }),
    receive: {
      Ping: (_state, msg, from, ctx) => {
        ctx.send(from, { type: "Pong", n: msg.n });
      },
      Pong: (state, msg, from, ctx) => {
        if (state.answered.has(msg.n)) return; // a duplicate or late reply
        state.answered.add(msg.n);
        state.outstanding.delete(msg.n);
        ctx.deliver(msg.n, from);
      },
    },
    request: (state, req, ctx) => {
      const n = state.nextN++;
      state.outstanding.set(n, req.to);
      ctx.send(req.to, { type: "Ping", n });
      ctx.startTimer("retry", retryMs, { n, attempt: 1 });
    },
    timers: {
      retry: (state, data, ctx) => {
        const { n, attempt } = data as { n: number; attempt: number };
        const to = state.outstanding.get(n);
        if (to === undefined) return; // answered meanwhile
        if (attempt >= maxAttempts) {
          ctx.log(`gave up on ping ${n} after ${attempt} attempts`);
          state.outstanding.delete(n);
          return;
        }
        state.retries++;
        ctx.send(to, { type: "Ping", n });
        ctx.startTimer("retry", retryMs, { n, attempt: attempt + 1 });
      },
    },
  };
}
