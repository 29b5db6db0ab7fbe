/** BUGGY (measures time with the time-of-day clock, not the monotonic one the contract asks for: an NTP step looks like a minute of silence, or hides one) variant of Exercise 2.3 (see exercises/failure-detector.ts for the contract). */
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
        state.lastHeard[q] = ctx.clock.timeOfDay();
        state.timeoutMs[q] = 150;
      }
      return state;
    },
    receive: {
      Heartbeat: (state, _msg, from, ctx) => {
        state.lastHeard[from] = ctx.clock.timeOfDay();
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
        run: (_state, ctx) => {
          for (const q of ctx.nodes) if (q !== ctx.nodeId) ctx.send(q, { type: "Heartbeat" });
        },
      },
      check: {
        everyMs: 10,
        run: (state, ctx) => {
          const now = ctx.clock.timeOfDay();
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
