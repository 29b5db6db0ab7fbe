/** BUGGY (processes every copy of a request it receives: the retry problem itself) variant of Exercise 1.2 (see exercises/payment-dedup.ts for the contract). */
import type { Protocol } from "../../../../../src/sim/protocol";
import type { ChargeRecord, PaymentResult, ProcessPayment, RpcMessage } from "../../../../../src/protocols/rpc/payments";

// Self-contained like a submission (only type imports, which compile away): the card check of
// src/protocols/rpc/payments.ts, validatePayment.
function validatePayment(call: ProcessPayment): string | undefined {
  if (!/^\d{16}$/.test(call.card.number.replace(/ /g, ""))) return "invalid card number";
  if (!(call.amount > 0)) return "amount must be positive";
  return undefined;
}

/** The service's state (a suggestion: change it as you like). */
export interface PaymentServiceState {
  /** Charges made, in order (the ledger). */
  charges: ChargeRecord[];
  /** Request id -> the result sent for it. */
  processed: Record<string, PaymentResult>;
}

export function paymentService(): Protocol<PaymentServiceState, RpcMessage> {
  return {
    name: "payment-service",
    init: () => ({ charges: [], processed: {} }),
    receive: {
      Request: (state, msg, from, ctx) => {
        const key = msg.requestId;
        const earlier = state.processed[key];
        if (earlier !== undefined) {
          ctx.send(from, { type: "Response", requestId: msg.requestId, result: earlier });
          return;
        }
        const reason = validatePayment(msg.call);
        let result: PaymentResult;
        if (reason !== undefined) {
          result = { result: "declined", reason };
        } else {
          const paymentId = `pay-${ctx.nodeId}-${state.charges.length}-${Math.floor(ctx.random.next() * 1e9)}`;
          const charge: ChargeRecord = { type: "charged", requestId: msg.requestId, paymentId, amount: msg.call.amount, currency: msg.call.currency };
          state.charges.push(charge);
          ctx.storage.set("charges", state.charges);
          ctx.deliver(charge);
          result = { result: "success", id: paymentId };
        }
        // (nothing remembered: every copy is processed)
        ctx.send(from, { type: "Response", requestId: msg.requestId, result });
      },
      Response: () => {},
    },
    recover: (ctx) => ({
      charges: ctx.storage.get<ChargeRecord[]>("charges") ?? [],
      processed: ctx.storage.get<Record<string, PaymentResult>>("processed") ?? {},
    }),
  };
}
