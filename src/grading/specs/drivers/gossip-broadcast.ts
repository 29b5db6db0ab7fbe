/** Drivers of Exercise 4.7 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/gossip-broadcast";
import { reliableLink } from "../../../protocols/links/reliable-link";
import { stack } from "../../../protocols/stack";
import { simulate, type Scenario } from "../../../sim/index";

/** A gossip run: a broadcast scenario and the gossip parameters. */
export interface GossipRun {
  readonly scenario: Scenario;
  readonly fanout: number;
  readonly rounds: number;
}

function run(student: typeof Student, input: GossipRun) {
  return simulate(input.scenario, stack(student.gossip({ fanout: input.fanout, rounds: input.rounds }), reliableLink())).trace;
}

export const drivers = {
  /** The student's gossip layer over the kit's reliable links: the trace as JSON. */
  run: (student: typeof Student, input: GossipRun) => run(student, input).toJSON(),
  /** Many runs of one broadcast each (for the reach test): per run, how many nodes delivered it. */
  reach: (student: typeof Student, inputs: GossipRun[]) =>
    inputs.map((input) => run(student, input).deliveries().map((d) => ({ node: d.node, value: d.value }))),
};
