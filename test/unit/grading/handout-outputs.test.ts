/**
 * The handout's notebooks ship with the outputs of the reference's run (src/grading/handout.ts,
 * "notebooks with the reference's outputs"): figures, tables and printed text, never code, and the
 * same bytes on every build.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";
import { answersInOutputs, buildHandout, executeNotebooks, functionBodies, withReferenceOutputs } from "../../../src/grading/handout";

const kitRoot = path.resolve(__dirname, "..", "..", "..");

const cell = (source: string, outputs: unknown[] = []) => ({ cell_type: "code", source: source.split(/(?<=\n)/), outputs, execution_count: null, metadata: {} });
const notebook = (cells: unknown[]) => JSON.stringify({ cells, metadata: { kernelspec: { name: "ds-kit" } }, nbformat: 4, nbformat_minor: 5 });
const figure = { output_type: "display_data", data: { "text/html": "<div>figure</div>", "application/vnd.plotly.v1+json": { data: [{ x: [1, 2] }] } }, metadata: {} };

describe("grading: the handout's notebooks carry the reference's outputs", () => {
  it("keeps figures, tables and stdout; drops stderr, errors and other data; leaves a stub's check cell empty", () => {
    const source = notebook([
      { cell_type: "markdown", source: ["# Title"], metadata: {} },
      cell("showFigure(diagram);"),
      cell('console.log("hello");'),
      cell('await checkExercise("4.4", mine);'),
      cell("x;"),
    ]);
    const executed = JSON.parse(source);
    executed.cells[1].outputs = [figure, { output_type: "stream", name: "stderr", text: "warning: at /home/me/kit/solutions/fifo-broadcast.ts:3" }];
    executed.cells[1].execution_count = 1;
    executed.cells[2].outputs = [{ output_type: "stream", name: "stdout", text: "hello\n" }, { output_type: "display_data", data: { "application/javascript": "alert(1)" }, metadata: {} }];
    executed.cells[2].execution_count = 2;
    executed.cells[3].outputs = [{ output_type: "display_data", data: { "text/html": "<td>Exercise 4.4 not implemented yet</td>" }, metadata: {} }];
    executed.cells[3].execution_count = 3;
    executed.cells[4].outputs = [{ output_type: "execute_result", data: { "text/plain": "42" }, metadata: {}, execution_count: 4 }];
    executed.cells[4].execution_count = 4;
    const merged = withReferenceOutputs("notebooks/x.ipynb", source, JSON.stringify(executed));
    assert.deepEqual(merged.counts, { outputs: 3, dropped: 2, blanked: 1 });
    const cells = JSON.parse(merged.text).cells;
    assert.deepEqual(cells[0], { cell_type: "markdown", source: ["# Title"], metadata: {} });
    assert.deepEqual(cells[1].outputs, [figure]);
    assert.equal(cells[1].execution_count, 1);
    assert.deepEqual(cells[2].outputs, [{ output_type: "stream", name: "stdout", text: "hello\n" }]);
    assert.deepEqual([cells[3].outputs, cells[3].execution_count], [[], null]);
    assert.deepEqual(cells[4].outputs, [{ output_type: "execute_result", data: { "text/plain": "42" }, metadata: {}, execution_count: 4 }]);
    // The code shipped is the notebook's, not the executed copy's.
    executed.cells[2].source = ['console.log("changed");'];
    assert.throws(() => withReferenceOutputs("notebooks/x.ipynb", source, JSON.stringify(executed)), /notebooks\/x\.ipynb: cell 3 is not the cell that was executed/);
  });

  it("finds a solution's code in an output, as written or as compiled, and paths into the kit", () => {
    const code = fs.readFileSync(path.join(kitRoot, "solutions", "fifo-broadcast.ts"), "utf8");
    const [body] = functionBodies(code);
    assert.ok(body !== undefined, "the solution has a function body to plant");
    const compiled = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2019 } }).outputText;
    const printed = (text: string) => notebook([cell("f;", [{ output_type: "stream", name: "stdout", text }])]);
    assert.deepEqual(answersInOutputs(kitRoot, "n.ipynb", notebook([cell("showFigure(d);", [figure])])), []);
    assert.match(answersInOutputs(kitRoot, "n.ipynb", printed(`function f() ${body}`))[0]?.reason ?? "", /an output shows a function body of the solution/);
    assert.ok(answersInOutputs(kitRoot, "n.ipynb", printed(compiled)).some((r) => r.exercise === "4.4"), "the compiled solution, as printing its functions shows it");
    assert.match(answersInOutputs(kitRoot, "n.ipynb", printed("at solutions/fifo-broadcast.ts:12"))[0]?.reason ?? "", /names a file of solutions/);
    assert.match(answersInOutputs(kitRoot, "n.ipynb", printed(`${kitRoot}/src/sim/simulation.ts`))[0]?.reason ?? "", /path in the kit/);
  });

  it("a build whose outputs show answer code is refused and removed", () => {
    const kit = fs.mkdtempSync(path.join(os.tmpdir(), "handout-outputs-kit-"));
    try {
      const files: Record<string, string> = {
        "exercises/secret.ts": `export function mix(xs: number[]): number {\n  throw new Error("Exercise 9.9 not implemented yet: mix");\n}\n`,
        "solutions/secret.ts": `export function mix(xs: number[]): number {\n  let acc = 17;\n  for (const x of xs) acc = (acc * 31 + x) % 1000003;\n  return acc;\n}\n`,
        "src/grading/specs/secret.ts": `export const secret = defineExercise({ id: "9.9", title: "Secret", slide: "s", module: "secret", drivers, tests: [] });\n`,
        "notebooks/09-secret.ipynb": notebook([cell("show(mix);")]),
      };
      for (const [file, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(kit, file)), { recursive: true });
        fs.writeFileSync(path.join(kit, file), text);
      }
      const executed = (text: string) => new Map([["notebooks/09-secret.ipynb", notebook([cell("show(mix);", [{ output_type: "stream", name: "stdout", text }])])]]);
      const fine = buildHandout(kit, path.join(kit, "ok"), { notebookOutputs: executed("mix([1, 2]) = 16369\n") });
      assert.deepEqual(fine.notebookOutputs, [{ file: "notebooks/09-secret.ipynb", outputs: 1, dropped: 0, blanked: 0 }]);
      assert.match(fs.readFileSync(path.join(kit, "ok", "notebooks", "09-secret.ipynb"), "utf8"), /16369/);
      const listing = "function mix(xs) {\n    let acc = 17;\n    for (const x of xs)\n        acc = (acc * 31 + x) % 1000003;\n    return acc;\n}\n";
      assert.throws(() => buildHandout(kit, path.join(kit, "leaky"), { notebookOutputs: executed(listing) }), /Exercise 9\.9 \(solutions\/secret\.ts\) is readable in notebooks\/09-secret\.ipynb: an output shows a function body/);
      assert.ok(!fs.existsSync(path.join(kit, "leaky")), "the refused handout is removed");
    } finally {
      fs.rmSync(kit, { recursive: true, force: true });
    }
  });

  it("the kit's first notebook, executed with the reference twice, ships the same bytes with its figures", function () {
    if (!fs.existsSync(path.join(kitRoot, ".venv", "bin", "jupyter"))) this.skip(); // no Jupyter here: `npm install` makes it
    this.timeout(600_000);
    const notebook00 = "notebooks/00-getting-started.ipynb";
    const source = fs.readFileSync(path.join(kitRoot, notebook00), "utf8");
    const runs = [executeNotebooks(kitRoot, [notebook00]).outputs, executeNotebooks(kitRoot, [notebook00]).outputs];
    const merged = runs.map((outputs) => withReferenceOutputs(notebook00, source, outputs.get(notebook00) as string).text);
    assert.ok(merged[0] === merged[1], "two runs ship the same notebook, byte for byte");
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "handout-outputs-")), "kit");
    try {
      const built = buildHandout(kitRoot, out, { notebookOutputs: runs[0] });
      assert.equal(built.notebookOutputs.length, 1);
      assert.ok(built.notebookOutputs[0]!.outputs > 0, "the notebook ships outputs");
      const shipped = fs.readFileSync(path.join(out, notebook00), "utf8");
      assert.equal(shipped, merged[0]);
      assert.match(shipped, /ds-kit-figure/);
      // The notebooks not executed ship empty.
      const other = JSON.parse(fs.readFileSync(path.join(out, "notebooks", "03-time.ipynb"), "utf8"));
      assert.ok(other.cells.every((c: { cell_type: string; outputs?: unknown[] }) => c.cell_type !== "code" || c.outputs?.length === 0));
    } finally {
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
  });
});
