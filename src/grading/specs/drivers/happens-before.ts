/** Drivers of Exercise 3.2 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/happens-before";
import { simulate, type Scenario } from "../../../sim/index";
import { clockSteps, noClock, nodeLogs } from "../clock-scenarios";

type Module = typeof Student;

export const drivers = {
  /**
   * The scenario's run, each node's log taken from its trace; then happensBefore and concurrent for
   * every pair of events (a, b), events numbered node by node, as two matrices [a][b].
   */
  relation: (student: Module, scenario: Scenario) => {
    const { logs, refs } = nodeLogs(scenario.nodes, simulate(scenario, clockSteps(noClock)).trace.events);
    const events = refs.map(({ node, index }) => ({ node, index }));
    const before = events.map((a) => events.map((b) => student.happensBefore(logs, a, b)));
    const concurrent = events.map((a) => events.map((b) => student.concurrent(logs, a, b)));
    return { before, concurrent };
  },
};
