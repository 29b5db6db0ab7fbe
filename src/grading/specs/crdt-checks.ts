/**
 * Trusted checks and inputs shared by the CRDT exercises of lecture 8 (8.1-8.4). A run ends with a
 * read at every replica, late enough that every update has spread (the kit's broadcasts retransmit,
 * and the state-based replicas re-broadcast their state); the checks judge what those reads
 * answered: convergence, and answers that only the updates made could explain.
 */
import * as fc from "fast-check";
import type { Scenario, ScenarioFault, ScenarioRequest } from "../../sim/scenario";
import { Trace } from "../../sim/trace";
import type { TraceEvent } from "../../sim/trace-events";
import { layerView } from "../../viz/layer-view";
import { fail, pass, type Verdict } from "../define";
import { preview, readTrace, scenarios, type ScenarioShape } from "../scenarios";

/** When the final reads happen, and when the run ends. */
export const READ_AT_MS = 1500;
export const UNTIL_MS = 1600;

/** The scenario with a read request at every node at READ_AT_MS (one per request given). */
export function withFinalReads(scenario: Scenario, reads: readonly unknown[]): Scenario {
  const finalReads: ScenarioRequest[] = scenario.nodes.flatMap((node) => reads.map((request) => ({ node, atMs: READ_AT_MS, request })));
  return { ...scenario, requests: [...(scenario.requests ?? []), ...finalReads], untilMs: Math.max(scenario.untilMs, UNTIL_MS) };
}

/** Random runs of `shape` (its requests made by `request`), ending with the reads `reads`. */
export function crdtRuns(shape: Omit<ScenarioShape, "untilMs">, reads: readonly unknown[]): fc.Arbitrary<Scenario> {
  return scenarios({ ...shape, untilMs: UNTIL_MS }).map((scenario) => withFinalReads(scenario, reads));
}

/** A node is down at `atMs` if a crash without recovery, or with a later one, covers it. */
function downAt(faults: readonly ScenarioFault[], node: string, atMs: number): boolean {
  return faults.some((f) => f.kind === "crash" && f.node === node && f.atMs <= atMs && (f.recoverAtMs === undefined || f.recoverAtMs > atMs));
}

/** The run's diagram at the broadcast layers' level (links abstracted), for a failure. */
function diagram(trace: Trace): TraceEvent[] {
  return [...layerView(trace).events];
}

/**
 * The answers of the final reads, per replica that is up then: what it delivered to the application
 * from READ_AT_MS on, each checked by `shape` (it returns the answer's meaning, or a sentence saying
 * what is wrong). A replica that is up must answer every read.
 */
export function finalAnswers<A>(
  scenario: Scenario,
  output: unknown,
  reads: number,
  shape: (value: unknown) => A | string,
): { trace: Trace; answers: Map<string, A[]> } | Verdict {
  const trace = readTrace(scenario, output);
  if (!(trace instanceof Trace)) return trace;
  const answers = new Map<string, A[]>();
  for (const node of scenario.nodes) {
    if (downAt(scenario.faults ?? [], node, READ_AT_MS)) continue;
    const delivered = trace.deliveries(node).filter((d) => d.t >= READ_AT_MS);
    const mine: A[] = [];
    for (const d of delivered) {
      const meaning = shape(d.value);
      if (typeof meaning === "string") return fail(`${node} answered a read with ${preview(d.value)}: ${meaning} [run seed=${scenario.seed}]`, diagram(trace));
      mine.push(meaning);
    }
    if (mine.length !== reads) return fail(`${node} answered ${mine.length} of the ${reads} reads made at ${READ_AT_MS} ms [run seed=${scenario.seed}]`, diagram(trace));
    answers.set(node, mine);
  }
  return { trace, answers };
}

/** All replicas gave the same answers (compared as JSON); otherwise the two that differ, named. */
export function converged<A>(scenario: Scenario, trace: Trace, answers: Map<string, A[]>, describe: (answer: A[]) => string): Verdict {
  let first: [string, string] | undefined;
  for (const [node, mine] of answers) {
    const text = JSON.stringify(mine);
    if (first === undefined) first = [node, text];
    else if (text !== first[1]) {
      return fail(`replicas did not converge: ${first[0]} answers ${describe(answers.get(first[0])!)} but ${node} answers ${describe(mine)}, after every update had time to spread [run seed=${scenario.seed}]`, diagram(trace));
    }
  }
  return pass;
}

/** The requests of type `type` made at nodes that were up when they made them. */
export function madeRequests<R extends { type: string }>(scenario: Scenario, type: string): (ScenarioRequest & { request: R })[] {
  return (scenario.requests ?? []).filter(
    (r): r is ScenarioRequest & { request: R } =>
      (r.request as { type?: unknown }).type === type && !downAt(scenario.faults ?? [], r.node, r.atMs),
  );
}

/** Merge-law inputs: three states built by `state`, and the check of the five merges a driver returns. */
export interface MergeResults<S> {
  readonly ab: S;
  readonly ba: S;
  readonly abThenC: S;
  readonly aThenBc: S;
  readonly aa: S;
}

/**
 * Checks the merge laws (slide "State-based CRDTs") on a driver's results: commutative,
 * associative, idempotent, each compared by `same` after `valid` accepted the shape, and `correct`
 * (the merge of a and b is what the definition says). Names the law that fails and the states.
 */
export function mergeLaws<S>(
  input: { readonly a: S; readonly b: S; readonly c: S },
  output: unknown,
  valid: (value: unknown) => string | undefined,
  same: (x: S, y: S) => boolean,
  correct: (a: S, b: S, merged: S) => string | undefined,
): Verdict {
  if (output === null || typeof output !== "object") return fail(`expected the merges' results, got ${preview(output)}`);
  const results = output as { [k: string]: unknown };
  for (const key of ["ab", "ba", "abThenC", "aThenBc", "aa"]) {
    const problem = valid(results[key]);
    if (problem !== undefined) return fail(`merge returned ${preview(results[key])}: ${problem}`);
  }
  const r = results as unknown as MergeResults<S>;
  const states = `a = ${preview(input.a)}, b = ${preview(input.b)}, c = ${preview(input.c)}`;
  const wrong = correct(input.a, input.b, r.ab);
  if (wrong !== undefined) return fail(`merge(a, b) ${wrong}; ${states}`);
  if (!same(r.ab, r.ba)) return fail(`not commutative: merge(a, b) = ${preview(r.ab)} but merge(b, a) = ${preview(r.ba)}; ${states}`);
  if (!same(r.abThenC, r.aThenBc)) return fail(`not associative: merge(merge(a, b), c) = ${preview(r.abThenC)} but merge(a, merge(b, c)) = ${preview(r.aThenBc)}; ${states}`);
  if (!same(r.aa, input.a)) return fail(`not idempotent: merge(a, a) = ${preview(r.aa)}, not a; ${states}`);
  return pass;
}
