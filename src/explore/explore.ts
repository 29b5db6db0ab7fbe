/**
 * Bounded exhaustive search over the runs of a real protocol (DSLabs' search tests): every choice of
 * which message is delivered next, whether it is lost or duplicated (fair-loss network), when timers
 * fire, when nodes crash and recover, and when the scenario's requests are issued, within the
 * budgets and bounds given. Visited states are hashed, so each distinct global state is expanded once.
 * Invariants are checked in every state; goals are states the search looks for. Breadth-first (the
 * default) finds a shortest run to a violation or goal; depth-first goes deep first.
 *
 * The result says which of four things happened ("violation", "goal", "exhausted", "bounded") in
 * one sentence, and a run it found is returned as a normal trace: drawable with
 * src/viz/space-time.ts, checkable with src/checks.
 *
 * No wall clock here (no Date.now in src/): time is bounded by the number of states; benchmarks
 * measure seconds.
 */
import type { AnyProtocol, NodeId } from "../sim/protocol";
import { SimulationInputError } from "../sim/errors";
import type { Trace } from "../sim/trace";
import { ExplorationError, Recorder, World, type Settings } from "./world";
import type { ExploreOptions, ExploreResult, ExploreState, FoundRun, Step } from "./types";

export const DEFAULT_MAX_DEPTH = 40;
export const DEFAULT_MAX_STATES = 200_000;

/** One visited state: how it was first reached (parent index and step), for the path back. */
interface Visit {
  readonly parent: number;
  readonly step: Step | undefined;
  readonly depth: number;
}

