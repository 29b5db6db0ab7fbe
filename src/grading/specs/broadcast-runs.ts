/**
 * Broadcast workloads for the protocol exercises of lecture 4 (4.4-4.7), as scenarios
 * (src/sim/scenario.ts): "on request to broadcast m" at given nodes and times. Loaded in the
 * grader's sandbox too: it imports only the simulator.
 */
import type { ScenarioRequest } from "../../sim/index";

/** Broadcasts as scenario requests "broadcast m": [node, atMs, m] each. */
export function broadcasts(list: readonly (readonly [string, number, string])[]): ScenarioRequest[] {
  return list.map(([node, atMs, m]) => ({ node, atMs, request: { type: "broadcast", m } }));
}
