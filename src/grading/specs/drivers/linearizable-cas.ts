/** Drivers of Exercise 6.4 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/linearizable-cas";
import { sequencerTotalOrder } from "../../../protocols/consistency/sequencer";
import { stack } from "../../../protocols/stack";
import { simulate, type Scenario } from "../../../sim/index";

export const drivers = {
  /** Your CAS layer over the kit's sequencer total order broadcast (the scenario's first node sequences); the trace as JSON. */
  run: (student: typeof Student, scenario: Scenario): string => simulate(scenario, stack(student.linearizableCas(), sequencerTotalOrder(scenario.nodes[0]))).trace.toJSON(),
};
