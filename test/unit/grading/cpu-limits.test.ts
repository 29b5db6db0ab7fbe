/**
 * The grader's time limits count CPU time (src/grading/sandbox/cpu.ts), not wall time: a busy machine
 * must not cost honest code points. The hostile tests (hostile.test.ts) show the limits still bite.
 */
import * as assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { gradeSubmission } from "../../../src/grading/grade";
import { kitRoot, loadExercises } from "../../../src/grading/registry";
import { ChildrenCpu, CpuMeter, cpuTimeAvailable, processCpuMs } from "../../../src/grading/sandbox/cpu";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("grading: CPU-time limits", function () {
  this.timeout(300_000);
  before(function () {
    if (!cpuTimeAvailable) this.skip(); // no /proc: the limits fall back to wall time
  });

  it("the CPU meter counts a child's busy loop and not the time it waits on a pipe", async () => {
    // Busy until it has used 600 ms of CPU (however long that takes on this machine), says so,
    // then sleeps reading its stdin until the test closes it.
    const child = spawn(process.execPath, ["-e", `
      const u = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
      while (u() < 600);
      process.stdout.write("busy done\\n");
      process.stdin.resume();
      process.stdin.on("end", () => process.exit(0));
    `], { stdio: ["pipe", "pipe", "inherit"] });
    const cpu = new ChildrenCpu();
    cpu.add(child.pid);
    const meter = new CpuMeter();
    meter.add(() => cpu.totalMs());
    const sampler = setInterval(() => cpu.sample(), 50);
    try {
      await new Promise<void>((resolve) => child.stdout?.on("data", (chunk: Buffer) => chunk.toString().includes("busy done") && resolve()));
      const afterBusy = cpu.sample();
      assert.ok(afterBusy >= 550 && afterBusy < 2000, `busy loop counted ${afterBusy} ms`);
      assert.ok(meter.elapsedMs() >= afterBusy, "the meter includes the child");
      const waitStart = Date.now();
      await sleep(1500);
      const afterWait = cpu.sample();
      assert.ok(afterWait - afterBusy < 150, `waiting ${Date.now() - waitStart} ms on a pipe counted ${afterWait - afterBusy} ms`);
      // Once the child ends (and /proc forgets it), its time is kept.
      const exited = new Promise((resolve) => child.on("exit", resolve));
      child.stdin?.end();
      await exited;
      await sleep(100);
      assert.equal(processCpuMs(child.pid), undefined, "the child is gone");
      cpu.ended(child.pid);
      assert.ok(cpu.totalMs() >= afterWait, `kept ${cpu.totalMs()} ms`);
    } finally {
      clearInterval(sampler);
      child.kill("SIGKILL");
    }
  });

  it("on a busy machine, the reference gets full marks under small limits", async () => {
    // Four busy processes per core on top of whatever else runs here: the grading gets a small
    // fraction of the machine, so its tests take several times their CPU time by the wall clock.
    const burners: ChildProcess[] = Array.from({ length: 4 * os.cpus().length }, () => spawn(process.execPath, ["-e", "for (;;);"], { stdio: "ignore" }));
    try {
      await sleep(200);
      const exercises = loadExercises({ hidden: true }).filter((e) => e.id === "4.2" || e.id === "3.2");
      assert.equal(exercises.length, 2);
      // Small CPU limits: a call gets 1 s (3 s more for a fresh sandbox), a test 1 s, the submission
      // 10 s (unloaded, these tests take 0.1-0.4 s each). By the wall clock, the loaded machine
      // usually exceeds the test limit.
      const limits = { callTimeMs: 1000, startupMs: 3000, memoryMb: 256, replyBytesMax: 8 << 20, logBytesMax: 4096 };
      const started = Date.now();
      const result = await gradeSubmission(path.join(kitRoot, "solutions"), { exercises, limits, testTimeLimitMs: 1000, overallTimeMs: 10_000, concurrency: 2 });
      const wallMs = Date.now() - started;
      const messages = result.exercises.flatMap((e) => e.results.filter((r) => r.points < r.maxPoints).map((r) => `${r.exerciseId}/${r.test}: ${r.message}`));
      assert.equal(result.points, result.maxPoints, `${result.points}/${result.maxPoints} after ${wallMs} ms of wall time:\n${messages.join("\n")}`);
      const slowest = Math.max(...result.exercises.flatMap((e) => e.results.map((r) => r.durationMs)));
      // Not asserted (how much CPU the burners take from the grading varies with the other load and
      // the scheduler): here the slowest test took 1.6-1.9 s by the wall clock in most runs, over its
      // 1 s limit, and once 0.4 s.
      console.log(`      graded in ${wallMs} ms of wall time, slowest test ${slowest} ms (test limit 1000 ms of CPU)${slowest > 1000 ? ": over the limit by the wall clock" : ""}`);
    } finally {
      for (const burner of burners) burner.kill("SIGKILL");
    }
  });
});
