/** Drivers of Exercise 1.2 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/payment-dedup";
import { latency } from "../../../sim/network";
import { Simulation } from "../../../sim/simulation";
import { processPayment, rpcClient } from "../../../protocols/rpc/payments";

type Module = typeof Student;

/** One call of processPayment by a shop. */
export interface PaymentCall {
  /** Which shop calls: 0 = "shop", 1 = "shop2". */
  readonly shop: number;
  readonly atMs: number;
  readonly amount: number;
  /** A card the service accepts (16 digits) or one it must decline. */
  readonly validCard: boolean;
}

export interface PaymentScenario {
  readonly seed: number;
  readonly loss: number;
  readonly duplicate: number;
  readonly calls: readonly PaymentCall[];
  /** The service crashes at atMs and recovers at recoverAtMs (crash-recovery). */
  readonly crashes: readonly { readonly atMs: number; readonly recoverAtMs: number }[];
}

export const SHOPS = ["shop", "shop2"] as const;
export const SERVICE = "payments";
export const VALID_CARD = { number: "1234 5678 8765 4321", expiryDate: "10/2024", CVC: "123" };
export const INVALID_CARD = { number: "1234 5678", expiryDate: "10/2024", CVC: "123" };
/** The client stub's settings: retry after 60 ms, at most 6 attempts. */
export const CLIENT = { timeoutMs: 60, maxAttempts: 6 };

export const drivers = {
  /** Shops call your service over a lossy, duplicating network; the run's trace as JSON. */
  run: (student: Module, input: PaymentScenario): string => {
    const sim = new Simulation({
      seed: `payment-dedup-${input.seed}`,
      nodes: { [SHOPS[0]]: rpcClient(CLIENT), [SHOPS[1]]: rpcClient(CLIENT), [SERVICE]: student.paymentService() },
      network: { model: "fair-loss", latency: latency.uniform(2, 30), loss: input.loss, duplicate: input.duplicate },
    });
    for (const call of input.calls) {
      sim.request(SHOPS[call.shop], processPayment(SERVICE, call.validCard ? VALID_CARD : INVALID_CARD, call.amount), call.atMs);
    }
    for (const crash of input.crashes) sim.crash(SERVICE, crash.atMs, { recoverAtMs: crash.recoverAtMs });
    return sim.run({ untilMs: 60_000 }).trace.toJSON();
  },
};