export function explore(options: ExploreOptions): ExploreResult {
  const settings = resolve(options);
  const world = new World(settings);
  const strategy = options.strategy ?? "bfs";
  const maxDepth = bound("bounds.maxDepth", options.bounds?.maxDepth ?? DEFAULT_MAX_DEPTH, 0);
  const maxStates = bound("bounds.maxStates", options.bounds?.maxStates ?? DEFAULT_MAX_STATES, 1);
  const invariants = options.invariants ?? [];
  const goals = options.goals ?? [];

  const visits: Visit[] = [];
  /** State key -> [index in visits, shallowest depth seen]. */
  const seen = new Map<string, number>();
  const statesAtDepth: number[] = [];
  let transitions = 0;
  let terminalStates = 0;
  let maxDepthReached = 0;
  let cutByDepth = false;
  let cutByStates = false;

  const pathTo = (index: number): Step[] => {
    const steps: Step[] = [];
    for (let k = index; k > 0; k = visits[k]!.parent) steps.push(visits[k]!.step!);
    return steps.reverse();
  };
  const found = (index: number, state: ExploreState): FoundRun => {
    const path = pathTo(index);
    return { depth: path.length, path, state, trace: replay(settings, path) };
  };

  /** Visits a state: records it, checks it. Returns what stops the search, if anything. */
  const visit = (state: ExploreState, parent: number, step: Step | undefined, depth: number): { index: number; stop?: ExploreResult } | undefined => {
    const key = world.key(state);
    const before = seen.get(key);
    if (before !== undefined && visits[before]!.depth <= depth) return undefined;
    const index = visits.length;
    visits.push({ parent, step, depth });
    seen.set(key, index);
    if (before === undefined) {
      while (statesAtDepth.length <= depth) statesAtDepth.push(0);
      statesAtDepth[depth]! += 1;
      maxDepthReached = Math.max(maxDepthReached, depth);
    }
    for (const invariant of invariants) {
      const verdict = invariant.holds(state);
      if (verdict === true) continue;
      const message = typeof verdict === "string" ? verdict : `invariant "${invariant.name}" does not hold`;
      const run = found(index, state);
      return {
        index,
        stop: finish("violation", `violation of "${invariant.name}" found at depth ${run.depth} (after ${seen.size} states): ${message}`, {
          violation: { ...run, invariant: invariant.name, message },
        }),
      };
    }
    for (const goal of goals) {
      if (!goal.reached(state)) continue;
      const run = found(index, state);
      return { index, stop: finish("goal", `goal "${goal.name}" reached at depth ${run.depth} (after ${seen.size} states)`, { goal: { ...run, name: goal.name } }) };
    }
    return { index };
  };

  const finish = (verdict: ExploreResult["verdict"], summary: string, extra: Partial<ExploreResult> = {}): ExploreResult => ({
    verdict,
    summary,
    strategy,
    states: seen.size,
    transitions,
    statesAtDepth: statesAtDepth.slice(),
    terminalStates,
    maxDepthReached,
    goalsNotReached: goals.filter((g) => extra.goal?.name !== g.name).map((g) => g.name),
    ...extra,
  });

  /** Expands a state: its successors, or, if it has none, a terminal state. */
  const expand = (state: ExploreState, index: number, depth: number, push: (state: ExploreState, index: number, depth: number) => void): ExploreResult | undefined => {
    const steps = world.enabled(state);
    if (steps.length === 0) {
      terminalStates += 1;
      options.onTerminal?.(state, pathTo(index));
      return undefined;
    }
    if (depth >= maxDepth) {
      cutByDepth = true;
      return undefined;
    }
    for (const step of steps) {
      if (seen.size >= maxStates) {
        cutByStates = true;
        return undefined;
      }
      transitions += 1;
      const next = world.apply(state, step, depth + 1);
      const visited = visit(next, index, step, depth + 1);
      if (visited === undefined) continue;
      if (visited.stop !== undefined) return visited.stop;
      push(next, visited.index, depth + 1);
    }
    return undefined;
  };

  const initial = world.initial();
  const first = visit(initial, -1, undefined, 0)!;
  if (first.stop !== undefined) return first.stop;

  if (strategy === "bfs") {
    // A queue of states to expand, in the order found: depth by depth.
    let frontier: { state: ExploreState; index: number }[] = [{ state: initial, index: first.index }];
    for (let depth = 0; frontier.length > 0 && !cutByStates; depth++) {
      const next: { state: ExploreState; index: number }[] = [];
      for (const entry of frontier) {
        const stop = expand(entry.state, entry.index, depth, (state, index) => void next.push({ state, index }));
        if (stop !== undefined) return stop;
        if (cutByStates) break;
      }
      frontier = next;
    }
  } else {
    const stack: { state: ExploreState; index: number; depth: number }[] = [{ state: initial, index: first.index, depth: 0 }];
    while (stack.length > 0 && !cutByStates) {
      const entry = stack.pop()!;
      // A state reached again by a shorter path was pushed again: expand only its shallowest visit.
      if (seen.get(world.key(entry.state)) !== entry.index) continue;
      const children: { state: ExploreState; index: number; depth: number }[] = [];
      const stop = expand(entry.state, entry.index, entry.depth, (state, index, depth) => void children.push({ state, index, depth }));
      if (stop !== undefined) return stop;
      for (let k = children.length - 1; k >= 0; k--) stack.push(children[k]!);
    }
  }

  const reach = `${seen.size} states to depth ${maxDepthReached}`;
  if (cutByStates || cutByDepth) {
    const which = cutByStates ? "maxStates" : "maxDepth";
    const limit = cutByStates ? maxStates : maxDepth;
    return finish("bounded", `bounded: explored ${reach}, no violation; the search stopped at ${which} = ${limit} with states still unexplored`, { bound: which });
  }
  return finish("exhausted", `exhausted: explored all ${reach} (${terminalStates} terminal), no violation`);
}

/** Re-runs a path from the initial state, recording every event: the run as a trace. */
export function replay(settings: Settings, path: readonly Step[]): Trace {
  const world = new World(settings);
  const recorder = new Recorder(settings.seed, settings.nodes, settings.description);
  let state = world.initial(recorder);
  path.forEach((step, k) => {
    state = world.apply(state, step, k + 1, recorder);
  });
  return recorder.trace;
}

