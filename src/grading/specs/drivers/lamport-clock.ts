/** Drivers of Exercise 4.2 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/lamport-clock";
import { replayRun, type ClockRun } from "../clock-runs";

type Module = typeof Student;

export const drivers = {
  /** The clock createLamportClock returns. */
  create: (student: Module) => student.createLamportClock(),
  /** The timestamp returned for each event of the run. */
  replay: (student: Module, run: ClockRun) =>
    replayRun(run, {
      create: () => student.createLamportClock(),
      tick: (clock) => student.tick(clock),
      send: (clock) => student.send(clock),
      receive: (clock, tPrime) => student.receive(clock, tPrime),
    }),
};
