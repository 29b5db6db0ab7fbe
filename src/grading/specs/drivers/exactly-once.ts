/** Drivers of Exercise 5.1 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/exactly-once";
import { simulate, type Scenario } from "../../../sim/index";

/** The node that runs your server; every other node runs your client. */
export const SERVER = "S";

export interface ExactlyOnceRun {
  readonly scenario: Scenario;
  /** The options your client is made with. */
  readonly client: { readonly timeoutMs: number; readonly maxTimeoutMs: number };
}

export const drivers = {
  /** Your clients and your server over the scenario's network and faults; the trace as JSON. */
  run: (student: typeof Student, input: ExactlyOnceRun): string =>
    simulate(input.scenario, (node) => (node === SERVER ? student.exactlyOnceServer() : student.exactlyOnceClient(input.client))).trace.toJSON(),
};
