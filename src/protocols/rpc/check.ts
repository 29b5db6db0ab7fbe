/**
 * Reading a payments run: how often each request was charged, and whether what the client was told
 * is consistent with what happened at the service.
 */
import type { TraceEvent } from "../../sim/trace-events";
import type { ChargeRecord, RpcOutcome } from "./payments";

export interface PaymentAudit {
  /** requestId -> number of times the service charged for it. */
  readonly chargesPerRequest: Readonly<Record<string, number>>;
  /** Requests charged more than once (the double-charging bug). */
  readonly doubleCharged: readonly string[];
  /** What the client was told, per request id. */
  readonly outcomes: Readonly<Record<string, RpcOutcome["outcome"]>>;
  /** Contradictions between the client's knowledge and the ledger, in words. */
  readonly violations: readonly string[];
}

export function auditPayments(events: readonly TraceEvent[]): PaymentAudit {
  const chargesPerRequest: Record<string, number> = {};
  const outcomes: Record<string, RpcOutcome["outcome"]> = {};
  for (const e of events) {
    if (e.kind !== "deliver" || !e.app || typeof e.value !== "object" || e.value === null) continue;
    const v = e.value as Partial<ChargeRecord> & Partial<RpcOutcome>;
    if (v.type === "charged" && typeof v.requestId === "string") chargesPerRequest[v.requestId] = (chargesPerRequest[v.requestId] ?? 0) + 1;
    else if (typeof v.outcome === "string" && typeof v.requestId === "string") outcomes[v.requestId] = v.outcome;
  }
  const doubleCharged = Object.keys(chargesPerRequest).filter((id) => chargesPerRequest[id] > 1).sort();
  const violations: string[] = [];
  for (const id of doubleCharged) violations.push(`request ${id} was charged ${chargesPerRequest[id]} times`);
  for (const [id, outcome] of Object.entries(outcomes)) {
    const charged = chargesPerRequest[id] ?? 0;
    if (outcome === "success" && charged === 0) violations.push(`client was told ${id} succeeded, but it was never charged`);
    if (outcome === "failure" && charged > 0) violations.push(`client was told ${id} failed, but it was charged`);
  }
  return { chargesPerRequest, doubleCharged, outcomes, violations };
}
