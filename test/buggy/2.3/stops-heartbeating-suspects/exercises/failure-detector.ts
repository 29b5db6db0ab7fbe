/** BUGGY (stops sending heartbeats to the nodes it suspects: after a partition where both sides suspect each other, neither ever hears from the other again) variant of Exercise 2.3 (see exercises/failure-detector.ts for the contract). */
import type { Protocol } from "../../../../../src/sim/protocol";
import type { HeartbeatMessage, HeartbeatState } from "../../../../../src/protocols/failure-detectors/heartbeat";

export type { FailureDetectorOutput, HeartbeatMessage, HeartbeatState } from "../../../../../src/protocols/failure-detectors/heartbeat";

export function eventuallyPerfectFailureDetector(): Protocol<HeartbeatState, HeartbeatMessage> {
  return {
    name: "eventually-perfect-fd",
    init: (ctx) => {
      const state: HeartbeatState = { lastHeard: {}, timeoutMs: {}, suspected: [] };
      for (const q of ctx.nodes) {
        if (q === ctx.nodeId) continue;
        state.lastHeard[q] = ctx.clock.monotonic();
        state.timeoutMs[q] = 150;
      }
      return state;
    },
    receive: {
      Heartbeat: (state, _msg, from, ctx) => {
        state.lastHeard[from] = ctx.clock.monotonic();
        const i = state.suspected.indexOf(from);
        if (i < 0) return;
        // A false suspicion: restore, and wait twice as long for this node from now on.
        state.suspected.splice(i, 1);
        state.timeoutMs[from] = state.timeoutMs[from] * 2;
        ctx.deliver({ type: "restore", node: from });
      },
    },
    periodically: {
      heartbeat: {
        everyMs: 50,
        run: (state, ctx) => {
          for (const q of ctx.nodes) if (q !== ctx.nodeId && !state.suspected.includes(q)) ctx.send(q, { type: "Heartbeat" });
        },
      },
      check: {
        everyMs: 10,
        run: (state, ctx) => {
          const now = ctx.clock.monotonic();
          for (const q of Object.keys(state.lastHeard).sort()) {
            if (state.suspected.includes(q) || now - state.lastHeard[q] <= state.timeoutMs[q]) continue;
            state.suspected.push(q);
            ctx.deliver({ type: "suspect", node: q });
          }
        },
      },
    },
  };
}
