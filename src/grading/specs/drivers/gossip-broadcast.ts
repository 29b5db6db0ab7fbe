/** Drivers of Exercise 4.7 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/gossip-broadcast";
import { reliableLink } from "../../../protocols/broadcast/reliable-link";
import { stack } from "../../../protocols/stack";
import { simulateBroadcast, type BroadcastRun } from "../broadcast-runs";

export interface GossipRun extends BroadcastRun {
  readonly fanout: number;
  readonly rounds: number;
}

export const drivers = {
  /** The student's gossip layer over the kit's reliable links: the trace as JSON. */
  run: (student: typeof Student, run: GossipRun) =>
    simulateBroadcast(stack(student.gossip({ fanout: run.fanout, rounds: run.rounds }), reliableLink()), run).toJSON(),
  /** Many runs of one broadcast each (for the reach test): per run, how many nodes delivered it. */
  reach: (student: typeof Student, runs: GossipRun[]) =>
    runs.map((run) => {
      const trace = simulateBroadcast(stack(student.gossip({ fanout: run.fanout, rounds: run.rounds }), reliableLink()), run);
      return trace.deliveries().map((d) => ({ node: d.node, value: d.value }));
    }),
};
