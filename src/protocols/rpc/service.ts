/**
 * paymentService(options): the payments service of lecture 1's online shop. With deduplication (the
 * default) it is Exercise 1.2's answer (./payment-dedup.ts; in the handout, the student's service);
 * without, every copy of a request is processed (payments.ts, paymentServiceWithoutDedup).
 */
import type { Protocol } from "../../sim/protocol";
import { paymentService as deduplicatingService, type PaymentServiceState } from "./payment-dedup";
import { paymentServiceWithoutDedup, type PaymentServiceOptions, type RpcMessage } from "./payments";

export function paymentService(options: PaymentServiceOptions = {}): Protocol<PaymentServiceState, RpcMessage> {
  return options.deduplicate ?? true ? deduplicatingService() : paymentServiceWithoutDedup();
}
