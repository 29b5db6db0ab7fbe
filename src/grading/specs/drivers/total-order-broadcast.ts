/** Drivers of Exercise 4.6 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/total-order-broadcast";
import { reliableFifoLink } from "../../../protocols/broadcast/reliable-link";
import { stack } from "../../../protocols/stack";
import { simulateBroadcast, type BroadcastRun } from "../broadcast-runs";

export const drivers = {
  /** The student's total order layer over the kit's reliable FIFO links: the trace as JSON. */
  run: (student: typeof Student, run: BroadcastRun) => simulateBroadcast(stack(student.totalOrderLamport(), reliableFifoLink()), run).toJSON(),
};
