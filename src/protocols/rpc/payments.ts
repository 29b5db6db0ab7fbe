/**
 * Remote procedure call over an unreliable network (lecture 1, "Remote Procedure Call (RPC)" and
 * "Client-server example: online payments").
 *
 * The online shop calls processPayment() on the payments service through a client stub. The stub
 * turns the call into a Request message with a request id, waits for the Response with the same id,
 * and retries after a timeout ("if something goes wrong, is it safe to retry?"). What the stub
 * reports says what the client can actually know:
 *   - success: a Response said the payment went through;
 *   - failure: a Response said it was declined;
 *   - unknown: no Response after every attempt. The payment may or may not have happened: the
 *     request may have been lost, or the response, or the service may be slow or crashed.
 *
 * Retrying a request that was processed but whose response was lost charges the card twice, unless
 * the service deduplicates: it remembers the result for each request id (in stable storage, so this
 * survives a crash) and answers a retry with the stored result instead of charging again (lecture 5,
 * "Idempotence": exactly-once = retry + deduplication). Deduplication is an option of the service so
 * a notebook can switch it off and watch the double charge happen.
 */
import type { NodeId, Protocol } from "../../sim/protocol";
// Types only: this file must load without the answer of Exercise 1.2 (the grader's sandbox has no copy).
import type { PaymentServiceState } from "./payment-dedup";

export interface Card {
  readonly number: string;
  readonly expiryDate: string;
  readonly CVC: string;
}

/** The slide's m1. */
export interface ProcessPayment {
  readonly request: "processPayment";
  readonly card: Card;
  readonly amount: number;
  readonly currency: "GBP" | "USD";
}

/** The slide's m2, or a refusal. */
export type PaymentResult = { result: "success"; id: string } | { result: "declined"; reason: string };

export type RpcMessage =
  | { type: "Request"; requestId: string; call: ProcessPayment }
  | { type: "Response"; requestId: string; result: PaymentResult };

/** The application's request to the client stub. */
export interface CallRequest {
  readonly type: "call";
  readonly to: NodeId;
  readonly call: ProcessPayment;
}

/** What the stub delivers to the application when a call ends. */
export type RpcOutcome =
  | { outcome: "success"; requestId: string; id: string; attempts: number }
  | { outcome: "failure"; requestId: string; reason: string; attempts: number }
  | { outcome: "unknown"; requestId: string; attempts: number };

/** What the service delivers to its own application (the ledger) each time it charges a card. */
export interface ChargeRecord {
  readonly type: "charged";
  readonly requestId: string;
  readonly paymentId: string;
  readonly amount: number;
  readonly currency: string;
}

/** Builds the call, as the slide's processPayment(card, 3.99, Currency.GBP). */
export function processPayment(to: NodeId, card: Card, amount: number, currency: "GBP" | "USD" = "GBP"): CallRequest {
  return { type: "call", to, call: { request: "processPayment", card, amount, currency } };
}

export interface RpcClientOptions {
  /** How long to wait for a Response before retrying, ms (node's monotonic clock). Default 100. */
  timeoutMs?: number;
  /** Attempts before reporting "unknown" (1: never retry, at-most-once). Default 3. */
  maxAttempts?: number;
}

export interface RpcClientState {
  /** Number for the next request id; in stable storage, so ids are never reused after a crash. */
  nextRequest: number;
  /** Calls waiting for a Response: requestId -> what was asked and how often. */
  outstanding: Record<string, { to: NodeId; call: ProcessPayment; attempts: number }>;
}

