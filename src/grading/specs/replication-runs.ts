/**
 * What the graded tests of replicated systems share (lectures 5 and 6; trusted side only: it imports
 * fast-check): a verdict from a checker's result with the run's diagram; random runs of replicas that
 * reconcile by anti-entropy (5.2 LWW store, 5.3 multi-value register); and the register exercises'
 * check (6.3 ABD, 6.4 CAS): the run's requests and answers as a history judged by the kit's
 * linearizability checker.
 */
import * as fc from "fast-check";
import type { CheckResult } from "../../checks/check-result";
import { historyFromTrace, keyedCasRegister } from "../../checks/client-history";
import { checkLinearizable } from "../../checks/linearizability/check";
import type { Scenario, ScenarioRequest } from "../../sim/scenario";
import { Trace } from "../../sim/trace";
import { fail, pass, type Verdict } from "../define";
import { readTrace, scenarios } from "../scenarios";

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
    return failRun(run, `${violation.property}: ${violation.message}${more}`, trace.events.filter((e) => marked.has(e.i) || (e.kind !== "timer" && keep(e))));
  }
  return pass;
}

/** A failure of a run: the message names the run's seed. */
function failRun(run: Scenario, message: string, events: readonly Trace["events"][number][]): Verdict {
  return fail(`${message} [run seed=${run.seed}]`, [...events]);
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

/** A run of replicas that reconcile by anti-entropy: the scenario, and the period the replicas are made with. */
export interface AntiEntropyRun {
  readonly scenario: Scenario;
  readonly antiEntropyMs: number;
}

/** How an exercise's random anti-entropy runs differ: what each request is, and the final reads. */
export interface AntiEntropyShape<C> {
  readonly seedPrefix: string;
  readonly latencyMsMax: number;
  /** One choice per request (e.g. which operation on which key). */
  readonly choice: fc.Arbitrary<C>;
  /** The k-th request, made at `node`, from its choice. */
  readonly request: (node: string, k: number, choice: C) => unknown;
  /** The type of the exercise's read requests (reads do not delay settling). */
  readonly readType: string;
  /** The reads of every replica's final state at atMs. */
  readonly finalReads: (nodes: readonly string[], atMs: number) => ScenarioRequest[];
}

/**
 * A fixed anti-entropy run for the basic tests: latencies of 1-10 ms, anti-entropy every 50 ms, the
 * requests, then the final reads at finalAtMs, and the run ends 100 ms later.
 */
export function fixedRun(
  seed: string,
  nodes: readonly string[],
  requests: readonly ScenarioRequest[],
  final: { readonly reads: AntiEntropyShape<unknown>["finalReads"]; readonly atMs: number },
  faults?: Scenario["faults"],
): AntiEntropyRun {
  const scenario: Scenario = { seed, nodes, network: { latencyMs: [1, 10] }, requests: [...requests, ...final.reads(nodes, final.atMs)], untilMs: final.atMs + 100 };
  return { scenario: faults === undefined ? scenario : { ...scenario, faults }, antiEntropyMs: 50 };
}

/**
 * Random anti-entropy runs: 2 to nodesMax replicas, requestsMax requests at random replicas and
 * times, loss up to 30% and duplication up to 20%, partitions and crash-recoveries (20-200 ms); then,
 * once settled (settledFrom), the final reads. Anti-entropy every 100 ms.
 */
export function antiEntropyRuns<C>(options: { nodesMax: number; requestsMax: number; partitionsMax: number; recoveriesMax: number }, shape: AntiEntropyShape<C>): fc.Arbitrary<AntiEntropyRun> {
  const runs = scenarios({
    nodesMin: 2,
    nodesMax: options.nodesMax,
    requestsMax: options.requestsMax,
    request: () => null,
    spreadMs: 25 * options.requestsMax,
    untilMs: 10_000,
    loss: [0, 0.1, 0.3],
    duplicate: [0, 0.1, 0.2],
    latencyMsMax: shape.latencyMsMax,
    partitionsMax: options.partitionsMax,
    recoveriesMax: options.recoveriesMax,
    outageMsMax: 200,
    seedPrefix: shape.seedPrefix,
  });
  const choices = fc.array(shape.choice, { minLength: options.requestsMax, maxLength: options.requestsMax });
  return fc.tuple(runs, choices).map(([run, chosen]) => {
    const requests = (run.requests ?? []).map((r, k) => ({ ...r, request: shape.request(r.node, k, chosen[k]!) }));
    const scenario: Scenario = { ...run, requests };
    const at = settledFrom(scenario, shape.readType);
    return { scenario: { ...scenario, requests: [...requests, ...shape.finalReads(run.nodes, at)], untilMs: at + 100 }, antiEntropyMs: 100 };
  });
}

/**
 * The trace an anti-entropy run returned, judged by a checker that is given the replicas and the
 * time from which they must agree (settledFrom); the diagram leaves out the anti-entropy messages
 * (dozens per replica, type `Sync`), except the marked ones.
 */
export function checkAntiEntropyRun(
  input: AntiEntropyRun,
  output: unknown,
  readType: string,
  check: (trace: Trace, options: { replicas: readonly string[]; finalFromMs: number }) => CheckResult,
): Verdict {
  const trace = readTrace(input.scenario, output);
  if (!(trace instanceof Trace)) return trace;
  const result = check(trace, { replicas: input.scenario.nodes, finalFromMs: settledFrom(input.scenario, readType) });
  return replicationVerdict(input.scenario, trace, [result], without("Sync"));
}

/** Each operation answered once, at its node, unless that node crashed; the history linearizable. */
export function linearizableRun(run: Scenario, output: unknown): Verdict {
  const trace = readTrace(run, output);
  if (!(trace instanceof Trace)) return trace;
  const crashed = new Set((run.faults ?? []).filter((f) => f.kind === "crash").map((f) => (f as { node: string }).node));
  const answers = new Map<string, number>();
  for (const e of trace.events) {
    if (e.kind !== "deliver" || !e.app) continue;
    const v = e.value as { type?: unknown; opId?: unknown } | null;
    if (typeof v !== "object" || v === null || v.type !== "ok" || typeof v.opId !== "string") {
      return failRun(run, `${e.node} delivered ${JSON.stringify(v)} to the application; expected { type: "ok", opId, output }`, trace.events);
    }
    const requested = (run.requests ?? []).find((r) => (r.request as { opId?: unknown }).opId === v.opId);
    if (requested === undefined) return failRun(run, `${e.node} answered ${v.opId}, which nobody requested`, trace.events);
    if (requested.node !== e.node) return failRun(run, `${v.opId} was requested at ${requested.node} but answered at ${e.node}: only the requesting node returns the result`, trace.events);
    answers.set(v.opId, (answers.get(v.opId) ?? 0) + 1);
  }
  for (const r of run.requests ?? []) {
    const opId = (r.request as { opId: string }).opId;
    const count = answers.get(opId) ?? 0;
    if (count > 1) return failRun(run, `${opId} at ${r.node} was answered ${count} times`, trace.events);
    if (count === 0 && !crashed.has(r.node)) return failRun(run, `${opId} at ${r.node} (${JSON.stringify(r.request)}) was never answered`, trace.events);
  }
  const history = historyFromTrace(trace);
  const result = checkLinearizable(history, keyedCasRegister());
  if (result.ok) return pass;
  const culprit = result.counterexample === undefined ? [] : history[result.counterexample.culprit].events;
  return failRun(run, result.message, trace.events.filter((e) => (e.kind !== "send" && e.kind !== "receive") || culprit.includes(e.i)));
}
