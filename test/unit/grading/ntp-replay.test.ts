/**
 * Exercise 3.1's simulation test judges a run the grader makes itself: the driver returns what each
 * client decided (timestamps seen, clock calls made) and the check replays those decisions in the
 * trusted process. A forged output (another run's decisions, decisions without their clock calls,
 * a trace) fails; the reference's decisions pass.
 */
import * as assert from "node:assert/strict";
import * as reference from "../../../solutions/ntp";
import { Trace } from "../../../src/sim/trace";
import { drivers, replayDecisions, type NtpDecision, type NtpRun } from "../../../src/grading/specs/drivers/ntp";
import { clientsAtEveryThreshold, ntpChecks } from "../../../src/grading/specs/ntp";

const run: NtpRun = clientsAtEveryThreshold;
const decisions = drivers.simulate(reference as never, run) as NtpDecision[];

describe("grading: 3.1's simulation is replayed in the grader", () => {
  it("the reference's decisions replay to the same run and pass", () => {
    assert.ok(decisions.length > 100, `${decisions.length} decisions`);
    assert.equal(ntpChecks.simulation(run, decisions).ok, true);
    // The same trace both times: the replay is the run the student's code made.
    assert.equal(replayDecisions(run, decisions).hash(), replayDecisions(run, JSON.parse(JSON.stringify(decisions))).hash());
  });

  it("a forged output fails: timestamps from another run, clock calls dropped, missing decisions, a trace", () => {
    const shifted = decisions.map((d, k) => (k === 5 ? { ...d, t4: d.t4 + 1 } : d));
    assert.match(String(ntpChecks.simulation(run, shifted).message), /not the run that was asked for/);
    const lazy = decisions.map((d) => ({ ...d, calls: [] }));
    assert.equal(ntpChecks.simulation(run, lazy).ok, false);
    assert.match(String(ntpChecks.simulation(run, decisions.slice(0, 10)).message), /reported no decision/);
    const trace = replayDecisions(run, decisions);
    assert.ok(trace instanceof Trace);
    assert.match(String(ntpChecks.simulation(run, trace.toJSON()).message), /expected the clients' decisions/);
    assert.match(String(ntpChecks.simulation(run, [{ node: "S", t1: 0, t2: 0, t3: 0, t4: 0, calls: [] }]).message), /decision 0 is not/);
  });
});
