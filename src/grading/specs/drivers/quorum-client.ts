/** Drivers of Exercise 5.4 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/quorum-client";
import { quorumReplica } from "../../../protocols/replication/quorum-replica";
import { simulate, type Scenario } from "../../../sim/index";

export interface QuorumRun {
  readonly scenario: Scenario;
  /** The replicas (the kit's quorumReplica); every other node runs your client. */
  readonly replicas: readonly string[];
  readonly r: number;
  readonly w: number;
  readonly timeoutMs: number;
}

export const drivers = {
  /** Your client at the client nodes, the kit's replicas at the others; the trace as JSON. */
  run: (student: typeof Student, input: QuorumRun): string =>
    simulate(input.scenario, (node) =>
      input.replicas.includes(node) ? quorumReplica() : student.quorumClient({ replicas: input.replicas, r: input.r, w: input.w, timeoutMs: input.timeoutMs }),
    ).trace.toJSON(),
};
