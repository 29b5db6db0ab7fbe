/**
 * Trusted checks shared by lecture 6's register exercises (6.3 ABD, 6.4 CAS): the run's requests and
 * answers as a history (src/checks/client-history.ts) judged by the kit's linearizability checker;
 * every operation answered exactly once, at the node that requested it, unless that node crashed.
 * Loaded only in the trusted process.
 */
import { historyFromTrace, keyedCasRegister } from "../../checks/client-history";
import { checkLinearizable } from "../../checks/linearizability/check";
import type { Scenario } from "../../sim/scenario";
import { Trace } from "../../sim/trace";
import { fail, pass, type Verdict } from "../define";
import { readTrace } from "../scenarios";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

/** Each operation answered once, at its node, unless that node crashed; the history linearizable. */
export function linearizableRun(run: Scenario, output: unknown): Verdict {
  const trace = readTrace(run, output);
  if (!(trace instanceof Trace)) return trace;
  const crashed = new Set((run.faults ?? []).filter((f) => f.kind === "crash").map((f) => (f as { node: string }).node));
  const answers = new Map<string, number>();
  for (const e of trace.events) {
    if (e.kind !== "deliver" || !e.app) continue;
    const v = e.value;
    if (!isRecord(v) || v.type !== "ok" || typeof v.opId !== "string") return fail(`${e.node} delivered ${JSON.stringify(v)} to the application; expected { type: "ok", opId, output } [run seed=${run.seed}]`, [...trace.events]);
    const requested = (run.requests ?? []).find((r) => (r.request as { opId?: unknown }).opId === v.opId);
    if (requested === undefined) return fail(`${e.node} answered ${v.opId}, which nobody requested [run seed=${run.seed}]`, [...trace.events]);
    if (requested.node !== e.node) return fail(`${v.opId} was requested at ${requested.node} but answered at ${e.node}: only the requesting node returns the result [run seed=${run.seed}]`, [...trace.events]);
    answers.set(v.opId, (answers.get(v.opId) ?? 0) + 1);
  }
  for (const r of run.requests ?? []) {
    const opId = (r.request as { opId: string }).opId;
    const count = answers.get(opId) ?? 0;
    if (count > 1) return fail(`${opId} at ${r.node} was answered ${count} times [run seed=${run.seed}]`, [...trace.events]);
    if (count === 0 && !crashed.has(r.node)) return fail(`${opId} at ${r.node} (${JSON.stringify(r.request)}) was never answered [run seed=${run.seed}]`, [...trace.events]);
  }
  const history = historyFromTrace(trace);
  const result = checkLinearizable(history, keyedCasRegister());
  if (result.ok) return pass;
  const culprit = result.counterexample === undefined ? [] : history[result.counterexample.culprit].events;
  return fail(`${result.message} [run seed=${run.seed}]`, [...trace.events].filter((e) => e.kind !== "send" && e.kind !== "receive" || culprit.includes(e.i)));
}
