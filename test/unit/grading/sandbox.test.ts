/**
 * End to end through the sandbox: what `npm run grade` does. Solutions score everything, stubs
 * nothing, bugs lose points; archives work; a submission cannot smuggle in a link to the solutions;
 * a folder of submissions gives a gradebook; the reports have the fields Gradescope and JUnit need.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gradeSubmission } from "../../../src/grading/grade";
import { defaultLimits } from "../../../src/grading/sandbox/executor";
import { kitRoot, loadExercises } from "../../../src/grading/registry";
import { cliReplay, feedbackMarkdown, gradebookCsv, writeReports } from "../../../src/grading/reports";
import { buggyVariants, materialiseVariant } from "../../buggy/variants";

const exercises = loadExercises({ hidden: true });
const hiddenNames = exercises.flatMap((e) => e.tests.filter((t) => t.visibility === "hidden").map((t) => t.name));

describe("grading: the sandboxed grader, end to end", function () {
  // Grading every exercise's solutions and stubs in the sandbox takes 20-40 s on 2 cores.
  this.timeout(300_000);
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "grade-e2e-"));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("the reference solutions score 100%, the stubs 0 (not done yet), without crashing", async () => {
    // Generous per-call limits: this test is about scores, not limits (test/unit/grading/hostile.test.ts
    // tests those), and a busy 2-core CI machine can be slow to answer.
    const limits = { ...defaultLimits, callTimeMs: 20_000 };
    const solved = await gradeSubmission(path.join(kitRoot, "solutions"), { exercises, limits });
    assert.equal(solved.points, solved.maxPoints, JSON.stringify(solved.exercises.flatMap((e) => e.results.filter((r) => r.status !== "passed"))));
    const stubs = await gradeSubmission(path.join(kitRoot, "exercises"), { exercises, limits });
    assert.equal(stubs.points, 0);
    const notStub = stubs.exercises.flatMap((e) => e.results.filter((r) => r.status !== "not-implemented").map((r) => `${e.exercise.id}/${r.test}: ${r.status} ${r.message.slice(0, 200)}`));
    assert.deepEqual(notStub, [], "every stub test reports not implemented yet");
  });

  it("a buggy variant of every exercise loses points in the sandbox too", async () => {
    // Each variant is a patch against its solution (test/buggy/<id>/<variant>.patch), written out as a
    // submission. Every variant loses points in process (test/unit/grading/specs.test.ts);
    // here the first of each exercise goes through the sandbox, so every exercise's sandboxed path
    // (function sandbox or isolated nodes) is shown to fail a bug, in minutes rather than a quarter hour.
    const firstOfEach = new Map<string, ReturnType<typeof buggyVariants>[number]>();
    for (const variant of buggyVariants()) if (!firstOfEach.has(variant.exerciseId)) firstOfEach.set(variant.exerciseId, variant);
    assert.ok(firstOfEach.size >= 20, `variants for ${firstOfEach.size} exercises only`);
    for (const variant of firstOfEach.values()) {
      const submission = materialiseVariant(variant.exerciseId, variant.name, path.join(tmp, "buggy", variant.exerciseId, variant.name));
      const result = await gradeSubmission(submission.dir, { exercises, only: [variant.exerciseId] });
      const exercise = result.exercises.find((e) => e.exercise.id === variant.exerciseId)!;
      assert.ok(exercise.points < exercise.maxPoints, `${variant.label} (${variant.description}): ${exercise.points}/${exercise.maxPoints}`);
    }
  });

  it("grades .zip and .tar.gz submissions like folders", async () => {
    const staging = path.join(tmp, "staging");
    fs.mkdirSync(path.join(staging, "exercises"), { recursive: true });
    for (const file of fs.readdirSync(path.join(kitRoot, "solutions"))) fs.copyFileSync(path.join(kitRoot, "solutions", file), path.join(staging, "exercises", file));
    const AdmZip = require("adm-zip");
    const zip = new AdmZip();
    zip.addLocalFolder(path.join(staging, "exercises"), "exercises");
    zip.writeZip(path.join(tmp, "alice.zip"));
    const tar = require("tar");
    await tar.c({ gzip: true, file: path.join(tmp, "bob.tar.gz"), cwd: staging }, ["exercises"]);
    // Generous limits, as above: this test is about archives, and a busy CI machine is slow.
    const limits = { ...defaultLimits, callTimeMs: 20_000 };
    for (const archive of ["alice.zip", "bob.tar.gz"]) {
      const result = await gradeSubmission(path.join(tmp, archive), { exercises, limits, testTimeLimitMs: 120_000, overallTimeMs: 600_000 });
      const lost = result.exercises.flatMap((e) => e.results.filter((r) => r.status !== "passed").map((r) => `${e.exercise.id}/${r.test}: ${r.status} ${r.message.slice(0, 200)}`));
      assert.equal(result.points, result.maxPoints, `${archive}: ${JSON.stringify(lost)} ${result.notes.join("; ")}`);
    }
  });

  it("a submission can use the simulator (src/sim and its node_modules) inside the sandbox", async () => {
    const dir = path.join(tmp, "uses-sim");
    fs.mkdirSync(path.join(dir, "exercises"), { recursive: true });
    const solution = fs.readFileSync(path.join(kitRoot, "solutions", "lamport-clock.ts"), "utf8");
    // The clock starts at what a tiny simulated run returns (0 deliveries): the import must really load.
    const patched = solution.replace("return { t: 0 };", "return { t: new Simulation({ seed: 's', nodes: ['A'], protocol: pingPong() }).run({ untilMs: 1 }).trace.deliveries().length };");
    fs.writeFileSync(path.join(dir, "exercises", "lamport-clock.ts"), `import { Simulation } from "../src/sim";\nimport { pingPong } from "../src/protocols/ping-pong";\n${patched}`);
    const result = await gradeSubmission(dir, { exercises, only: ["4.2"] });
    assert.equal(result.points, result.maxPoints, JSON.stringify(result.exercises[0].results.map((r) => r.message)));
  });

  it("a symbolic link to the solutions inside a submission is not followed", async () => {
    const sneaky = path.join(tmp, "sneaky");
    fs.mkdirSync(path.join(sneaky, "exercises"), { recursive: true });
    fs.symlinkSync(path.join(kitRoot, "solutions", "lamport-clock.ts"), path.join(sneaky, "exercises", "lamport-clock.ts"));
    const result = await gradeSubmission(sneaky, { exercises, only: ["4.2"] });
    assert.equal(result.points, 0);
    assert.match(result.exercises[0].results[0].message, /missing from the submission/);
  });

  it("writes Gradescope results.json, JUnit XML, feedback that respects visibility, and diagrams", async () => {
    const buggy = materialiseVariant("4.2", "receive-no-increment", path.join(tmp, "receive-no-increment"));
    const result = await gradeSubmission(buggy.dir, { exercises });
    const out = path.join(tmp, "report");
    writeReports(result, out, cliReplay("buggy"), kitRoot);
    const json = JSON.parse(fs.readFileSync(path.join(out, "results.json"), "utf8"));
    assert.equal(typeof json.score, "number");
    assert.equal(typeof json.execution_time, "number");
    assert.equal(typeof json.output, "string");
    assert.equal(json.tests.length, exercises.reduce((n, e) => n + e.tests.length, 0));
    for (const test of json.tests) {
      for (const field of ["name", "score", "max_score", "output", "visibility"]) assert.ok(field in test, field);
      assert.ok(["visible", "hidden", "after_due_date", "after_published"].includes(test.visibility));
    }
    const failing = json.tests.find((t: { score: number; output: string }) => t.score === 0 && /seed=/.test(t.output));
    assert.ok(failing, "a failing randomised test prints its seed");
    assert.match(failing.output, /seed=\d+ path=\S+ -> npm run grade -- 'buggy' --test '4\.2\/.*' --seed \d+ --path '/);
    const junit = fs.readFileSync(path.join(out, "junit.xml"), "utf8");
    assert.equal((junit.match(/<testcase /g) ?? []).length, json.tests.length);
    assert.match(junit, /<failure message=/);
    const feedback = fs.readFileSync(path.join(out, "feedback.md"), "utf8");
    for (const name of hiddenNames) assert.ok(!feedback.includes(name), `hidden test "${name}" appears in the student feedback`);
    assert.match(feedback, /details after the due date/);
    assert.ok(fs.readFileSync(path.join(out, "report.md"), "utf8").includes(hiddenNames[0]), "the instructor report lists hidden tests");
    const diagrams = fs.readdirSync(path.join(out, "diagrams"));
    assert.ok(diagrams.length > 0);
    const page = fs.readFileSync(path.join(out, "diagrams", diagrams[0]), "utf8");
    assert.match(page, /plotly\.min\.js/);
    assert.match(page, /Plotly|<pre/);
    assert.ok(fs.existsSync(path.join(out, "feedback.html")));
    assert.match(feedbackMarkdown(result, cliReplay("x"), new Map(), "student"), /hidden until grades are published/);
    const ids = result.exercises.map((e) => e.exercise.id);
    const csv = gradebookCsv([result]).split("\n");
    assert.equal(csv[0], `submission,score,max_score,${ids.map((id) => `exercise ${id}`).join(",")},seconds,notes`);
    const row = csv[1].split(",");
    assert.deepEqual(row.slice(0, 3), ["receive-no-increment", String(result.points), String(result.maxPoints)]);
    assert.equal(row[3 + ids.indexOf("4.2")], "1", "the buggy Lamport clock's points are in its exercise's column");
  });

  it("`npm run grade` on a folder of submissions grades them in parallel and writes a gradebook", () => {
    const batch = path.join(tmp, "batch");
    fs.mkdirSync(batch);
    materialiseVariant("4.3", "aliased-timestamps", path.join(batch, "carol"));
    fs.cpSync(path.join(kitRoot, "solutions"), path.join(batch, "dave", "exercises"), { recursive: true });
    const out = path.join(tmp, "batch-out");
    const run = spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(kitRoot, "scripts", "grade.ts"), batch, "--out", out], { encoding: "utf8", cwd: kitRoot });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /\[#+\] 2\/2/);
    const csv = fs.readFileSync(path.join(out, "gradebook.csv"), "utf8").trim().split("\n");
    assert.equal(csv.length, 3);
    const [, carol, dave] = csv.map((line) => line.split(","));
    assert.equal(carol[0], "carol");
    assert.ok(Number(carol[1]) < Number(carol[2]), `carol (a buggy vector clock) loses points: ${carol.join(",")}`);
    assert.equal(dave[0], "dave");
    assert.equal(dave[1], dave[2], `dave (the solutions) gets every point: ${dave.join(",")}`);
    assert.ok(fs.existsSync(path.join(out, "dave", "results.json")));
  });

  it("in a batch, a submission whose grader dies gets 0 and a note, and the batch goes on", () => {
    const batch = path.join(tmp, "batch-killed");
    fs.mkdirSync(batch);
    fs.cpSync(path.join(kitRoot, "solutions"), path.join(batch, "erin", "exercises"), { recursive: true });
    fs.cpSync(path.join(kitRoot, "solutions"), path.join(batch, "frank", "exercises"), { recursive: true });
    const out = path.join(tmp, "batch-killed-out");
    // A wall clock of 1 ms: every submission's grading process is killed before it can finish.
    const run = spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(kitRoot, "scripts", "grade.ts"), batch, "--out", out, "--test", "4.2", "--time-limit", "0"], {
      encoding: "utf8", cwd: kitRoot, env: { ...process.env, DS_KIT_GRADE_MARGIN_MS: "1" },
    });
    assert.equal(run.status, 0, run.stderr);
    const csv = fs.readFileSync(path.join(out, "gradebook.csv"), "utf8").trim().split("\n");
    assert.equal(csv.length, 3, "one row per submission");
    for (const line of csv.slice(1)) assert.match(line, /^(erin|frank),0,10,.*grading this submission failed: its grader took longer than 0\.001 s/);
  });
});
