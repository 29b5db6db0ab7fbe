/**
 * Reference solution of Exercise 2.3 (see exercises/failure-detector.ts for the contract): the kit's
 * heartbeat detector with adaptive timeouts, doubling a node's timeout after each false suspicion
 * (src/protocols/failure-detectors/heartbeat.ts).
 */
import type { Protocol } from "../src/sim/protocol";
import { heartbeatFailureDetector, type HeartbeatMessage, type HeartbeatState } from "../src/protocols/failure-detectors/heartbeat";

export type { FailureDetectorOutput, HeartbeatMessage, HeartbeatState } from "../src/protocols/failure-detectors/heartbeat";

export function eventuallyPerfectFailureDetector(): Protocol<HeartbeatState, HeartbeatMessage> {
  return heartbeatFailureDetector({ adaptive: true, heartbeatMs: 50, timeoutMs: 150, checkMs: 10, backoff: 2 });
}
