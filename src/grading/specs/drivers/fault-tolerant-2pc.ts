/** Drivers of Exercise 6.2, fault-tolerant two-phase commit (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/fault-tolerant-2pc";
import { singleLeaderTotalOrderStack } from "../../../protocols/broadcast/stacks";
import { stack } from "../../../protocols/stack";
import { simulate } from "../../../sim/index";
import type { CommitRun } from "./two-phase-commit";

/** The total order broadcast's leader in every graded run: the scenario's first node. */
export const leaderOf = (input: CommitRun) => input.scenario.nodes[0]!;

export const drivers = {
  /** Your layer over the kit's single-leader total order broadcast (leader: the scenario's first node), failure detector 20/100 ms; the trace as JSON. */
  run: (student: typeof Student, input: CommitRun): string =>
    simulate(input.scenario, stack(student.faultTolerantTwoPhaseCommit({ cannotCommit: input.cannotCommit ?? {}, heartbeatMs: 20, timeoutMs: 100 }), singleLeaderTotalOrderStack(leaderOf(input)))).trace.toJSON(),
};
