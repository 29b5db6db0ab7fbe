/**
 * Reference solution of Exercise 1.2 (see exercises/payment-dedup.ts for the contract): the kit's
 * payments service with deduplication on (src/protocols/rpc/payments.ts).
 */
import type { Protocol } from "../src/sim/protocol";
import { paymentService as libraryService, type PaymentServiceState, type RpcMessage } from "../src/protocols/rpc/payments";

export type { PaymentServiceState };

export function paymentService(): Protocol<PaymentServiceState, RpcMessage> {
  return libraryService({ deduplicate: true });
}
