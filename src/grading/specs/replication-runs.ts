/**
 * What lecture 5's graded tests share (trusted side only: it imports fast-check): a verdict from a
 * checker's result with the run's diagram, and random runs on the one Scenario format.
 */
import type { CheckResult } from "../../checks/check-result";
import type { Scenario } from "../../sim/scenario";
import type { Trace } from "../../sim/trace";
import { fail, pass, type Verdict } from "../define";

/**
 * The first violation as a verdict, with the run's diagram: the trace without timer firings and,
 * where anti-entropy makes a run long, without the messages of the keep filter's choosing.
 */
export function replicationVerdict(run: Scenario, trace: Trace, results: readonly CheckResult[], keep: (e: Trace["events"][number]) => boolean = () => true): Verdict {
  for (const result of results) {
    if (result.ok) continue;
    const violation = result.violations[0]!;
    const more = result.violations.length > 1 ? ` (${result.violations.length - 1} more violation${result.violations.length > 2 ? "s" : ""} in this run)` : "";
    const marked = new Set(violation.events);
    const events = trace.events.filter((e) => marked.has(e.i) || (e.kind !== "timer" && keep(e)));
    return fail(`${violation.property}: ${violation.message}${more} [run seed=${run.seed}]`, events);
  }
  return pass;
}

/** Final reads start this long after the last write or fault has healed (many anti-entropy rounds). */
export const SETTLE_MS = 1000;

/** SETTLE_MS after the last request other than reads (of type `readType`) and the last fault's end. */
export function settledFrom(scenario: Scenario, readType: string): number {
  let last = 0;
  for (const f of scenario.faults ?? []) {
    last = Math.max(last, f.atMs, "recoverAtMs" in f && f.recoverAtMs !== undefined ? f.recoverAtMs : 0, "healAtMs" in f && f.healAtMs !== undefined ? f.healAtMs : 0);
  }
  for (const r of scenario.requests ?? []) if ((r.request as { type?: unknown } | null)?.type !== readType) last = Math.max(last, r.atMs);
  return last + SETTLE_MS;
}

/** For diagrams of runs with anti-entropy: leaves out the (many) messages of type `type`. */
export function without(type: string): (e: Trace["events"][number]) => boolean {
  return (e) => !((e.kind === "send" || e.kind === "receive" || e.kind === "drop" || e.kind === "duplicate") && (e as { msg?: { type?: unknown } }).msg?.type === type);
}
