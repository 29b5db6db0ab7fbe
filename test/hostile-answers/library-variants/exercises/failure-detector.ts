// @ts-nocheck
// the path is the submission's (exercises/ beside src/ in the sandbox), not this folder's.
// Hostile: Exercise 2.3 answered with the library's fixed-timeout heartbeat detector, with a timeout
// picked to beat the tests (2 s: above the largest latency bound of the visible tests, well below the
// time they allow for noticing a crash). A fixed timeout is not eventually perfect: some bound is
// always larger. Expect 0.
import { heartbeatFailureDetector } from "../src/protocols/failure-detectors/heartbeat";

export const eventuallyPerfectFailureDetector = () => heartbeatFailureDetector({ heartbeatMs: 50, timeoutMs: 2000 });