/** Replays a path given the options of the search that found it (e.g. a path saved earlier). */
export function replayPath(options: ExploreOptions, path: readonly Step[]): Trace {
  return replay(resolve(options), path);
}

function bound(field: string, value: number, min: number): number {
  if (!(Number.isSafeInteger(value) && value >= min) && value !== Infinity) throw new SimulationInputError(field, value, `expected an integer >= ${min}`);
  return value;
}

export function resolve(options: ExploreOptions): Settings {
  if (typeof options !== "object" || options === null) throw new SimulationInputError("explore(options)", options, "expected an object");
  const nodes = options.nodes;
  if (!Array.isArray(nodes) || nodes.length === 0 || new Set(nodes).size !== nodes.length || nodes.some((n) => typeof n !== "string")) {
    throw new SimulationInputError("nodes", nodes, "expected a non-empty array of distinct node ids");
  }
  const protocols: Record<NodeId, AnyProtocol> = {};
  const single = typeof (options.protocol as AnyProtocol).init === "function";
  for (const id of nodes) {
    const p = single ? (options.protocol as AnyProtocol) : (options.protocol as Record<NodeId, AnyProtocol>)[id];
    if (p === undefined || typeof p.init !== "function") throw new SimulationInputError(`protocol[${id}]`, p, "expected a protocol for every node");
    protocols[id] = p;
  }
  const requests: Record<NodeId, unknown[]> = {};
  for (const id of nodes) requests[id] = [];
  (options.requests ?? []).forEach((r, k) => {
    if (requests[r.node] === undefined) throw new SimulationInputError(`requests[${k}].node`, r.node, `expected a known node id (nodes: ${nodes.join(", ")})`);
    if (typeof protocols[r.node]!.request !== "function") throw new SimulationInputError(`requests[${k}].node`, r.node, `protocol ${protocols[r.node]!.name} has no request handler`);
    requests[r.node]!.push(r.request);
  });
  const network = options.network ?? {};
  const lossy = (network.model ?? "reliable") === "fair-loss";
  if (network.model !== undefined && network.model !== "reliable" && network.model !== "fair-loss") {
    throw new SimulationInputError("network.model", network.model, 'expected "reliable" or "fair-loss"');
  }
  const failures = options.failures ?? {};
  const crashes = failures.model ?? "none";
  if (!["none", "crash-stop", "crash-recovery"].includes(crashes)) throw new SimulationInputError("failures.model", crashes, 'expected "none", "crash-stop" or "crash-recovery"');
  const maxCrashes = bound("failures.maxCrashes", failures.maxCrashes ?? 1, 0);
  const timerFire = options.timers?.fire ?? "any-time";
  if (!["any-time", "when-idle", "never"].includes(timerFire)) throw new SimulationInputError("timers.fire", timerFire, 'expected "any-time", "when-idle" or "never"');
  const issue = options.issueRequests ?? "choice";
  if (issue !== "choice" && issue !== "start") throw new SimulationInputError("issueRequests", issue, 'expected "choice" or "start"');
  return {
    nodes,
    protocols,
    seed: options.seed ?? "explore",
    requests,
    issueAtStart: issue === "start",
    lossy,
    maxLosses: lossy ? bound("network.maxLosses", network.maxLosses ?? 1, 0) : 0,
    maxDuplicates: lossy ? bound("network.maxDuplicates", network.maxDuplicates ?? 0, 0) : 0,
    crashes,
    maxCrashes,
    maxRecoveries: bound("failures.maxRecoveries", failures.maxRecoveries ?? maxCrashes, 0),
    timerFire,
    maxFirings: bound("timers.maxFirings", options.timers?.maxFirings ?? Infinity, 0),
    maxInFlight: bound("bounds.maxInFlight", options.bounds?.maxInFlight ?? 10_000, 1),
    description: options.description,
  };
}

export { ExplorationError };
