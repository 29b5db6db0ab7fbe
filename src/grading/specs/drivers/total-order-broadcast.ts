/** Drivers of Exercise 4.6 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/total-order-broadcast";
import { reliableFifoLink } from "../../../protocols/links/go-back-n";
import { stack } from "../../../protocols/stack";
import { simulate, type Scenario } from "../../../sim/index";

export const drivers = {
  /** The student's total order layer over the kit's reliable FIFO links: the trace as JSON. */
  run: (student: typeof Student, scenario: Scenario) => simulate(scenario, stack(student.totalOrderLamport(), reliableFifoLink())).trace.toJSON(),
};
