// Hostile: the reference service's deduplication, but the table lives in module memory AND on
// globalThis, is never cleared, and is keyed by the request's content (requestId and call). Node hosts
// are pooled: before each simulation got a fresh realm, a host that served the service in an earlier
// simulation (of this test or an earlier one) came back with that table, so a request whose id and
// call had been seen before was answered from another run and never charged in this one: its score
// depended on which simulations ran before (1/10 at commit 55fde2a). Expect: every simulation starts
// with an empty table, so it is module-memory-dedup again: deduplication works until a crash, the
// crash-recovery tests fail (7/10), whatever ran before.
import type { Protocol } from "../../../../src/sim/protocol";
import type { ChargeRecord, PaymentResult, RpcMessage } from "../../../../src/protocols/rpc/payments";

export interface PaymentServiceState { charges: ChargeRecord[] }

const g = globalThis as unknown as { processed?: Map<string, PaymentResult> };
const processed: Map<string, PaymentResult> = (g.processed ??= new Map<string, PaymentResult>());
const key = (msg: { requestId: string; call: unknown }) => JSON.stringify([msg.requestId, msg.call]);

export function paymentService(): Protocol<PaymentServiceState, RpcMessage> {
  return {
    name: "payment-service",
    init: () => ({ charges: [] }), // the table is not cleared: it is meant to outlive the simulation
    receive: {
      Request: (state, msg, from, ctx) => {
        const earlier = processed.get(key(msg));
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
        processed.set(key(msg), result);
        ctx.send(from, { type: "Response", requestId: msg.requestId, result });
      },
      Response: () => {},
    },
  };
}
