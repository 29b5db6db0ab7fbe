/**
 * The trusted side of the logical-clock exercises (3.2, 4.2, 4.3): random clock scenarios, and the
 * grader's own run of a scenario (src/grading/specs/clock-scenarios.ts) with its events, their
 * happens-before relation (the checkers', src/checks/happens-before.ts) and failure diagrams.
 * Never loaded by the sandbox (it imports fast-check).
 */
import * as fc from "fast-check";
import { HappensBefore } from "../../checks/happens-before";
import { simulate, type NodeId, type Scenario, type TraceEvent } from "../../sim/index";
import { fail, pass, type Verdict } from "../define";
import { preview, scenarios, type ScenarioShape } from "../scenarios";
import { clockSteps, noClock, type ClockRequest } from "./clock-scenarios";

export type ClockShape = Pick<ScenarioShape, "nodesMin" | "nodesMax" | "loss" | "duplicate"> & {
  /** At most this many steps (local events and sends); receipts come on top. */
  readonly stepsMax: number;
};

/**
 * Random clock scenarios: 1 to stepsMax steps (requests) at random nodes and times over 200 ms,
 * latencies up to 80 ms (so messages overtake each other and steps), and the network's loss and
 * duplication. Each step is a local event or a send to another node, chosen by a number that shrinks
 * to 0 (a local event), so a failing scenario shrinks towards fewer nodes, steps and messages. The
 * number of steps is drawn from the whole range (fast-check's default size would keep it near 10).
 */
export function clockScenarios(shape: ClockShape): fc.Arbitrary<Scenario> {
  const { stepsMax, ...network } = shape;
  const base = scenarios({ ...network, requestsMax: 0, spreadMs: 200, untilMs: 1000, seedPrefix: "clock" });
  const step = fc.record({ who: fc.nat(shape.nodesMax - 1), atMs: fc.integer({ min: 0, max: 199 }), pick: fc.nat(8) });
  return fc.tuple(base, fc.array(step, { minLength: 1, maxLength: stepsMax, size: "max" })).map(([scenario, steps]) => {
    const nodes = scenario.nodes;
    let m = 0;
    const requests = steps
      .map((s, k) => ({ ...s, k }))
      .sort((x, y) => x.atMs - y.atMs || x.k - y.k)
      .map(({ who, atMs, pick }) => {
        const node = nodes[who % nodes.length]!;
        const others = nodes.filter((other) => other !== node);
        const request: ClockRequest = pick % 3 === 0 ? { type: "event" } : { type: "send", to: others[pick % others.length]!, m: ++m };
        return { node, atMs, request };
      });
    return { ...scenario, requests };
  });
}

/** A clock event of a run: its trace index, node, position among that node's clock events, and what it was. */
export interface ClockEvent {
  readonly i: number;
  readonly node: NodeId;
  readonly index: number;
  readonly kind: "event" | "send" | "receive";
  /** send and receive: the message's trace id and the other node. */
  readonly msgId?: number;
  readonly peer?: NodeId;
}

/** The grader's own run of a clock scenario: the trace, its clock events, and happens-before. */
export class GraderRun {
  readonly trace: readonly TraceEvent[];
  readonly events: ClockEvent[] = [];
  private readonly relation: HappensBefore;

  constructor(readonly scenario: Scenario) {
    const { trace } = simulate(scenario, clockSteps(noClock));
    this.trace = trace.events;
    this.relation = new HappensBefore(trace);
    const counts = new Map<NodeId, number>();
    for (const e of this.trace) {
      if (e.kind !== "send" && e.kind !== "receive" && !(e.kind === "request" && (e.request as ClockRequest).type === "event")) continue;
      const index = counts.get(e.node) ?? 0;
      counts.set(e.node, index + 1);
      const message = e.kind === "send" ? { msgId: e.msgId, peer: e.to } : e.kind === "receive" ? { msgId: e.msgId, peer: e.from } : {};
      this.events.push({ i: e.i, node: e.node, index, kind: e.kind === "request" ? "event" : e.kind, ...message });
    }
  }

  /** The clock events at a node, in its order. */
  at(node: NodeId): ClockEvent[] {
    return this.events.filter((e) => e.node === node);
  }

  /** a -> b for trace indices a and b (the checkers' relation). */
  before(a: number, b: number): boolean {
    return this.relation.happensBefore(a, b);
  }

  /** The trace with the given labels (by trace index), for a failure diagram (clockSteps labels no event). */
  labelled(labels: ReadonlyMap<number, string>): TraceEvent[] {
    return this.trace.map((e) => (labels.has(e.i) ? { ...e, label: labels.get(e.i) } : e));
  }
}

