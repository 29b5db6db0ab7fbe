// Hostile: the reference service's deduplication, but the table lives in a module variable (cleared
// in init) instead of ctx.storage. In one shared process the module survives a simulated crash, so
// retries after a crash are still recognised. Expect: with a fresh process after each crash, retries
// of requests processed before the crash are charged again, and the crash-recovery tests fail.
import type { Protocol } from "../../../../src/sim/protocol";
import type { ChargeRecord, PaymentResult, RpcMessage } from "../../../../src/protocols/rpc/payments";

export interface PaymentServiceState { charges: ChargeRecord[] }

const processed = new Map<string, PaymentResult>();

export function paymentService(): Protocol<PaymentServiceState, RpcMessage> {
  return {
    name: "payment-service",
    init: () => {
      processed.clear();
      return { charges: [] };
    },
    receive: {
      Request: (state, msg, from, ctx) => {
        const earlier = processed.get(msg.requestId);
        if (earlier !== undefined) {
          ctx.send(from, { type: "Response", requestId: msg.requestId, result: earlier });
          return;
        }
        let result: PaymentResult;
        if (!/^\d{16}$/.test(msg.call.card.number.replace(/ /g, "")) || !(msg.call.amount > 0)) {
          result = { result: "declined", reason: "invalid card number" };
        } else {
          const paymentId = `P${Math.floor(ctx.random.next() * 1e12)}`;
          const charge: ChargeRecord = { type: "charged", requestId: msg.requestId, paymentId, amount: msg.call.amount, currency: msg.call.currency };
          state.charges.push(charge);
          ctx.deliver(charge);
          result = { result: "success", id: paymentId };
        }
        processed.set(msg.requestId, result);
        ctx.send(from, { type: "Response", requestId: msg.requestId, result });
      },
      Response: () => {},
    },
  };
}
