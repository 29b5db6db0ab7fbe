/**
 * Exercise 2.3: an eventually perfect failure detector under partial synchrony (lecture 2, slides
 * "Failure detectors" and "Failure detection and partial synchrony").
 *
 * Every node runs your protocol and watches every other node. It tells its application what it
 * currently believes with ctx.deliver:
 *   { type: "suspect", node }   from now on, I believe `node` has crashed
 *   { type: "restore", node }   I was wrong: `node` is alive after all
 * (only changes: never suspect a node already suspected, or restore one not suspected).
 *
 * The system is partially synchronous: until GST (a time your nodes do not know) messages may be
 * delayed by seconds and nodes may pause; after GST every message arrives within a bound that your
 * nodes do not know either (from 50 ms to several seconds in the tests: links are sometimes
 * congested, and then messages take about that long). Nodes crash and stay down
 * (crash-stop); links are reliable. A timeout-based detector with a fixed timeout keeps making
 * mistakes whenever the bound exceeds its timeout; an eventually perfect one adapts:
 *
 *   on initialisation do
 *     for each other node q: lastHeard[q] := now; timeout[q] := an initial guess (e.g. 150 ms)
 *     suspected := {}
 *   periodically (e.g. every 50 ms) do
 *     send Heartbeat to every other node
 *   on receiving Heartbeat from q do
 *     lastHeard[q] := now
 *     if q ∈ suspected then               // a false suspicion: q was alive
 *       suspected := suspected \ {q}; deliver (restore, q)
 *       ... and make sure this mistake cannot repeat for ever (what must change?)
 *   periodically (e.g. every 10 ms) do
 *     for each q ∉ suspected with now - lastHeard[q] > timeout[q] do
 *       suspected := suspected ∪ {q}; deliver (suspect, q)
 *
 * Measure time with ctx.clock.monotonic() (timers and periodic tasks run on it too). Send at most one
 * heartbeat to each node every 20 ms (the tests bound the size of a run).
 *
 * What the tests observe, over many seeds: 3-4 nodes, GST between 0.5 and 3 s, some nodes crashing
 * (before or after GST). From 8 s + 8 x the latency bound after both GST and the last crash, until
 * the end of the run 4 s later, every node that has not crashed must suspect exactly the crashed nodes, without a break:
 * strong completeness (every crashed node is suspected by every correct node, for ever) and eventual
 * strong accuracy (no correct node is suspected by a correct node). Before that, mistakes are allowed.
 * Some runs are synchronous from the start (GST at 0, latency at most 50 or 200 ms): there the
 * detector must be right from 1 s + 8 x the bound after the last crash. The bounds after GST go up
 * to 4 s, so no single fixed timeout passes both kinds of run.
 */
import type { Protocol } from "../src/sim/protocol";
import type { HeartbeatMessage, HeartbeatState } from "../src/protocols/failure-detectors/heartbeat";

export type { FailureDetectorOutput, HeartbeatMessage, HeartbeatState } from "../src/protocols/failure-detectors/heartbeat";

export function eventuallyPerfectFailureDetector(): Protocol<HeartbeatState, HeartbeatMessage> {
  return {
    name: "eventually-perfect-fd",
    init: () => ({ lastHeard: {}, timeoutMs: {}, suspected: [] }),
    receive: {
      Heartbeat: (state, msg, from, ctx) => {
        throw new Error("Exercise 2.3 not implemented yet: on receiving Heartbeat");
      },
    },
    periodically: {
      heartbeat: {
        everyMs: 50,
        run: (state, ctx) => {
          throw new Error("Exercise 2.3 not implemented yet: periodically send Heartbeat");
        },
      },
    },
  };
}
