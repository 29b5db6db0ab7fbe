/**
 * Graded tests of Exercise 1.2, server-side deduplication of retried requests (lecture 1, slide
 * "Remote Procedure Call (RPC)"; lecture 5, "Idempotence").
 */
import * as fc from "fast-check";
import { Trace } from "../../sim/trace";
import type { TraceEvent } from "../../sim/trace-events";
import type { Scenario, ScenarioRequest } from "../../sim/scenario";
import { processPayment, validatePayment, type CallRequest } from "../../protocols/rpc/payments";
import { defineExercise, fail, pass, type Verdict } from "../define";
import { CLIENT, SERVICE, drivers } from "./drivers/payment-dedup";
import { preview, readTrace, scenarios } from "../scenarios";

const SHOPS = ["shop", "shop2"] as const;
const VALID_CARD = { number: "1234 5678 8765 4321", expiryDate: "10/2024", CVC: "123" };
const INVALID_CARD = { number: "1234 5678", expiryDate: "10/2024", CVC: "123" };

/** A shop's call processPayment(card, amount) at atMs, with a card the service accepts (16 digits) or one it must decline. */
function call(shop: string, atMs: number, amount: number, validCard: boolean): ScenarioRequest {
  return { node: shop, atMs, request: processPayment(SERVICE, validCard ? VALID_CARD : INVALID_CARD, amount) };
}

/** The request id the client stub gives each call: "<shop>.<k>" for the shop's k-th call, in time order. */
export function requestIds(scenario: Scenario): Map<string, { amount: number; validCard: boolean }> {
  const ids = new Map<string, { amount: number; validCard: boolean }>();
  const counts = new Map<string, number>();
  // A stable sort: calls made at the same time keep the scenario's order.
  for (const r of [...(scenario.requests ?? [])].sort((a, b) => a.atMs - b.atMs)) {
    const k = counts.get(r.node) ?? 0;
    counts.set(r.node, k + 1);
    const { call } = r.request as CallRequest;
    ids.set(`${r.node}.${k}`, { amount: call.amount, validCard: validatePayment(call) === undefined });
  }
  return ids;
}

/** Trusted check: exactly-once processing, consistent answers, and honest outcomes. */
export function checkPayments(scenario: Scenario, output: unknown): Verdict {
  const trace = readTrace(scenario, output);
  if (!(trace instanceof Trace)) return trace;
  const events = trace.events;
  const calls = requestIds(scenario);
  const received = new Set<string>();
  const charges = new Map<string, { paymentId: string; e: TraceEvent }[]>();
  const responses = new Map<string, { result: unknown; e: TraceEvent }[]>();
  const paymentIds = new Map<string, string>();
  for (const e of events) {
    if (e.kind === "receive" && e.node === SERVICE && (e.msg as { type?: unknown }).type === "Request") {
      const id = (e.msg as { requestId?: unknown }).requestId;
      if (typeof id === "string") received.add(id);
    } else if (e.kind === "deliver" && e.node === SERVICE && e.app) {
      const v = e.value as { type?: unknown; requestId?: unknown; paymentId?: unknown; amount?: unknown; currency?: unknown } | null;
      if (v === null || typeof v !== "object" || v.type !== "charged") return fail(`at ${e.t} ms the service delivered ${preview(e.value)}; it should deliver only ChargeRecords { type: "charged", ... }`, events);
      if (typeof v.requestId !== "string" || typeof v.paymentId !== "string") return fail(`charge record at ${e.t} ms lacks a string requestId or paymentId: ${preview(v)}`, events);
      const call = calls.get(v.requestId);
      if (call === undefined) return fail(`at ${e.t} ms the service charged for request ${v.requestId}, which no shop made`, events);
      if (v.amount !== call.amount || v.currency !== "GBP") return fail(`the charge for ${v.requestId} at ${e.t} ms is ${preview(v.amount)} ${preview(v.currency)}; the call was for ${call.amount} GBP`, events);
      const other = paymentIds.get(v.paymentId);
      if (other !== undefined) return fail(`payment id ${v.paymentId} was used for two charges (requests ${other} and ${v.requestId}); payment ids must be distinct`, events);
      paymentIds.set(v.paymentId, v.requestId);
      if (!charges.has(v.requestId)) charges.set(v.requestId, []);
      charges.get(v.requestId)!.push({ paymentId: v.paymentId, e });
    } else if (e.kind === "send" && e.node === SERVICE) {
      const m = e.msg as { type?: unknown; requestId?: unknown; result?: unknown };
      if (m.type === "Response" && typeof m.requestId === "string") {
        if (!responses.has(m.requestId)) responses.set(m.requestId, []);
        responses.get(m.requestId)!.push({ result: m.result, e });
      }
    }
  }
  for (const [id, list] of charges) {
    const call = calls.get(id)!;
    if (!call.validCard) return fail(`request ${id} has an invalid card (validatePayment declines it), but it was charged at ${list[0].e.t} ms`, events);
    if (list.length > 1) {
      return fail(`request ${id} was charged ${list.length} times (at ${list.map((c) => `${c.e.t.toFixed(1)} ms`).join(", ")}): ` +
        `the service received it ${events.filter((e) => e.kind === "receive" && e.node === SERVICE && (e.msg as { requestId?: unknown }).requestId === id).length} times (retries and duplicates) and must process it once`, events);
    }
  }
  for (const id of [...received].sort()) {
    const call = calls.get(id);
    if (call === undefined) continue; // the client stub only sends its own ids
    if (call.validCard && !charges.has(id)) return fail(`request ${id} (a valid card) reached the service but was never charged`, events);
  }
  for (const [id, list] of responses) {
    const call = calls.get(id);
    if (call === undefined) return fail(`the service answered request ${id}, which no shop made`, events);
    const first = list[0].result as { result?: unknown; id?: unknown; reason?: unknown } | null;
    const differs = list.find((r) => JSON.stringify(r.result) !== JSON.stringify(first));
    if (differs !== undefined) {
      return fail(`the service answered request ${id} with ${preview(first)} at ${list[0].e.t.toFixed(1)} ms, then with ${preview(differs.result)} at ${differs.e.t.toFixed(1)} ms: ` +
        `a retry must get the result of the first processing`, events);
    }
    if (call.validCard) {
      const charge = charges.get(id)?.[0];
      if (first?.result !== "success" || charge === undefined || first.id !== charge.paymentId) {
        return fail(`request ${id} (a valid card) was answered ${preview(first)}, but its charge is ${charge === undefined ? "missing" : `payment ${charge.paymentId}`}`, events);
      }
    } else if (first?.result !== "declined" || typeof first.reason !== "string") {
      return fail(`request ${id} has an invalid card and must be answered { result: "declined", reason }, got ${preview(first)}`, events);
    }
  }
  return pass;
}

