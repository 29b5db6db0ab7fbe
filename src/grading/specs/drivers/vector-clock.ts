/** Drivers of Exercise 4.3 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/vector-clock";
import { replayRun, type ClockRun } from "../clock-runs";

type Module = typeof Student;

function replay(student: Module, run: ClockRun) {
  return replayRun(run, {
    create: (nodes, node) => student.createVectorClock(nodes, node),
    tick: (clock) => student.tick(clock),
    send: (clock) => student.send(clock),
    receive: (clock, tPrime) => student.receive(clock, tPrime),
  });
}

export const drivers = {
  /** The clock createVectorClock returns. */
  create: (student: Module, input: { nodes: string[]; self: string }) => student.createVectorClock(input.nodes, input.self),
  /** The timestamp returned for each event of the run (as returned: aliasing shows). */
  replay,
  /** compare(a, b) for each pair. */
  compare: (student: Module, pairs: [number[], number[]][]) => pairs.map(([a, b]) => student.compare(a, b)),
  /** The run's timestamps, then compare(V(a), V(b)) for every pair of events, row by row. */
  replayAndCompare: (student: Module, run: ClockRun) => {
    const stamps = replay(student, run);
    return stamps.map((a) => stamps.map((b) => student.compare(a, b)));
  },
};
