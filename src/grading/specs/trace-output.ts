/** Reading a trace a driver returned (trace.toJSON() text): untrusted data, so every failure is a Verdict. */
import { Trace } from "../../sim/trace";
import { fail, type Verdict } from "../define";
import { preview } from "../scenarios";

/** The trace, or a failing Verdict saying why the output is not one. */
export function parseTrace(output: unknown): Trace | Verdict {
  if (typeof output !== "string") return fail(`expected the run's trace as JSON text, got ${preview(output)}`);
  try {
    return Trace.fromJSON(output);
  } catch (error) {
    return fail(`the run's trace could not be read: ${String(error)}`);
  }
}