/** Random runs: calls from the first `shops` shops, loss and duplication, up to crashesMax outages of the service (20-250 ms). */
export function paymentScenarios(options: { shops: number; callsMax: number; crashesMax: number; lossMax: number }): fc.Arbitrary<Scenario> {
  const runs = scenarios({
    nodesMin: 3,
    nodesMax: 3,
    names: [...SHOPS, SERVICE],
    senders: options.shops,
    crashable: 1,
    requestsMax: options.callsMax,
    request: () => null,
    spreadMs: 40 * options.callsMax,
    untilMs: 60_000,
    loss: [0, 0.1, 0.2, 0.3].filter((l) => l <= options.lossMax),
    duplicate: [0, 0.1, 0.3],
    recoveriesMax: options.crashesMax,
    outageMsMax: 250,
    seedPrefix: "payment-dedup",
  });
  // What each call asks for: same amounts and cards often, so that only the request id tells calls apart.
  const details = fc.array(fc.record({ amount: fc.constantFrom(3.99, 3.99, 10, 25.5), validCard: fc.constantFrom(true, true, true, false) }), {
    minLength: options.callsMax,
    maxLength: options.callsMax,
  });
  return fc.tuple(runs, details).map(([run, d]) => ({
    ...run,
    network: { ...run.network, latencyMs: [2, 30] },
    requests: (run.requests ?? []).map((r, k) => call(r.node, r.atMs, d[k]!.amount, d[k]!.validCard)),
  }));
}

/** Two calls with the same card and amount, retried: both are payments, each charged once. */
const sameCardTwice: Scenario = {
  seed: "payment-dedup-1",
  nodes: [...SHOPS, SERVICE],
  network: { model: "fair-loss", loss: 0, duplicate: 0, latencyMs: [2, 30] },
  requests: [call("shop", 0, 3.99, true), call("shop", 5, 3.99, true), call("shop", 10, 10, false), call("shop2", 10, 3.99, true)],
  untilMs: 60_000,
};

export const paymentDedup = defineExercise({
  id: "1.2",
  title: "Deduplicating retried requests",
  slide: "Remote Procedure Call (RPC)",
  module: "payment-dedup",
  drivers,
  isolation: "nodes",
  tests: [
    {
      name: "a reliable network: each call charged once, declined cards never",
      points: 1,
      category: "basic",
      description: `No loss: one shop makes a few calls (two with the same card and amount, one with an invalid card). The client stub retries after ${CLIENT.timeoutMs} ms only if no response came.`,
      driver: "run",
      inputs: [sameCardTwice],
      check: checkPayments,
    },
    {
      name: "retries and duplicates: each request processed exactly once",
      points: 4,
      category: "unreliable network",
      description: "Random seeds, up to 30% loss and 30% duplication, one shop, up to 12 calls: every request that reached the service was charged once (valid card) or never (invalid), and every Response for it says the same.",
      driver: "run",
      arbitrary: paymentScenarios({ shops: 1, callsMax: 12, crashesMax: 0, lossMax: 0.3 }),
      runs: 40,
      check: checkPayments,
    },
    {
      name: "two shops, same cards and amounts: distinct requests are distinct payments",
      points: 2,
      category: "unreliable network",
      description: "Two shops call at once with the same cards and amounts, over a lossy network: requests are told apart by their request id, not by what they ask for.",
      driver: "run",
      arbitrary: paymentScenarios({ shops: 2, callsMax: 12, crashesMax: 0, lossMax: 0.3 }),
      runs: 25,
      check: checkPayments,
    },
    {
      name: "crash-recovery: what the service remembers survives a crash",
      points: 2,
      category: "crashes",
      description: "The service crashes up to 3 times while calls are retried, and recovers 20-250 ms later: a request processed before a crash is still not charged again after it.",
      driver: "run",
      arbitrary: paymentScenarios({ shops: 1, callsMax: 14, crashesMax: 3, lossMax: 0.3 }),
      runs: 40,
      check: checkPayments,
    },
  ],
});
