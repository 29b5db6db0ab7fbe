/**
 * Timeout-based failure detectors (lecture 2, "Failure detectors" and "Failure detection and partial
 * synchrony").
 *
 * Every node periodically sends a Heartbeat to every other node. A node suspects another when it has
 * heard nothing from it for longer than a timeout, and stops suspecting it when a heartbeat arrives.
 * The detector cannot tell a crashed node from a slow one, a lost heartbeat or a delayed one, so with
 * a fixed timeout it makes false suspicions whenever latency exceeds the timeout.
 *
 * The timeout here is fixed. The eventually perfect detector, which learns from its false suspicions,
 * is Exercise 2.3: its answer lives in solutions/failure-detector.ts only, re-exported for the
 * notebooks by ./eventually-perfect.ts. HeartbeatState is the state that exercise suggests.
 *
 * Outputs go to the application as deliveries `{ type: "suspect", node }` and `{ type: "restore", node }`,
 * so they appear in the trace, where `suspicionsFromTrace` and `checkEventuallyPerfect` read them.
 */
import type { NodeId, Protocol } from "../../sim/protocol";

export type HeartbeatMessage = { type: "Heartbeat" };

export type FailureDetectorOutput = { type: "suspect"; node: NodeId } | { type: "restore"; node: NodeId };

export interface HeartbeatState {
  /** Per node: monotonic time (ms) the last heartbeat arrived (init: the start). */
  lastHeard: Record<NodeId, number>;
  /** Per node: the current timeout, ms. */
  timeoutMs: Record<NodeId, number>;
  /** Nodes currently suspected. */
  suspected: NodeId[];
}

export interface HeartbeatOptions {
  /** Send a heartbeat this often, ms. Default 50. */
  heartbeatMs?: number;
  /** Initial timeout, ms. Default 150. */
  timeoutMs?: number;
  /** How often to check the timeouts, ms. Default 10. */
  checkMs?: number;
}

export function heartbeatFailureDetector(options: HeartbeatOptions = {}): Protocol<HeartbeatState, HeartbeatMessage> {
  const heartbeatMs = options.heartbeatMs ?? 50;
  const initialTimeoutMs = options.timeoutMs ?? 150;
  const checkMs = options.checkMs ?? 10;
  if (!(initialTimeoutMs > 0) || !(heartbeatMs > 0) || !(checkMs > 0)) throw new RangeError("heartbeatFailureDetector: heartbeatMs, timeoutMs and checkMs must be > 0");
  if ("adaptive" in options) throw new RangeError("heartbeatFailureDetector: the timeout is fixed; the adaptive (eventually perfect) detector is Exercise 2.3, in ./eventually-perfect.ts");
  const start = (ctx: { nodeId: NodeId; nodes: readonly NodeId[]; clock: { monotonic(): number } }): HeartbeatState => {
    const state: HeartbeatState = { lastHeard: {}, timeoutMs: {}, suspected: [] };
    for (const q of ctx.nodes) {
      if (q === ctx.nodeId) continue;
      state.lastHeard[q] = ctx.clock.monotonic();
      state.timeoutMs[q] = initialTimeoutMs;
    }
    return state;
  };
  return {
    name: "heartbeat-fd",
    init: (ctx) => start(ctx),
    receive: {
      // on receiving Heartbeat from node q do
      Heartbeat: (state, _msg, from, ctx) => {
        state.lastHeard[from] = ctx.clock.monotonic();
        const i = state.suspected.indexOf(from);
        if (i < 0) return;
        // q was suspected but is alive: the suspicion was false (and the timeout stays as it is).
        state.suspected.splice(i, 1);
        ctx.label(`restore ${from}`);
        ctx.deliver({ type: "restore", node: from } satisfies FailureDetectorOutput);
      },
    },
    periodically: {
      // periodically do: send Heartbeat to every other node
      heartbeat: {
        everyMs: heartbeatMs,
        run: (_state, ctx) => {
          for (const q of ctx.nodes) if (q !== ctx.nodeId) ctx.send(q, { type: "Heartbeat" });
        },
      },
      // periodically do: suspect every node not heard from within its timeout
      check: {
        everyMs: checkMs,
        run: (state, ctx) => {
          const now = ctx.clock.monotonic();
          for (const q of Object.keys(state.lastHeard).sort()) {
            if (state.suspected.includes(q) || now - state.lastHeard[q] <= state.timeoutMs[q]) continue;
            state.suspected.push(q);
            ctx.label(`suspect ${q}`);
            ctx.deliver({ type: "suspect", node: q } satisfies FailureDetectorOutput);
          }
        },
      },
    },
    // on recovery from crash do: start afresh (heartbeats are soft state)
    recover: (ctx) => start(ctx),
  };
}
