/** Drivers of Exercise 3.2 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/happens-before";
import type { ClockRun } from "../clock-runs";

type Module = typeof Student;

/** The kinds a local step takes in the events handed to the student (any kind but send/receive is local). */
const localKinds = ["local", "deliver", "timer", "request", "log"];

/** The run as the exercise's events: position k is the run's event k. */
export function nodeEvents(run: ClockRun): Student.NodeEvent[] {
  return run.events.map((e, k) =>
    e.kind === "local" ? { node: e.node, kind: localKinds[k % localKinds.length] } : { node: e.node, kind: e.kind, msgId: e.msg },
  );
}

export const drivers = {
  /** happensBefore and concurrent for every pair of positions (a, b), as two matrices [a][b]. */
  relation: (student: Module, run: ClockRun) => {
    const events = nodeEvents(run);
    const n = events.length;
    const before: boolean[][] = [];
    const concurrent: boolean[][] = [];
    for (let a = 0; a < n; a++) {
      before.push([]);
      concurrent.push([]);
      for (let b = 0; b < n; b++) {
        before[a].push(student.happensBefore(events, a, b));
        concurrent[a].push(student.concurrent(events, a, b));
      }
    }
    return { before, concurrent };
  },
};
