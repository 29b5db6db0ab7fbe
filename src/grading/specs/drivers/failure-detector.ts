/** Drivers of Exercise 2.3 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/failure-detector";
import { simulate, Trace, type Scenario } from "../../../sim/index";

export const drivers = {
  /** Your detector at every node of the scenario (partial synchrony, crashes); the trace without timer events, as JSON. */
  run: (student: typeof Student, scenario: Scenario): string => {
    const { trace } = simulate(scenario, student.eventuallyPerfectFailureDetector());
    // Timer events are most of a run and say nothing the checks need: leave them out.
    const events = trace.events.filter((e) => e.kind !== "timer");
    return new Trace({ seed: trace.seed, nodes: trace.nodes, description: trace.description }, events).toJSON();
  },
};