/** "A2 (send of message 3 to B)": how the checks name an event (node, position among the node's events; 3.2's logs name no peer). */
export function describeEvent(e: { node: NodeId; index: number; kind: string; msgId?: number; peer?: NodeId }): string {
  const at = `${e.node}${e.index}`;
  if (e.kind === "send") return `${at} (send of message ${e.msgId}${e.peer === undefined ? "" : ` to ${e.peer}`})`;
  if (e.kind === "receive") return `${at} (receipt of message ${e.msgId}${e.peer === undefined ? "" : ` from ${e.peer}`})`;
  return `${at} (${e.kind === "event" ? "local event" : e.kind})`;
}

/** Whether a driver's answers are an n x n matrix (row a, column b). */
export function isMatrix(value: unknown, n: number): value is unknown[][] {
  return Array.isArray(value) && value.length === n && value.every((row) => Array.isArray(row) && row.length === n);
}

/** The first pair (a, b), row by row, whose answer in the matrix is not truth(a, b). */
export function firstWrong(answers: readonly (readonly unknown[])[], truth: (a: number, b: number) => unknown): [number, number] | undefined {
  for (let a = 0; a < answers.length; a++) {
    const b = answers[a]!.findIndex((answer, b) => answer !== truth(a, b));
    if (b >= 0) return [a, b];
  }
  return undefined;
}

/** What an exercise's timestamps are: which values count as one, and how messages and diagrams show one. */
export interface StampKind<T> {
  /** Whether t is a timestamp in a run of n nodes. */
  readonly valid: (t: unknown, n: number) => t is T;
  /** "a non-negative integer": what an invalid timestamp is not. */
  readonly shape: (n: number) => string;
  readonly show: (t: T) => string;
  /** The diagram label of an event with timestamp t. */
  readonly label: (t: T) => string;
}

/**
 * A replay driver's output (each node's timestamps, one per clock event there, in order) matched to
 * the grader's own run of the scenario and handed to `judge` in the order of run.events; `failWith`
 * draws the run labelled with the timestamps. A missing or invalid timestamp fails first.
 */
export function judgeStamps<T>(scenario: Scenario, output: unknown, kind: StampKind<T>, judge: (run: GraderRun, stamps: T[], failWith: (message: string) => Verdict) => Verdict): Verdict {
  const run = new GraderRun(scenario);
  if (typeof output !== "object" || output === null || Array.isArray(output)) return fail(`expected timestamps by node, got ${preview(output)}`);
  const byNode = output as Record<string, unknown[]>;
  for (const node of scenario.nodes) {
    const count = run.at(node).length;
    if (!Array.isArray(byNode[node]) || byNode[node].length !== count) return fail(`expected ${count} timestamps at node ${node} (one per event there), got ${preview(byNode[node])}`);
  }
  const n = scenario.nodes.length;
  const stamps = run.events.map((e) => byNode[e.node]![e.index]);
  const bad = stamps.findIndex((t) => !kind.valid(t, n));
  if (bad >= 0) return fail(`${describeEvent(run.events[bad]!)} returned ${preview(stamps[bad])}, not ${kind.shape(n)}`);
  return judge(run, stamps as T[], (message) => fail(message, run.labelled(new Map(run.events.map((e, k) => [e.i, kind.label(stamps[k] as T)])))));
}

/**
 * The check that every timestamp is the slide's: the algorithm replayed over the run, each node
 * starting from initial(n) (n nodes), `rule(own, carried, i)` giving an event's timestamp (carried:
 * the message's timestamp, on a receipt; i: the node's index) and how it is computed.
 */
export function slideValues<T>(kind: StampKind<T>, initial: (n: number) => T, rule: (own: T, carried: T | undefined, i: number) => { t: T; why: string }) {
  return (scenario: Scenario, output: unknown): Verdict =>
    judgeStamps(scenario, output, kind, (run, stamps, failWith) => {
      const clocks = new Map(scenario.nodes.map((node) => [node, initial(scenario.nodes.length)]));
      const sent = new Map<number, T>();
      for (let k = 0; k < run.events.length; k++) {
        const event = run.events[k]!;
        const { t, why } = rule(clocks.get(event.node)!, event.kind === "receive" ? sent.get(event.msgId!) : undefined, scenario.nodes.indexOf(event.node));
        if (kind.show(stamps[k]!) !== kind.show(t)) return failWith(`${describeEvent(event)}: expected ${why} = ${kind.show(t)}, got ${kind.show(stamps[k]!)}`);
        if (event.kind === "send") sent.set(event.msgId!, t);
        clocks.set(event.node, t);
      }
      return pass;
    });
}
