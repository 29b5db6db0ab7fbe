/**
 * fast-check arbitraries for runs of events at several nodes (trusted side only: the sandbox never
 * loads fast-check). A run is drawn as a list of small abstract steps and interpreted, so fast-check
 * shrinks it towards fewer nodes, fewer steps and smaller choices: the smallest failing run.
 */
import * as fc from "fast-check";
import type { ClockRun, RunEvent } from "./clock-runs";

export interface RunShape {
  readonly nodesMin: number;
  readonly nodesMax: number;
  readonly stepsMax: number;
  /** Allow a message to be received again (a duplicating network). Undelivered messages are always allowed (loss). */
  readonly duplicates: boolean;
}

const nodeNames = ["A", "B", "C", "D", "E", "F"];

export function clockRuns(shape: RunShape): fc.Arbitrary<ClockRun> {
  if (!(2 <= shape.nodesMin && shape.nodesMin <= shape.nodesMax && shape.nodesMax <= nodeNames.length)) {
    throw new Error(`bad node range ${shape.nodesMin}..${shape.nodesMax}`);
  }
  const step = fc.record({ op: fc.integer({ min: 0, max: shape.duplicates ? 3 : 2 }), a: fc.nat(7), b: fc.nat(7) });
  return fc
    .record({
      n: fc.integer({ min: shape.nodesMin, max: shape.nodesMax }),
      steps: fc.array(step, { minLength: 1, maxLength: shape.stepsMax }),
    })
    .map(({ n, steps }) => interpret(nodeNames.slice(0, n), steps));
}

/** op 0: local event at a; op 1: a sends to another node; op 2: receive a pending message; op 3: receive a received one again. */
function interpret(nodes: string[], steps: readonly { op: number; a: number; b: number }[]): ClockRun {
  const events: RunEvent[] = [];
  const pending: { msg: number; from: string; to: string }[] = [];
  const received: { msg: number; from: string; to: string }[] = [];
  let nextMsg = 1;
  for (const { op, a, b } of steps) {
    const node = nodes[a % nodes.length];
    if (op === 1) {
      const to = nodes[(a + 1 + (b % (nodes.length - 1))) % nodes.length];
      pending.push({ msg: nextMsg, from: node, to });
      events.push({ node, kind: "send", msg: nextMsg, to });
      nextMsg += 1;
    } else if (op === 2 && pending.length > 0) {
      const [m] = pending.splice(b % pending.length, 1);
      received.push(m);
      events.push({ node: m.to, kind: "receive", msg: m.msg, from: m.from });
    } else if (op === 3 && received.length > 0) {
      const m = received[b % received.length];
      events.push({ node: m.to, kind: "receive", msg: m.msg, from: m.from });
    } else {
      events.push({ node, kind: "local" });
    }
  }
  return { nodes, events };
}
