/**
 * Hostile submissions (test/hostile/<name>/exercises/lamport-clock.ts): each must get no point it
 * does not deserve, the grader must finish within its limits, and the results must say what happened.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as net from "node:net";
import { gradeSubmission, mapLimit, type SubmissionResult } from "../../../src/grading/grade";
import { sandboxLaunch } from "../../../src/grading/sandbox/launch";
import { kitRoot, loadExercises } from "../../../src/grading/registry";

const exercises = loadExercises({ hidden: true });
const limits = { callTimeMs: 1500, startupMs: 1500, memoryMb: 128, replyBytesMax: 1 << 20, logBytesMax: 2000 };
const overallTimeMs = 60_000;

/** name -> [points deserved for 4.2, what the results must say (a test message or a note)]. */
const expectations: { [name: string]: [number, RegExp] } = {
  "infinite-loop": [0, /no answer within 1\.5 s/],
  "deep-recursion": [0, /Maximum call stack size exceeded/],
  "memory-blowup": [0, /used more than \d+ MB of memory|ran out of memory/],
  "exit-zero": [0, /process ended during the test \(exit code 0\)/],
  "kill-parent": [0, /expected \{ t: 0 \}/],
  "throw-at-import": [0, /loading exercises\/lamport-clock\.ts failed: Error: boom at import/],
  "never-resolves": [0, /no answer within 1\.5 s/],
  "fake-results": [0, /unexpected reply on the grader's channel|not a reply/],
  monkeypatch: [0, /expected \{ t: 0 \}, got \{"t":5\}/],
  "read-solutions": [0, /refused solutions\/lamport-clock\.ts: ERR_ACCESS_DENIED.*refused test\/grading\/hidden\/index\.ts: ERR_ACCESS_DENIED/],
  "write-results": [0, /refused \/autograder\/results\/results\.json: ERR_ACCESS_DENIED/],
  "spawn-processes": [0, /child_process: ERR_ACCESS_DENIED; worker: ERR_ACCESS_DENIED; addon: ERR_DLOPEN_DISABLED/],
  "honest-but-noisy": [10, /printed \(ignored by the grader\)/],
  "probe-kit-files": [0, /expected \{ t: 0 \}, got \{"t":5\}/],
  "phone-home": [0, /expected \{ t: 0 \}, got \{"t":5\}/],
};

const planted = ["/tmp/hostile-wrote-this.json", "/tmp/hostile-spawned", "/tmp/hostile-worker", path.join(kitRoot, "hostile-wrote-this.json"), path.join(kitRoot, "results", "hostile-wrote-this.json")];

describe("grading: hostile submissions", function () {
  this.timeout(180_000);
  const results = new Map<string, SubmissionResult>();
  const names = fs.readdirSync(path.join(kitRoot, "test", "hostile")).sort();

  // phone-home connects here from the sandbox: count what arrives.
  let phoned = 0;
  const listener = net.createServer((socket) => {
    phoned += 1;
    socket.destroy();
  });
  before(async () => {
    await new Promise<void>((resolve) => listener.listen(47231, "127.0.0.1", resolve));
    for (const file of planted) fs.rmSync(file, { force: true });
    await mapLimit(names, 2, async (name) => {
      results.set(name, await gradeSubmission(path.join(kitRoot, "test", "hostile", name), { exercises, only: ["4.2"], limits, overallTimeMs }));
    });
  });

  it("every hostile submission has an expectation", () => assert.deepEqual(names, Object.keys(expectations).sort()));

  for (const [name, [deserved, says]] of Object.entries(expectations)) {
    it(`${name}: ${deserved} points, within the limits, and the results say what happened`, () => {
      const result = results.get(name)!;
      assert.equal(result.points, deserved, JSON.stringify(result.exercises[0].results.map((r) => [r.test, r.status, r.message])));
      assert.ok(result.durationMs < overallTimeMs, `took ${result.durationMs} ms`);
      const told = [...result.notes, ...result.exercises.flatMap((e) => e.results.map((r) => r.message))].join("\n");
      assert.match(told, says);
    });
  }

  after(() => listener.close());

  it("where the grader runs as root, the sandbox has no network: phone-home's connection never arrived", function () {
    if (!sandboxLaunch().confinement.startsWith("network namespace")) this.skip(); // documented in docs/grading.md
    assert.equal(phoned, 0);
  });

  it("no hostile submission wrote or spawned anything", () => {
    for (const file of planted) assert.ok(!fs.existsSync(file), `${file} exists`);
  });

  it("an infinite loop cannot exceed the submission's overall time limit", async () => {
    const started = Date.now();
    const result = await gradeSubmission(path.join(kitRoot, "test", "hostile", "infinite-loop"), { exercises, limits: { ...limits, callTimeMs: 5000 }, overallTimeMs: 3000 });
    assert.ok(Date.now() - started < 8000, `took ${Date.now() - started} ms`);
    assert.equal(result.points, 0);
    const messages = result.exercises.flatMap((e) => e.results.map((r) => r.message)).join("\n");
    assert.match(messages, /overall time limit/);
  });
});
