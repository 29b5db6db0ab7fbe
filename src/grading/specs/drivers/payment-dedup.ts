/** Drivers of Exercise 1.2 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/payment-dedup";
import { simulate, type Scenario } from "../../../sim/index";
import { rpcClient } from "../../../protocols/rpc/payments";

/** The node that runs your service; every other node is a shop with the kit's client stub. */
export const SERVICE = "payments";
/** The client stub's settings: retry after 60 ms, at most 6 attempts. */
export const CLIENT = { timeoutMs: 60, maxAttempts: 6 };

export const drivers = {
  /** Shops call your service over a lossy, duplicating network; the run's trace as JSON. */
  run: (student: typeof Student, scenario: Scenario): string =>
    simulate(scenario, (node) => (node === SERVICE ? student.paymentService() : rpcClient(CLIENT))).trace.toJSON(),
};
