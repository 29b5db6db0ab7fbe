/**
 * Exercise 1.2: a payments service that processes each request once, however often the client
 * retries (lecture 1, slide "Remote Procedure Call (RPC)": "if something goes wrong, is it safe to
 * retry?"; lecture 5 calls this idempotence: exactly-once = retry + deduplication).
 *
 * The online shop calls processPayment through the kit's RPC client stub (src/protocols/rpc/payments.ts,
 * `rpcClient`). The stub sends
 *   { type: "Request", requestId, call: { request: "processPayment", card, amount, currency } }
 * and waits for { type: "Response", requestId, result }. When no Response comes within its timeout,
 * it sends the same Request again, with the same requestId. The network loses and duplicates
 * messages, so the service may receive a request several times: the first copy, duplicates made by
 * the network, and the client's retries (after the request or the response was lost).
 *
 *   on receiving (Request, requestId, call) from client do
 *     if requestId was processed before then
 *       send (Response, requestId, the result sent the first time) to client      // no new charge
 *     else
 *       if validatePayment(call) returns a reason then result := declined(reason)
 *       else charge the card: result := success(a new payment id)
 *       remember (requestId, result); send (Response, requestId, result) to client
 *
 * Write the service as a protocol (see docs/simulator.md). What the tests observe:
 * - each time you charge a card, call ctx.deliver({ type: "charged", requestId, paymentId, amount,
 *   currency }) (a ChargeRecord: this is the bank's ledger, and the only way the tests see a charge);
 * - the Responses you send.
 * A card is accepted if validatePayment(call) (src/protocols/rpc/payments.ts) returns undefined;
 * otherwise answer { result: "declined", reason }. Payment ids are yours to choose but must be
 * distinct: paymentId(ctx.random.next()) (src/protocols/rpc/payments.ts) makes one like the slide's. Two different requests may carry the same card and amount: they are two
 * payments.
 *
 * The tests run one or two shops calling your service over a network that loses up to 30% of messages
 * and duplicates some, with random seeds, and check: every request that reached the service was
 * charged exactly once if its card is valid, never if not; every Response for a request carries the
 * same result (the same payment id); a client told "success" was charged with that id. One test also
 * crashes the service and recovers it (the crash-recovery model of lecture 2): what it remembers must
 * survive that, so keep it in ctx.storage as well as in memory, and rebuild it in `recover`.
 */
import type { Protocol } from "../src/sim/protocol";
import type { ChargeRecord, PaymentResult, RpcMessage } from "../src/protocols/rpc/payments";

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
        throw new Error("Exercise 1.2 not implemented yet: paymentService, on receiving a Request");
      },
      // A service never receives Responses; ignore any.
      Response: () => {},
    },
  };
}
