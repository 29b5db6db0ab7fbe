/** Drivers of Exercise 3.1 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/ntp";
import { runNtpScenario, type NtpScenario } from "../ntp-runs";

type Module = typeof Student;

/** One exchange's four timestamps. */
export interface Sample {
  readonly t1: number;
  readonly t2: number;
  readonly t3: number;
  readonly t4: number;
}

/** A clock call discipline made: ["slew", deltaMs, ratePpm or null] or ["step", deltaMs]. */
export type ClockCall = readonly [string, ...unknown[]];

export const drivers = {
  /** roundTripDelay and estimatedSkew of each sample. */
  formulas: (student: Module, samples: Sample[]) =>
    samples.map((s) => ({
      delta: student.roundTripDelay(s.t1, s.t2, s.t3, s.t4),
      theta: student.estimatedSkew(s.t1, s.t2, s.t3, s.t4),
    })),
  /** For each theta: the action discipline returned and the clock methods it called. */
  discipline: (student: Module, thetas: number[]) =>
    thetas.map((theta) => {
      const calls: ClockCall[] = [];
      const clock = {
        step: (deltaMs: number) => void calls.push(["step", deltaMs]),
        slew: (deltaMs: number, ratePpm?: number) => void calls.push(["slew", deltaMs, ratePpm === undefined ? null : ratePpm]),
      };
      const action = student.discipline(clock, theta);
      return { action, calls };
    }),
  /** NTP clients built from the student's functions, in the simulator: the trace as JSON. */
  simulate: (student: Module, scenario: NtpScenario) => runNtpScenario(student, scenario).toJSON(),
};
