/**
 * Reference solution of Exercise 1.2 (see exercises/payment-dedup.ts for the contract), lecture 1,
 * slide "Remote Procedure Call (RPC)": a retried request must not charge the card twice. The answer
 * has one home, here: the library's deduplicating service (src/protocols/rpc/payment-dedup.ts, used
 * by paymentService() in payments.ts) re-exports this file, and the handout ships that file as a
 * re-export of the student's exercises/payment-dedup.ts.
 */
import type { Protocol } from "../src/sim/protocol";
import { paymentId, validatePayment, type ChargeRecord, type PaymentResult, type RpcMessage } from "../src/protocols/rpc/payments";

/** The service's state. */
export interface PaymentServiceState {
  /** Charges made, in order (the ledger; in stable storage). */
  charges: ChargeRecord[];
  /** Request id -> the result sent for it (in stable storage). */
  processed: Record<string, PaymentResult>;
}

export function paymentService(): Protocol<PaymentServiceState, RpcMessage> {
  return {
    name: "payment-service",
    init: () => ({ charges: [], processed: {} }),
    receive: {
      // on receiving (Request, requestId, processPayment(card, amount, currency)) from client do
      Request: (state, msg, from, ctx) => {
        const earlier = state.processed[msg.requestId];
        if (earlier !== undefined) {
          // Seen before (a retry, or a copy the network made): the first answer again, no new charge.
          ctx.label("duplicate");
          ctx.send(from, { type: "Response", requestId: msg.requestId, result: earlier });
          return;
        }
        const reason = validatePayment(msg.call);
        let result: PaymentResult;
        if (reason !== undefined) {
          result = { result: "declined", reason };
        } else {
          const charge: ChargeRecord = {
            type: "charged", requestId: msg.requestId, paymentId: paymentId(ctx.random.next()), amount: msg.call.amount, currency: msg.call.currency,
          };
          state.charges.push(charge);
          ctx.storage.set("charges", state.charges);
          ctx.deliver(charge);
          result = { result: "success", id: charge.paymentId };
        }
        // On disk before the response leaves: a retry that arrives after a crash is still recognised.
        state.processed[msg.requestId] = result;
        ctx.storage.set("processed", state.processed);
        ctx.send(from, { type: "Response", requestId: msg.requestId, result });
      },
      Response: (_state, _msg, from, ctx) => ctx.log(`payment service: ignored a Response from ${from}`),
    },
    // on recovery from crash do: the ledger and the answers sent, from stable storage
    recover: (ctx) => ({
      charges: ctx.storage.get<ChargeRecord[]>("charges") ?? [],
      processed: ctx.storage.get<Record<string, PaymentResult>>("processed") ?? {},
    }),
  };
}
