/**
 * The runs of the logical-clock exercises (3.2, 4.2, 4.3) are scenarios (src/sim/scenario.ts) of one
 * small protocol, `clockSteps`: its requests are the application's steps, `{ type: "event" }` (a local
 * event) and `{ type: "send", to, m }` (send message m); receiving a message is the third kind of
 * event. Lost, duplicated and reordered messages come from the scenario's network. The request
 * shapes are those of the library's lamportClock() and vectorClock() layers, so a notebook can run
 * the same scenario on them.
 *
 * Loaded by the drivers (in the sandbox, with the student's code) and by the trusted checks, so it
 * imports the simulator only.
 */
import { simulate, type NodeId, type Protocol, type Scenario, type TraceEvent } from "../../sim/index";

export type ClockRequest = { readonly type: "event" } | { readonly type: "send"; readonly to: NodeId; readonly m: number };
type StampedMsg = { readonly type: "Stamped"; readonly m: number; readonly t: unknown };

/** The clock operations of a logical-clock exercise, as a driver sees them. */
export interface ClockApi<C, T> {
  create(nodes: string[], node: string): C;
  tick(clock: C): T;
  send(clock: C): T;
  receive(clock: C, tPrime: T): T;
}

/**
 * One clock per node (api.create), used at every event as the slides say: a local event ticks it,
 * sending ticks it and sends the timestamp with the message, receiving merges the message's
 * timestamp. `stamped(node, t)` sees every timestamp, in each node's order, as returned (not copied:
 * a timestamp that a later event changes shows up changed, as it would for an application keeping
 * it).
 */
export function clockSteps<C, T>(api: ClockApi<C, T>, stamped?: (node: NodeId, t: T) => void): Protocol<{ clock: C }, StampedMsg, ClockRequest> {
  return {
    name: "clock-steps",
    init: (ctx) => ({ clock: api.create([...ctx.nodes], ctx.nodeId) }),
    request: (state, req, ctx) => {
      const t = req.type === "send" ? api.send(state.clock) : api.tick(state.clock);
      stamped?.(ctx.nodeId, t);
      if (req.type === "send") ctx.send(req.to, { type: "Stamped", m: req.m, t });
    },
    receive: {
      Stamped: (state, msg, _from, ctx) => stamped?.(ctx.nodeId, api.receive(state.clock, msg.t as T)),
    },
  };
}

/**
 * The clock of the grader's own runs of a scenario: its messages carry no timestamp (null). The
 * events are the same as with any clock, since nothing in a run depends on the timestamps.
 */
export const noClock: ClockApi<null, null> = { create: () => null, tick: () => null, send: () => null, receive: () => null };

/** Runs a scenario through a student's clock: each node's timestamps, one per clock event, in its order. */
export function clockStamps<C, T>(scenario: Scenario, api: ClockApi<C, T>): Record<NodeId, T[]> {
  const stamps: Record<NodeId, T[]> = Object.fromEntries(scenario.nodes.map((node) => [node, [] as T[]]));
  simulate(scenario, clockSteps(api, (node, t) => stamps[node]!.push(t)), { trace: false });
  return stamps;
}

/**
 * A scenario acted out as listed: `[node, "event"]`, `[node, "send", to]`, one step per ms (message
 * k is m = k + 1), with each link's latency fixed so that receipts fall between the steps.
 */
export function scriptedScenario(
  seed: string,
  nodes: readonly NodeId[],
  steps: readonly (readonly [NodeId, "event"] | readonly [NodeId, "send", NodeId])[],
  links: readonly { readonly from: NodeId; readonly to: NodeId; readonly latencyMs: number }[] = [],
): Scenario {
  let m = 0;
  return {
    seed,
    nodes,
    network: { latencyMs: 1.5, links },
    requests: steps.map(([node, kind, to], k) => ({ node, atMs: k, request: kind === "send" ? { type: "send", to, m: ++m } : { type: "event" } })),
    untilMs: steps.length + Math.max(1.5, ...links.map((l) => l.latencyMs)) + 1,
  };
}

/** One event in a node's log (Exercise 3.2): "send" and "receive" carry the message's id; any other kind is a local step. */
export interface LoggedEvent {
  readonly kind: string;
  readonly msgId?: number;
}

/** An event of a node's log, with its node, position in that log and trace index. */
export type LogRef = LoggedEvent & { readonly node: NodeId; readonly index: number; readonly i: number };

/**
 * Exercise 3.2's input from a run's trace: each node's log of its own events (every trace event at
 * a node: init, request, send, receive, ...), in the order they happened there, and `refs`, every
 * event of the logs, node by node in the scenario's order.
 */
export function nodeLogs(nodes: readonly NodeId[], events: readonly TraceEvent[]): { logs: Record<NodeId, LoggedEvent[]>; refs: LogRef[] } {
  const at = (node: NodeId) => events.filter((e) => "local" in e && "node" in e && e.node === node);
  const logged = (e: TraceEvent): LoggedEvent => (e.kind === "send" || e.kind === "receive" ? { kind: e.kind, msgId: e.msgId } : { kind: e.kind });
  return {
    logs: Object.fromEntries(nodes.map((node) => [node, at(node).map(logged)])),
    refs: nodes.flatMap((node) => at(node).map((e, index) => ({ node, index, i: e.i, ...logged(e) }))),
  };
}
