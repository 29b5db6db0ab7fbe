/** Drivers of Exercise 4.4 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/fifo-broadcast";
import { reliableBroadcastStack } from "../../../protocols/broadcast/stacks";
import { stack } from "../../../protocols/stack";
import { simulate, type Scenario } from "../../../sim/index";

export const drivers = {
  /** The student's FIFO layer over the kit's eager reliable broadcast and reliable links: the trace as JSON. */
  run: (student: typeof Student, scenario: Scenario) => simulate(scenario, stack(student.fifoBroadcast(), reliableBroadcastStack())).trace.toJSON(),
};
