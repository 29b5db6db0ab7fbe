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
import { explore, type ExploreOptions, type Goal, type Invariant } from "../explore/index";
import type { CheckResult } from "../checks/check-result";
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
  /** The test's goals that no run within the bounds reaches (searched for only when no invariant fails). */
  readonly goalsNotReached?: readonly string[];
}

/** What a search test explores for one submission. */
export interface SearchSetup {
  readonly protocol: ExploreOptions["protocol"];
  readonly invariants: readonly Invariant[];
  /**
   * States some run must reach: a protocol that never acts breaks no safety invariant, so a search
   * test with goals also asks that its protocol gets somewhere (a decision, a leader, a value).
   */
  readonly goals?: readonly Goal[];
  /** The explorer's options, when the test's input carries more than them (default: the input). */
  readonly options?: SearchInput;
}

/**
 * A driver that explores `setup(student, input)` breadth first (a counterexample is a shortest one)
 * within the input's bounds, checking the invariants in every state; if none fails, it then looks
 * for a run to each goal (depth first: any run will do) and reports the goals it did not reach.
 */
export function searchDriver<S, I extends SearchInput = SearchInput>(setup: (student: S, input: I) => SearchSetup) {
  const driver = (student: S, input: I): SearchOutput => {
    const { protocol, invariants, goals = [], options = input } = setup(student, input);
    const result = explore({ ...options, protocol, invariants, strategy: "bfs" });
    const verdict = result.verdict === "goal" ? "exhausted" : result.verdict;
    const out: SearchOutput = { verdict, summary: result.summary, states: result.states, statesAtDepth: result.statesAtDepth };
    if (result.violation !== undefined) return { ...out, depth: result.violation.depth, trace: result.violation.trace.toJSON() };
    if (goals.length === 0) return out;
    const goalsNotReached = goals.filter((goal) => explore({ ...options, protocol, goals: [goal], strategy: "dfs" }).verdict !== "goal").map((goal) => goal.name);
    return { ...out, goalsNotReached };
  };
  // Tells the isolated-nodes executor to keep node states in the grader (see the comment at the top).
  return Object.assign(driver, { branchesNodeStates: true as const });
}

/** Why a clean search still fails: goals no run reached (undefined: none missed). */
function missedGoals(output: Partial<SearchOutput>): string | undefined {
  const missed = output.goalsNotReached;
  if (!Array.isArray(missed) || missed.length === 0) return undefined;
  return `no violation, but no order of events within the search's bounds reaches ${missed.map((g) => JSON.stringify(g)).join(" or ")} (a protocol that never acts is safe too)`;
}

/**
 * The check of a search test whose explorer ran in the grader (every search test: see the top), so
 * its verdict stands: a violation fails with the shortest run; "bounded" fails with
 * `requireExhausted`; a goal no run reached fails.
 */
export function searchVerdict(options: { requireExhausted?: boolean } = {}) {
  return (_input: SearchInput, output: unknown): Verdict => {
    const o = output as Partial<SearchOutput> | null;
    if (o === null || typeof o !== "object") return fail("expected the search's result");
    if (o.verdict === "violation" && typeof o.trace === "string") return fail(`${String(o.summary)} (shortest run: ${String(o.depth)} steps)`, Trace.fromJSON(o.trace).events);
    if (o.verdict === "exhausted" || (o.verdict === "bounded" && options.requireExhausted !== true)) {
      if (!(typeof o.states === "number" && o.states >= 1)) return fail("the search explored no state");
      const missed = missedGoals(o);
      return missed === undefined ? pass : fail(missed);
    }
    return fail(`the search did not finish: ${String(o.summary)}`);
  };
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
      const missed = missedGoals(o);
      return missed === undefined ? pass : fail(missed);
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
