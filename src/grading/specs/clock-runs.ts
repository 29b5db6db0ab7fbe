/**
 * Runs of events at several nodes, for the logical-clock exercises (lecture 4): the data the clock
 * drivers replay, the happens-before relation of a run, and a trace of it for space-time diagrams.
 * Loaded in the grader's sandbox (by the drivers) and in the trusted process (by the checks), so it
 * imports only types and the checkers' happens-before relation (which imports nothing else).
 */
import { HappensBefore } from "../../checks/happens-before";
import type { TraceEvent } from "../../sim/trace-events";

export type RunEvent =
  | { readonly node: string; readonly kind: "local" }
  | { readonly node: string; readonly kind: "send"; readonly msg: number; readonly to: string }
  | { readonly node: string; readonly kind: "receive"; readonly msg: number; readonly from: string };

/** Events in the order they happen (a message is always sent before it is received). */
export interface ClockRun {
  readonly nodes: readonly string[];
  readonly events: readonly RunEvent[];
}

/** The clock operations of a logical-clock exercise, as a driver sees them. */
export interface ClockApi<C, T> {
  create(nodes: string[], node: string): C;
  tick(clock: C): T;
  send(clock: C): T;
  receive(clock: C, tPrime: T): T;
}

/**
 * Replays a run through a student's clock: one clock per node, and each message carries the value the
 * sender's `send` returned. Returns the value returned for each event, as returned (not copied), so
 * a timestamp that a later event changes shows up changed, as it would for an application keeping it.
 */
export function replayRun<C, T>(run: ClockRun, api: ClockApi<C, T>): T[] {
  const clocks = new Map<string, C>();
  for (const node of run.nodes) clocks.set(node, api.create([...run.nodes], node));
  const carried = new Map<number, T>();
  const stamps: T[] = [];
  for (const event of run.events) {
    const clock = clocks.get(event.node);
    if (clock === undefined) throw new Error(`run names an unknown node ${event.node}`);
    if (event.kind === "local") stamps.push(api.tick(clock));
    else if (event.kind === "send") {
      const stamp = api.send(clock);
      carried.set(event.msg, stamp);
      stamps.push(stamp);
    } else {
      if (!carried.has(event.msg)) throw new Error(`run receives message m${event.msg} before it is sent`);
      stamps.push(api.receive(clock, carried.get(event.msg) as T));
    }
  }
  return stamps;
}

/**
 * happensBefore(run)[b] is the set of events a with a -> b (slide "The happens-before relation"):
 * earlier events at the same node, the send of a received message, and everything before those.
 * The relation is the checkers' (src/checks/happens-before.ts), over the run as a trace.
 */
export function happensBefore(run: ClockRun): Set<number>[] {
  const relation = new HappensBefore({ events: runTrace(run, []), nodes: run.nodes });
  return run.events.map((_, b) => new Set(run.events.map((_, a) => a).filter((a) => relation.happensBefore(a, b))));
}

/** "e3 (send m1 from A to B)": how the checks name an event. */
export function describeEvent(run: ClockRun, index: number): string {
  const event = run.events[index];
  if (event.kind === "local") return `e${index} (local event at ${event.node})`;
  if (event.kind === "send") return `e${index} (send m${event.msg} from ${event.node} to ${event.to})`;
  return `e${index} (receive m${event.msg} at ${event.node} from ${event.from})`;
}

/** The run as a trace (time = event index), each event labelled, for a space-time diagram. */
export function runTrace(run: ClockRun, labels: readonly (string | undefined)[]): TraceEvent[] {
  const trace: TraceEvent[] = [];
  const copies = new Map<number, number>();
  run.events.forEach((event, index) => {
    const at = { i: index, t: index, node: event.node, local: index };
    const label = labels[index];
    const extra = label === undefined ? {} : { label };
    if (event.kind === "local") trace.push({ ...at, ...extra, kind: "log", text: "local event" });
    else if (event.kind === "send") {
      trace.push({ ...at, ...extra, kind: "send", msgId: event.msg, to: event.to, msg: { type: `m${event.msg}` }, layer: "clock" });
    } else {
      const copy = copies.get(event.msg) ?? 0;
      copies.set(event.msg, copy + 1);
      trace.push({ ...at, ...extra, kind: "receive", msgId: event.msg, from: event.from, msg: { type: `m${event.msg}` }, copy });
    }
  });
  return trace;
}
