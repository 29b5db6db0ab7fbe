/** Drivers of Exercise 8.1 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/op-map-crdt";
import { reliableBroadcastStack } from "../../../protocols/broadcast/stacks";
import { stack } from "../../../protocols/stack";
import { simulate, type Scenario } from "../../../sim/index";

export const drivers = {
  /** The student's map over the kit's eager reliable broadcast: the trace as JSON. */
  run: (student: typeof Student, scenario: Scenario) => simulate(scenario, stack(student.opBasedMap(), reliableBroadcastStack())).trace.toJSON(),
};
