/** Drivers of Exercise 4.2 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/lamport-clock";
import type { Scenario } from "../../../sim/index";
import { clockStamps } from "../clock-scenarios";

type Module = typeof Student;

export const drivers = {
  /** The clock createLamportClock returns. */
  create: (student: Module) => student.createLamportClock(),
  /** The scenario run with your clock at every node: each node's timestamps, one per event, in order. */
  replay: (student: Module, scenario: Scenario) =>
    clockStamps(scenario, {
      create: () => student.createLamportClock(),
      tick: (clock) => student.tick(clock),
      send: (clock) => student.send(clock),
      receive: (clock, tPrime) => student.receive(clock, tPrime),
    }),
};
