/** Drivers of Exercise 4.5 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/causal-broadcast";
import { reliableBroadcastStack } from "../../../protocols/broadcast/stacks";
import { stack } from "../../../protocols/stack";
import { simulate, type Scenario } from "../../../sim/index";

export const drivers = {
  /** The student's causal layer over the kit's eager reliable broadcast and reliable links: the trace as JSON. */
  run: (student: typeof Student, scenario: Scenario) => simulate(scenario, stack(student.causalBroadcast(), reliableBroadcastStack())).trace.toJSON(),
};
