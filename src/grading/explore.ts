/**
 * Search tests (category "search"): DSLabs' exhaustive tests for any exercise. The driver half runs
 * the explorer (src/explore) over the student's protocol within the test's bounds and returns plain
 * JSON: the verdict, the numbers, and a counterexample as a trace. The trusted half re-judges that
 * trace with the kit's own checker, so a "violation" is confirmed by code the submission cannot touch,
 * and the failure shows the shortest failing run as a space-time diagram.
 *
 * Where the verdict comes from: a search test belongs to an exercise with isolation "nodes"
 * (defineExercise refuses it elsewhere). There the driver, and so the explorer, runs in the trusted
 * grader; the student's handlers run in node hosts, called with the node's state and the event and
 * answering with the new state and the effects (`searchProtocol` in src/grading/sandbox/nodes.ts),
 * so the explorer holds every state and branches on copies. "exhausted" is then the grader's own
 * finding, not the submission's word. In notebooks and mocha everything runs in one process.
 */
import { explore, type ExploreOptions, type Invariant } from "../explore/index";
import type { CheckResult } from "../checks/check-result";
import type { AnyProtocol } from "../sim/protocol";
import { Trace } from "../sim/trace";
import { fail, pass, type Verdict } from "./define";

/** What a search test gives the driver: the explorer's options, as plain data (no protocol, no invariants). */
export type SearchInput = Omit<ExploreOptions, "protocol" | "invariants" | "goals" | "onTerminal" | "strategy">;

/** What the driver returns. */
export interface SearchOutput {
  readonly verdict: "violation" | "exhausted" | "bounded";
  readonly summary: string;
  readonly states: number;
  readonly statesAtDepth: readonly number[];
  /** The counterexample (verdict "violation"): its length and its run as trace JSON. */
  readonly depth?: number;
  readonly trace?: string;
}

/**
 * A driver that explores `protocolOf(student)` breadth first (shortest counterexample) with the
 * input's bounds, checking `invariants()` in every state.
 */
export function searchDriver<S>(protocolOf: (student: S) => AnyProtocol, invariants: () => readonly Invariant[]) {
  const driver = (student: S, input: SearchInput): SearchOutput => {
    const result = explore({ ...input, protocol: protocolOf(student), invariants: invariants(), strategy: "bfs" });
    const verdict = result.verdict === "goal" ? "exhausted" : result.verdict;
    const out: SearchOutput = { verdict, summary: result.summary, states: result.states, statesAtDepth: result.statesAtDepth };
    return result.violation === undefined ? out : { ...out, depth: result.violation.depth, trace: result.violation.trace.toJSON() };
  };
  // Tells the isolated-nodes executor to keep node states in the grader (see the comment at the top).
  return Object.assign(driver, { branchesNodeStates: true as const });
}


/**
 * The trusted check of a search test: passes when the search found no violation (with
 * `requireExhausted`, only when it visited every reachable state); a reported violation fails the test
 * if the trusted checker confirms it on the returned trace.
 */
export function searchCheck(check: (trace: Trace) => CheckResult, options: { requireExhausted?: boolean } = {}) {
  return (input: SearchInput, output: unknown): Verdict => {
    if (typeof output !== "object" || output === null) return fail(`expected the search's result, got ${typeof output}`);
    const o = output as Partial<SearchOutput>;
    if (o.verdict === "exhausted" || o.verdict === "bounded") {
      if (!(typeof o.states === "number" && o.states >= 1)) return fail("the search reports no states explored");
      if (o.verdict === "bounded" && options.requireExhausted === true) return fail(`the search did not finish within its bounds: ${String(o.summary)}`);
      return pass;
    }
    if (o.verdict !== "violation" || typeof o.trace !== "string") return fail(`expected a verdict and, for a violation, its trace; got ${JSON.stringify(o).slice(0, 200)}`);
    let trace: Trace;
    try {
      trace = Trace.fromJSON(o.trace);
    } catch (error) {
      return fail(`the counterexample's trace could not be read: ${String(error)}`);
    }
    if (trace.nodes.join() !== input.nodes.join()) return fail(`the counterexample is a run of other nodes (${trace.nodes.join(", ")})`);
    const checked = check(trace);
    if (checked.ok) return fail(`the search reported a violation that the checker does not confirm: ${String(o.summary)}`);
    const first = checked.violations[0]!;
    return fail(`${first.property}: ${first.message} The shortest run that breaks it has ${String(o.depth)} steps (${String(o.summary)}).`, trace.events);
  };
}