export function rpcClient(options: RpcClientOptions = {}): Protocol<RpcClientState, RpcMessage, CallRequest> {
  const timeoutMs = options.timeoutMs ?? 100;
  const maxAttempts = options.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`rpcClient: maxAttempts must be an integer >= 1, got ${maxAttempts}`);
  return {
    name: "rpc-client",
    init: () => ({ nextRequest: 0, outstanding: {} }),

    // the stub: on request to call processPayment(...) do
    request: (state, req, ctx) => {
      const requestId = `${ctx.nodeId}.${state.nextRequest}`;
      state.nextRequest += 1;
      ctx.storage.set("nextRequest", state.nextRequest);
      state.outstanding[requestId] = { to: req.to, call: req.call, attempts: 1 };
      ctx.send(req.to, { type: "Request", requestId, call: req.call });
      ctx.startTimer("timeout", timeoutMs, { requestId });
    },

    receive: {
      Request: (_state, _msg, from, ctx) => ctx.log(`rpc client: ignored a Request from ${from}`),
      // on receiving (Response, requestId, result) do
      Response: (state, msg, _from, ctx) => {
        const pending = state.outstanding[msg.requestId];
        if (pending === undefined) {
          // A duplicate, or an answer after the stub already reported "unknown": too late to tell.
          ctx.log(`rpc client: late or duplicate response to ${msg.requestId}: ${msg.result.result}`);
          return;
        }
        delete state.outstanding[msg.requestId];
        const outcome: RpcOutcome = msg.result.result === "success"
          ? { outcome: "success", requestId: msg.requestId, id: msg.result.id, attempts: pending.attempts }
          : { outcome: "failure", requestId: msg.requestId, reason: msg.result.reason, attempts: pending.attempts };
        ctx.label(outcome.outcome);
        ctx.deliver(outcome);
      },
    },

    timers: {
      // on timeout of requestId do: retry, or give up not knowing
      timeout: (state, data, ctx) => {
        const { requestId } = data as { requestId: string };
        const pending = state.outstanding[requestId];
        if (pending === undefined) return; // answered meanwhile
        if (pending.attempts >= maxAttempts) {
          delete state.outstanding[requestId];
          ctx.label("unknown");
          ctx.deliver({ outcome: "unknown", requestId, attempts: pending.attempts } satisfies RpcOutcome);
          return;
        }
        pending.attempts += 1;
        ctx.send(pending.to, { type: "Request", requestId, call: pending.call });
        ctx.startTimer("timeout", timeoutMs, { requestId });
      },
    },

    // on recovery from crash do: calls in flight are forgotten (their outcome stays unknown to us)
    recover: (ctx) => ({ nextRequest: ctx.storage.get<number>("nextRequest") ?? 0, outstanding: {} }),
  };
}

export interface PaymentServiceOptions {
  /** Remember each request id's result and answer retries from it. Default true. */
  deduplicate?: boolean;
}

/** The service's state: the ledger and, with deduplication, the answers sent (Exercise 1.2's). */
export type { PaymentServiceState } from "./payment-dedup";

/** A card the toy bank accepts: 16 digits (spaces allowed) and a positive amount. */
export function validatePayment(call: ProcessPayment): string | undefined {
  if (!/^\d{16}$/.test(call.card.number.replace(/ /g, ""))) return "invalid card number";
  if (!(call.amount > 0)) return "amount must be positive";
  return undefined;
}

/**
 * The payments service without deduplication: every copy of a request is processed (lecture 1's
 * retry problem, shown on purpose). With deduplication it is Exercise 1.2's answer:
 * ./payment-dedup.ts; paymentService() in ./service.ts picks one of the two.
 */
export function paymentServiceWithoutDedup(): Protocol<PaymentServiceState, RpcMessage> {
  return {
    name: "payment-service(no-dedup)",
    init: () => ({ charges: [], processed: {} }),
    receive: {
      // on receiving (Request, requestId, processPayment(card, amount, currency)) from client do
      Request: (state, msg, from, ctx) => {
        const reason = validatePayment(msg.call);
        let result: PaymentResult;
        if (reason !== undefined) {
          result = { result: "declined", reason };
        } else {
          const id = paymentId(ctx.random.next());
          const charge: ChargeRecord = { type: "charged", requestId: msg.requestId, paymentId: id, amount: msg.call.amount, currency: msg.call.currency };
          state.charges.push(charge);
          ctx.storage.set("charges", state.charges);
          ctx.deliver(charge);
          result = { result: "success", id };
        }
        ctx.send(from, { type: "Response", requestId: msg.requestId, result });
      },
      Response: (_state, _msg, from, ctx) => ctx.log(`payment service: ignored a Response from ${from}`),
    },
    recover: (ctx) => ({ charges: ctx.storage.get<ChargeRecord[]>("charges") ?? [], processed: {} }),
  };
}

/** An 11-character payment id like the slide's "XP61hHw2Rvo", from one random draw in [0, 1) (e.g. ctx.random.next()). */
export function paymentId(r: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let x = Math.floor(r * 2 ** 52);
  let id = "";
  for (let i = 0; i < 11; i++) {
    id += alphabet[x % alphabet.length];
    x = Math.floor(x / alphabet.length) + (i + 1) * 7919;
  }
  return id;
}
