/**
 * Reference solution of Exercise 2.3 (see exercises/failure-detector.ts for the contract): an
 * eventually perfect failure detector (lecture 2, slide "Failure detection and partial synchrony").
 * Heartbeats every 50 ms to every other node; a node silent for longer than its timeout is suspected;
 * a heartbeat from a suspected node proves the suspicion false, so the node is restored and its
 * timeout doubled. Before GST timeouts grow with each mistake; after GST they stop growing once they
 * exceed the (unknown) latency bound plus the heartbeat interval, so mistakes stop (eventual strong
 * accuracy). A crashed node sends nothing and stays suspected for ever (strong completeness).
 *
 * The kit's library has only the fixed-timeout detector (src/protocols/failure-detectors/heartbeat.ts);
 * this file is the one home of the adaptive one. src/protocols/failure-detectors/eventually-perfect.ts
 * re-exports it for notebook 02 (in the students' copy, their own exercise instead).
 */
import type { NodeId, Protocol } from "../src/sim/protocol";
import type { FailureDetectorOutput, HeartbeatMessage, HeartbeatState } from "../src/protocols/failure-detectors/heartbeat";

export type { FailureDetectorOutput, HeartbeatMessage, HeartbeatState } from "../src/protocols/failure-detectors/heartbeat";

/** Heartbeat period, the first guess at a timeout, how often timeouts are checked (ms), and the growth factor. */
const HEARTBEAT_EVERY_MS = 50;
const FIRST_TIMEOUT_MS = 150;
const CHECK_EVERY_MS = 10;
const GROWTH = 2;

/** A node's view of the others right after it starts (or recovers): everyone just heard from. */
function freshView(me: NodeId, everyone: readonly NodeId[], now: number): HeartbeatState {
  const lastHeard: Record<NodeId, number> = {};
  const timeoutMs: Record<NodeId, number> = {};
  for (const q of everyone) {
    if (q !== me) {
      lastHeard[q] = now; // lastHeard[q] := now
      timeoutMs[q] = FIRST_TIMEOUT_MS; // timeout[q] := initial guess
    }
  }
  return { lastHeard, timeoutMs, suspected: [] };
}

export function eventuallyPerfectFailureDetector(): Protocol<HeartbeatState, HeartbeatMessage> {
  return {
    name: "eventually-perfect-fd",

    // on initialisation do: lastHeard[q] := now, timeout[q] := initial guess, suspected := {}
    init: (ctx) => freshView(ctx.nodeId, ctx.nodes, ctx.clock.monotonic()),

    receive: {
      // on receiving Heartbeat from q do
      Heartbeat: (state, _msg, q, ctx) => {
        state.lastHeard[q] = ctx.clock.monotonic();
        if (!state.suspected.includes(q)) return;
        // q ∈ suspected, yet alive: a false suspicion. Restore q, and wait longer for it from now on.
        state.suspected = state.suspected.filter((p) => p !== q);
        state.timeoutMs[q] = state.timeoutMs[q] * GROWTH;
        ctx.label(`restore ${q}`);
        const output: FailureDetectorOutput = { type: "restore", node: q };
        ctx.deliver(output);
      },
    },

    periodically: {
      // periodically do: send Heartbeat to every other node (the suspected ones too: they may be alive)
      heartbeat: {
        everyMs: HEARTBEAT_EVERY_MS,
        run: (_state, ctx) => {
          for (const q of ctx.nodes) {
            if (q !== ctx.nodeId) ctx.send(q, { type: "Heartbeat" });
          }
        },
      },
      // periodically do: for each q ∉ suspected with now - lastHeard[q] > timeout[q], suspect q
      timeouts: {
        everyMs: CHECK_EVERY_MS,
        run: (state, ctx) => {
          const now = ctx.clock.monotonic();
          const silent = Object.keys(state.lastHeard)
            .filter((q) => !state.suspected.includes(q) && now - state.lastHeard[q] > state.timeoutMs[q])
            .sort();
          for (const q of silent) {
            state.suspected.push(q);
            ctx.label(`suspect ${q}`);
            const output: FailureDetectorOutput = { type: "suspect", node: q };
            ctx.deliver(output);
          }
        },
      },
    },

    // on recovery from crash do: start afresh (heartbeats and timeouts are soft state)
    recover: (ctx) => freshView(ctx.nodeId, ctx.nodes, ctx.clock.monotonic()),
  };
}
