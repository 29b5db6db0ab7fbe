/** Drivers of Exercise 4.3 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/vector-clock";
import type { Scenario } from "../../../sim/index";
import { clockStamps } from "../clock-scenarios";

type Module = typeof Student;

function replay(student: Module, scenario: Scenario) {
  return clockStamps(scenario, {
    create: (nodes, node) => student.createVectorClock(nodes, node),
    tick: (clock) => student.tick(clock),
    send: (clock) => student.send(clock),
    receive: (clock, tPrime) => student.receive(clock, tPrime),
  });
}

export const drivers = {
  /** The clock createVectorClock returns. */
  create: (student: Module, input: { nodes: string[]; self: string }) => student.createVectorClock(input.nodes, input.self),
  /** The scenario run with your clock at every node: each node's timestamps, one per event, in order (as returned: aliasing shows). */
  replay,
  /** compare(a, b) for each pair. */
  compare: (student: Module, pairs: [number[], number[]][]) => pairs.map(([a, b]) => student.compare(a, b)),
  /** The run's timestamps, node by node, then compare(V(a), V(b)) for every pair of them, row by row. */
  replayAndCompare: (student: Module, scenario: Scenario) => {
    const stamps = Object.values(replay(student, scenario)).flat();
    return stamps.map((a) => stamps.map((b) => student.compare(a, b)));
  },
};
