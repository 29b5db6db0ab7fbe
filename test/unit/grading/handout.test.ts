/** The student handout builds, leaves out what students must not see, and its `npm test` runs the stubs as "not done yet". */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ANSWERS_STILL_READABLE, buildHandout, readableAnswers, stripNotebook } from "../../../src/grading/handout";
import { kitRoot, loadExercises } from "../../../src/grading/registry";

function allFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) allFiles(full, out);
    else out.push(full);
  }
  return out;
}

describe("grading: the student handout", function () {
  this.timeout(120_000);
  let dir: string;
  let built: ReturnType<typeof buildHandout>;
  before(() => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "handout-")), "kit");
    built = buildHandout(kitRoot, dir);
    fs.symlinkSync(path.join(kitRoot, "node_modules"), path.join(dir, "node_modules"));
  });
  after(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  it("has the exercises and no solutions, hidden tests or instructor material", () => {
    for (const exercise of loadExercises({ hidden: false })) assert.ok(fs.existsSync(path.join(dir, "exercises", `${exercise.module}.ts`)));
    for (const gone of ["solutions", "test/grading/hidden", "test/buggy", "test/hostile", "test/hostile-nodes", "bench", "scripts/handout.ts", "scripts/gradescope", "docs/grading.md", "DESIGN.md"]) {
      assert.ok(!fs.existsSync(path.join(dir, gone)), `${gone} is in the handout`);
    }
    const hidden = loadExercises({ hidden: true }).flatMap((e) => e.tests.filter((t) => (t.visibility ?? "visible") !== "visible").map((t) => t.name));
    const texts = allFiles(dir).map((file) => fs.readFileSync(file, "utf8"));
    for (const name of hidden) assert.ok(!texts.some((text) => text.includes(name)), `hidden test "${name}" leaks into the handout`);
    const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");
    assert.match(readme, /npm test/);
    assert.match(readme, /Node\.js 20 or newer and Python 3\.10 or newer with its `venv` module/);
    // The locked versions, so the handout installs what the kit was tested with.
    assert.equal(fs.readFileSync(path.join(dir, "package-lock.json"), "utf8"), fs.readFileSync(path.join(kitRoot, "package-lock.json"), "utf8"));
  });

  it("library files that are an exercise's answer become re-exports of the student's exercise", () => {
    assert.ok(built.answersRemoved.length > 0, "no answer file was recognised");
    for (const { library, exercise } of built.answersRemoved) {
      const shipped = fs.readFileSync(path.join(dir, library), "utf8");
      const original = fs.readFileSync(path.join(kitRoot, library), "utf8");
      assert.notEqual(shipped, original);
      assert.match(shipped, new RegExp(`export \\* from "[./]*exercises/${path.basename(exercise, ".ts")}";`));
    }
    // The handout still type-checks: the stubs export what the library exported.
    const tsc = spawnSync(process.execPath, [path.join(kitRoot, "node_modules/typescript/bin/tsc"), "-p", dir, "--noEmit"], { encoding: "utf8" });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  });

  it("gives no graded answer away: nothing readable, nothing let through, and a planted copy of 1.1-2.3's answers is found", () => {
    assert.deepEqual(ANSWERS_STILL_READABLE, {});
    assert.deepEqual(built.answersStillReadable, []);
    assert.deepEqual(readableAnswers(kitRoot, dir, built.files), []);
    // The answers of the link and failure-detector exercises live in solutions/ only; the library
    // files that re-export them ship as re-exports of the student's exercise.
    const shims = new Map(built.answersRemoved.map((r) => [r.library, r.exercise]));
    for (const [library, exercise] of [
      ["src/protocols/links/framing.ts", "exercises/framing.ts"],
      ["src/protocols/links/fifo-link.ts", "exercises/fifo-link.ts"],
      ["src/protocols/links/fifo-link-recovery.ts", "exercises/fifo-link-recovery.ts"],
      ["src/protocols/failure-detectors/eventually-perfect.ts", "exercises/failure-detector.ts"],
    ]) assert.equal(shims.get(library), exercise, library);
    // The guard would notice them: each solution's code planted in a library file is reported.
    for (const [module, id] of [["framing", "1.1"], ["fifo-link", "2.1"], ["fifo-link-recovery", "2.2"], ["failure-detector", "2.3"]]) {
      const planted = `src/protocols/links/planted-${module}.ts`;
      fs.writeFileSync(path.join(dir, planted), fs.readFileSync(path.join(kitRoot, "solutions", `${module}.ts`), "utf8").replace(/^import .*$/gm, ""));
      try {
        const found = readableAnswers(kitRoot, dir, [...built.files, planted]);
        assert.ok(found.some((r) => r.exercise === id && r.file === planted), `${module}: ${JSON.stringify(found)}`);
      } finally {
        fs.rmSync(path.join(dir, planted));
      }
    }
  });

  it("its notebooks have no outputs", () => {
    for (const file of allFiles(dir).filter((f) => f.endsWith(".ipynb"))) {
      const notebook = JSON.parse(fs.readFileSync(file, "utf8"));
      for (const cell of notebook.cells) if (cell.cell_type === "code") assert.deepEqual([cell.outputs, cell.execution_count], [[], null], file);
    }
    const stripped = JSON.parse(stripNotebook(JSON.stringify({ cells: [{ cell_type: "code", outputs: [{ text: "x" }], execution_count: 3, metadata: {} }] })));
    assert.deepEqual(stripped.cells[0].outputs, []);
  });

  it("`npm test` in the handout reports every stub as not done yet: 0 points, exit 0", () => {
    const run = spawnSync("npm", ["test"], { cwd: dir, encoding: "utf8", env: { ...process.env, GRADE_TARGET: "" } });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /Visible graded tests on exercises\/: 0 \/ \d+ points \(\d+ not done yet\)/);
    assert.match(run.stdout, /0 passing/);
    assert.match(run.stdout, /\d+ pending/);
  });
});

