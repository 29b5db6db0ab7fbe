/** Drivers of Exercise 4.4 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/fifo-broadcast";
import { bestEffortBroadcast } from "../../../protocols/broadcast/best-effort";
import { reliableBroadcastStack } from "../../../protocols/broadcast/stacks";
import { fairLossLink } from "../../../protocols/links/fair-loss-link";
import { stack } from "../../../protocols/stack";
import { simulate, type Scenario } from "../../../sim/index";
import { deliveredWhenQuiet, fifoOrder, noDuplicateDelivery } from "../../../explore/index";
import { searchDriver } from "../../explore";

export const drivers = {
  /** The student's FIFO layer over the kit's eager reliable broadcast and reliable links: the trace as JSON. */
  run: (student: typeof Student, scenario: Scenario) => simulate(scenario, stack(student.fifoBroadcast(), reliableBroadcastStack())).trace.toJSON(),
  /**
   * Every delivery order (the explorer, breadth first): the student's FIFO layer over best-effort
   * broadcast, which over a network that neither loses nor duplicates is reliable and delivers in
   * any order. Invariants: FIFO order, no duplication, everything delivered once the network is quiet.
   */
  search: searchDriver((student: typeof Student) => ({
    protocol: stack(student.fifoBroadcast(), stack(bestEffortBroadcast(), fairLossLink())),
    invariants: [fifoOrder(), noDuplicateDelivery(), deliveredWhenQuiet()],
  })),
};
