/** Drivers of Exercise 8.4 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/text-crdt";
import { causalBroadcastStack } from "../../../protocols/broadcast/stacks";
import { stack } from "../../../protocols/stack";
import { simulate, type Scenario } from "../../../sim/index";

export const drivers = {
  /** The student's text CRDT over the kit's causal broadcast: the trace as JSON. */
  run: (student: typeof Student, scenario: Scenario) => simulate(scenario, stack(student.positionTextCrdt(), causalBroadcastStack())).trace.toJSON(),
};