describe("grading: the handout refuses to give a graded answer away", () => {
  // A small kit: one exercise (9.9, module "secret") with its stub, its solution and its spec.
  const solution = `/** Reference solution. */
export function mix(xs: number[]): number {
  let acc = 17;
  for (const x of xs) acc = (acc * 31 + x) % 1000003;
  return acc;
}
`;
  function smallKit(extra: Record<string, string>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "handout-kit-"));
    const files: Record<string, string> = {
      "exercises/secret.ts": `export function mix(xs: number[]): number {\n  throw new Error("Exercise 9.9 not implemented yet: mix");\n}\n`,
      "solutions/secret.ts": solution,
      "src/grading/specs/secret.ts": `export const secret = defineExercise({ id: "9.9", title: "Secret", slide: "s", module: "secret", drivers, tests: [] });\n`,
      "src/lib/helpers.ts": `export function twice(x: number): number {\n  return 2 * x;\n}\n`,
      ...extra,
    };
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }
    return root;
  }
  const build = (kit: string) => () => buildHandout(kit, path.join(kit, "out"));
  const roots: string[] = [];
  after(() => { for (const root of roots) fs.rmSync(root, { recursive: true, force: true }); });

  it("builds when no answer is readable", () => {
    const kit = smallKit({});
    roots.push(kit);
    const built = build(kit)();
    assert.ok(built.files.includes("src/lib/helpers.ts"));
    assert.deepEqual(readableAnswers(kit, built.dir, built.files), []);
  });

  it("fails naming the file and the exercise when a library file holds a solution's function body (layout and comments changed)", () => {
    const planted = `/** Looks innocent. */\nexport function hashAll(values: number[]): number {\n  let acc = 17; // start\n  for (const x of values) acc = (acc * 31 + x) % 1000003;\n  return acc;\n}\n`;
    // The same statements with renamed parameters are a different body: only the exact tokens count.
    const kit = smallKit({ "src/lib/planted.ts": planted.replace(/values/g, "xs") });
    roots.push(kit);
    assert.throws(build(kit), /Exercise 9\.9 \(solutions\/secret\.ts\) is readable in src\/lib\/planted\.ts: it contains a function body of the solution/);
    assert.ok(!fs.existsSync(path.join(kit, "out")), "the refused handout is removed");
  });

  it("finds a body holding template literals wherever it sits in a file; a body that only checks its arguments is no answer", () => {
    const templated = `export function describe(xs: number[]): string {\n  if (xs.length === 0) return \`none\`;\n  return \`\${xs.length} items: \${xs.map((x) => \`<\${x}>\`).join(", ")}\`;\n}\n`;
    const guard = `function requireCount(name: string, value: number): void {\n  if (!Number.isSafeInteger(value) || value < 0) {\n    throw new RangeError(\`\${name} must be a count, got \${String(value)}\`);\n  }\n}\n`;
    const solutionWith = solution + guard + templated;
    // Planted after other code with templates (which once threw the tokens out of step).
    const copy = smallKit({ "solutions/secret.ts": solutionWith, "src/lib/planted.ts": `export const a = \`x\${1}y\`;\nconst b = \`\${a}\`;\n` + templated });
    roots.push(copy);
    assert.throws(build(copy), /Exercise 9\.9 \(solutions\/secret\.ts\) is readable in src\/lib\/planted\.ts: it contains a function body of the solution: \{ if \( xs \. length/);
    const validator = smallKit({ "solutions/secret.ts": solutionWith, "src/lib/checks.ts": guard });
    roots.push(validator);
    assert.doesNotThrow(build(validator));
  });

  it("fails when a notebook's code cell holds the answer", () => {
    const cell = { cell_type: "code", source: ["function mix(xs: number[]) {\n", "  let acc = 17;\n", "  for (const x of xs) acc = (acc * 31 + x) % 1000003;\n", "  return acc;\n", "}\n"], outputs: [], metadata: {} };
    const kit = smallKit({ "notebooks/09-secret.ipynb": JSON.stringify({ cells: [cell], metadata: {}, nbformat: 4, nbformat_minor: 5 }) });
    roots.push(kit);
    assert.throws(build(kit), /Exercise 9\.9 \(solutions\/secret\.ts\) is readable in notebooks\/09-secret\.ipynb/);
  });

  it("fails when the solution takes its code from a library file that ships, or a handout file imports solutions/", () => {
    const wrapper = smallKit({ "solutions/secret.ts": `import { twice } from "../src/lib/helpers";\nexport function mix(xs: number[]): number {\n  return twice(xs.length);\n}\n` });
    roots.push(wrapper);
    assert.throws(build(wrapper), /Exercise 9\.9 \(solutions\/secret\.ts\) is readable in src\/lib\/helpers\.ts: the solution takes its code from this library file/);
    // A helper the contract hands over (the stub names it and does not define it) gives nothing away.
    const handedOver = smallKit({
      "solutions/secret.ts": `import { twice } from "../src/lib/helpers";\nexport function mix(xs: number[]): number {\n  return twice(xs.length);\n}\n`,
      "exercises/secret.ts": `/** twice() in src/lib/helpers.ts may help. */\nexport function mix(xs: number[]): number {\n  throw new Error("Exercise 9.9 not implemented yet: mix");\n}\n`,
    });
    roots.push(handedOver);
    assert.doesNotThrow(build(handedOver));
    const importer = smallKit({ "src/lib/uses.ts": `export { mix } from "../../solutions/secret";\n` });
    roots.push(importer);
    assert.throws(build(importer), /readable in src\/lib\/uses\.ts: it imports a reference solution/);
  });
});
