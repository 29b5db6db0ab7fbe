/**
 * Builds the student copy of the kit: no reference solutions, no hidden tests, no instructor
 * material (buggy and hostile submissions, benchmarks, CI), notebooks with the outputs of the
 * reference's run (or none: see HandoutOptions), a README for students, and a package.json whose
 * `npm test` runs the visible graded specs on exercises/.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";

/** Paths (prefixes, relative to the kit) never copied into the handout. */
export const handoutExcludes: readonly string[] = [
  "solutions/",
  "test/",
  "bench/",
  ".ci/",
  "results/",
  "site/",
  "build/",
  "scripts/handout.ts",
  "scripts/gradescope/",
  // Serving and releasing a class: the lecturer's (binder/, the autograder zip, the release checks).
  "binder/",
  "scripts/autograder-zip.ts",
  "scripts/release/",
  "test/release/",
  "src/grading/handout.ts",
  "README.md",
  // Lecturer material: how the grader works and how the kit is built.
  "docs/grading.md",
  "DESIGN.md",
];
/** Files under excluded folders that students do get. */
export const handoutIncludes: readonly string[] = ["test/grading/exercises.spec.ts"];

/** Files the kit would commit (tracked or not ignored), or every file outside node_modules and .git. */
function kitFiles(kitRoot: string): string[] {
  const git = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: kitRoot, encoding: "utf8" });
  if (git.status === 0) return git.stdout.split("\0").filter((file) => file !== "" && fs.existsSync(path.join(kitRoot, file)));
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(kitRoot, dir), { withFileTypes: true })) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const rel = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.isFile()) out.push(rel);
    }
  };
  walk("");
  return out;
}

export function inHandout(file: string): boolean {
  if (handoutIncludes.includes(file)) return true;
  return !handoutExcludes.some((prefix) => file === prefix || file.startsWith(prefix));
}

/** A notebook without outputs or prompt numbers. */
export function stripNotebook(text: string): string {
  const notebook = JSON.parse(text) as { cells?: { cell_type: string; outputs?: unknown[]; execution_count?: unknown; metadata?: Record<string, unknown> }[] };
  for (const cell of notebook.cells ?? []) {
    if (cell.cell_type === "code") {
      cell.outputs = [];
      cell.execution_count = null;
    }
    if (cell.metadata !== undefined) delete cell.metadata.execution;
  }
  return `${JSON.stringify(notebook, null, 1)}\n`;
}

const studentReadme = `# Distributed Systems: notebooks and exercises

You need Node.js 20 or newer and Python 3.10 or newer with its \`venv\` module (on Debian or
Ubuntu: \`sudo apt-get install python3 python3-venv\`). Nothing is installed globally: \`npm install\`
makes a project-local Python environment (\`.venv/\`) with JupyterLab, and installs the exact
package versions of \`package-lock.json\`.

The course's notebooks (\`notebooks/\`) run the algorithms of the lectures in a deterministic
simulator. Each exercise is a file in \`exercises/\`: its doc comment says what to implement, which
slide it comes from, and what the tests observe. Until you implement it, it throws
"Exercise N.M not implemented yet".

    npm install        # once
    npm start          # opens the notebooks
    npm test           # runs the visible graded tests on your exercises/ (not done yet = pending)
    npm run grade -- . # grades your exercises/ in the sandbox the course's grader uses

In a notebook, an exercise's check cell runs the same tests and shows a table and the first
failure's space-time diagram:

    import * as mine from "./exercises/lamport-clock";
    import { checkExercise } from "./src/grading/notebook";
    await checkExercise("4.2", mine);

A failing randomised test prints its seed and a one-line replay command; run it to see exactly that
case again while you debug. The course's grader also runs tests you do not see; your feedback shows
them after the due date (or only when grades are published).

The notebooks come with the figures, tables and printed results of the course's own run of them,
so you can read every lecture's demonstrations before writing any code. Some demonstrations run
*your* code when you execute them again: where the kit's library would contain an exercise's
answer, your copy's library re-exports your file in \`exercises/\` instead (the file says so).
Until you implement that exercise, re-executing those cells replaces the figure by "Exercise N.M
not implemented yet"; once you have, they show your protocol at work.

Submit the \`exercises/\` folder (as a folder, .zip or .tar.gz).
`;

export interface HandoutResult {
  readonly dir: string;
  readonly files: readonly string[];
  /** Library files replaced by a re-export of the student's exercise (their answer is not shipped). */
  readonly answersRemoved: readonly { readonly library: string; readonly exercise: string }[];
  /** Exercises whose reference code is still readable in the handout's src/ (the instructor is told). */
  readonly answersShipped: readonly { readonly exercise: string; readonly libraryFiles: readonly string[] }[];
  /** Readable answers the build let through because ANSWERS_STILL_READABLE lists their exercise. */
  readonly answersStillReadable: readonly ReadableAnswer[];
  /** Notebooks shipped with the reference's outputs (empty when built without them). */
  readonly notebookOutputs: readonly NotebookOutputs[];
}

/**
 * The notebooks demonstrate the course's algorithms with the library in src/, and many reference
 * solutions are that library code. A solution that is exactly `export { ...every export... } from
 * "../src/<file>"` marks <file> as the exercise's answer: the handout ships, in its place, a module
 * that re-exports the student's exercise, so the notebooks' demonstrations run on the student's own
 * code once it is written (and say "not implemented yet" before). Other solutions that use src/
 * leave their answer readable; buildHandout lists them so the instructor knows.
 */
export function answerFiles(kitRoot: string): { removable: Map<string, string>; shipped: { exercise: string; libraryFiles: string[] }[] } {
  const removable = new Map<string, string>();
  const shipped: { exercise: string; libraryFiles: string[] }[] = [];
  const solutionsDir = path.join(kitRoot, "solutions");
  if (!fs.existsSync(solutionsDir)) return { removable, shipped };
  // A library file that is only `export * from ".../solutions/<name>"`: the answer lives in
  // solutions/ and the library re-exports it; in the handout, it re-exports the student's exercise.
  for (const file of kitFiles(kitRoot).filter((f) => f.startsWith("src/") && f.endsWith(".ts"))) {
    const code = withoutComments(fs.readFileSync(path.join(kitRoot, file), "utf8")).trim();
    const match = /^export \* from "((?:\.\.\/)+)solutions\/([a-z0-9-]+)";$/.exec(code);
    if (match !== null && fs.existsSync(path.join(solutionsDir, `${match[2]}.ts`))) removable.set(file, `exercises/${match[2]}.ts`);
  }
  for (const name of fs.readdirSync(solutionsDir).filter((f) => f.endsWith(".ts")).sort()) {
    const exercise = `exercises/${name}`;
    if ([...removable.values()].includes(exercise)) continue; // its answer is in solutions/ only
    const code = withoutComments(fs.readFileSync(path.join(solutionsDir, name), "utf8"));
    // Only code counts: a type imported or re-exported from the library gives nothing away, and
    // neither do the helpers the exercise's contract hands to the student (named in the stub, which
    // does not define them itself, e.g. validatePayment for 1.2).
    const stubPath = path.join(kitRoot, exercise);
    const stub = fs.existsSync(stubPath) ? fs.readFileSync(stubPath, "utf8") : "";
    const stubDefines = new Set(Array.from(withoutComments(stub).matchAll(/^export\s+(?:declare\s+)?(?:type|interface|function|const|class|let|enum)\s+([A-Za-z0-9_$]+)/gm), (m) => m[1]));
    const handedOver = (name: string) => !stubDefines.has(name) && new RegExp(`\\b${name.replace(/\$/g, "\\$")}\\b`).test(stub);
    const libraryFiles = Array.from(code.matchAll(/\b(import|export)\s+(type\s+)?([^;]*?)from\s+"\.\.\/(src\/[^"]+)"/g))
      .filter((m) => m[2] === undefined)
      .filter((m) => {
        const names = /\{([^}]*)\}/.exec(m[3]);
        if (names === null) return true; // import * as x, a default import, export *: all of it
        const values = names[1].split(",").map((n) => n.trim()).filter((n) => n !== "" && !n.startsWith("type "))
          .map((n) => n.split(/\s+as\s+/)[0].trim());
        return values.some((n) => !handedOver(n));
      })
      .map((m) => `${m[4]}.ts`)
      .filter((file) => !file.startsWith("src/sim/") && fs.existsSync(path.join(kitRoot, file)));
    if (libraryFiles.length === 0) continue;
    const whole = /^export\s*\{([^}]*)\}\s*from\s*"\.\.\/(src\/[^"]+)";?$/.exec(code.trim());
    if (whole !== null) {
      const library = `${whole[2]}.ts`;
      const reexported = new Set(whole[1].split(",").map((n) => n.replace(/^\s*type\s+/, "").trim()).filter((n) => n !== ""));
      const exported = Array.from(withoutComments(fs.readFileSync(path.join(kitRoot, library), "utf8"))
        .matchAll(/^export\s+(?:declare\s+)?(?:type|interface|function|const|class|let|enum)\s+([A-Za-z0-9_$]+)/gm), (m) => m[1]);
      if (exported.length > 0 && exported.every((n) => reexported.has(n)) && !/^export\s*(\*|\{)/m.test(withoutComments(fs.readFileSync(path.join(kitRoot, library), "utf8")))) {
        removable.set(library, exercise);
        continue;
      }
    }
    shipped.push({ exercise, libraryFiles: Array.from(new Set(libraryFiles)) });
  }
  return { removable, shipped };
}

function withoutComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

function answerShim(library: string, exercise: string): string {
  const relative = path.posix.relative(path.posix.dirname(library), exercise.replace(/\.ts$/, ""));
  return `/**
 * In the course's kit this file holds the reference implementation. In your copy it is your answer:
 * ${exercise}. The notebooks' demonstrations use it, so they work once you have implemented it.
 */
export * from "${relative.startsWith(".") ? relative : `./${relative}`}";
`;
}


/** An exercise's graded answer found readable in the handout. */
export interface ReadableAnswer {
  /** The exercise's id (e.g. "4.2"). */
  readonly exercise: string;
  /** Its reference solution, solutions/<module>.ts. */
  readonly solution: string;
  /** The handout file where the answer can be read. */
  readonly file: string;
  readonly reason: string;
}

/** Exercise ids by module, read from the exercise definitions (src/grading/specs/*.ts) as text. */
export function gradedModules(kitRoot: string): Map<string, string> {
  const out = new Map<string, string>();
  const specs = path.join(kitRoot, "src", "grading", "specs");
  if (!fs.existsSync(specs)) return out;
  for (const name of fs.readdirSync(specs).filter((f) => f.endsWith(".ts"))) {
    const code = fs.readFileSync(path.join(specs, name), "utf8");
    for (const m of code.matchAll(/defineExercise\(\{[^]*?\bid:\s*"([^"]+)"[^]*?\bmodule:\s*"([^"]+)"/g)) out.set(m[2], m[1]);
  }
  return out;
}

/**
 * The code's tokens, one space apart (comments, layout and string quoting style gone). Template
 * literals are followed through their `${...}` parts (the `}` that closes one is rescanned as the
 * template's continuation), so a body holding a template tokenizes the same alone and inside its file.
 */
function tokens(code: string): string {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, code);
  const out: string[] = [];
  const braces: number[] = []; // per open template expression: braces opened inside it
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.TemplateHead) braces.push(0);
    else if (kind === ts.SyntaxKind.OpenBraceToken && braces.length > 0) braces[braces.length - 1] += 1;
    else if (kind === ts.SyntaxKind.CloseBraceToken && braces.length > 0) {
      if (braces[braces.length - 1] > 0) braces[braces.length - 1] -= 1;
      else {
        kind = scanner.reScanTemplateToken(false);
        if (kind === ts.SyntaxKind.TemplateTail) braces.pop();
      }
    }
    out.push(kind === ts.SyntaxKind.StringLiteral ? JSON.stringify(scanner.getTokenValue()) : scanner.getTokenText());
  }
  return ` ${out.join(" ")} `;
}

/** Bodies shorter than this many tokens (a one-line getter, "return x;") prove nothing when found elsewhere. */
const minBodyTokens = 16;

/** A body that only checks its arguments (each statement `if (...) throw ...`): it proves nothing either. */
function onlyGuards(body: ts.Block): boolean {
  const throws = (s: ts.Statement) => ts.isThrowStatement(s) || (ts.isBlock(s) && s.statements.length === 1 && ts.isThrowStatement(s.statements[0]));
  return body.statements.every((s) => ts.isIfStatement(s) && s.elseStatement === undefined && throws(s.thenStatement));
}

/** The normalised bodies of a module's functions, methods and arrow functions with a block body. */
export function functionBodies(code: string): string[] {
  const file = ts.createSourceFile("solution.ts", code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isFunctionLike(node) && "body" in node) && node.body !== undefined && ts.isBlock(node.body as ts.Node) && !onlyGuards(node.body as ts.Block)) {
      const body = tokens((node.body as ts.Block).getText(file));
      if (body.trim().split(" ").length >= minBodyTokens) out.push(body);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

/** The code a handout file holds: a .ts file's text, a notebook's code cells. */
function handoutCode(file: string, text: string): string | undefined {
  if (file.endsWith(".ts")) return text;
  if (file.endsWith(".ipynb")) {
    const notebook = JSON.parse(text) as { cells?: { cell_type: string; source?: string | string[] }[] };
    return (notebook.cells ?? []).filter((c) => c.cell_type === "code").map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source ?? "")).join("\n");
  }
  return undefined;
}

/**
 * Every graded answer readable in a built handout: a solution that takes its code from a library
 * file the handout ships as it is (answerFiles' `shipped`), a handout file that imports solutions/,
 * and any handout file (src/, notebooks, scripts) holding one of a solution's function bodies
 * (compared token by token, so layout and comments do not hide it). The students' own exercises/
 * files are not searched: a stub holds no answer, and its types are the solution's.
 */
export function readableAnswers(kitRoot: string, outDir: string, files: readonly string[]): ReadableAnswer[] {
  const graded = gradedModules(kitRoot);
  const found: ReadableAnswer[] = [];
  const idOf = (exercise: string) => graded.get(path.basename(exercise, ".ts"));
  for (const { exercise, libraryFiles } of answerFiles(kitRoot).shipped) {
    const id = idOf(exercise);
    if (id === undefined) continue;
    for (const file of libraryFiles) {
      if (files.includes(file)) found.push({ exercise: id, solution: exercise.replace(/^exercises\//, "solutions/"), file, reason: "the solution takes its code from this library file, which the handout ships as it is" });
    }
  }
  const bodies: { id: string; solution: string; body: string }[] = [];
  for (const [module, id] of graded) {
    const solution = `solutions/${module}.ts`;
    if (!fs.existsSync(path.join(kitRoot, solution))) continue;
    for (const body of functionBodies(fs.readFileSync(path.join(kitRoot, solution), "utf8"))) bodies.push({ id, solution, body });
  }
  for (const file of files) {
    if (file.startsWith("exercises/")) continue;
    const code = handoutCode(file, fs.readFileSync(path.join(outDir, file), "utf8"));
    if (code === undefined) continue;
    if (/from\s+["'](?:\.\.?\/)*(?:\.\.\/)?solutions\//.test(code) || /require\(\s*["'][./]*solutions\//.test(code)) {
      found.push({ exercise: "?", solution: "solutions/", file, reason: "it imports a reference solution" });
    }
    const normalised = tokens(code);
    for (const { id, solution, body } of bodies) {
      if (normalised.includes(body)) found.push({ exercise: id, solution, file, reason: `it contains a function body of the solution: ${body.trim().slice(0, 80)}...` });
    }
  }
  return found;
}

/**
 * Exercises whose answers the handout still ships readable in the library, and why: known debt,
 * listed so the build says so every time (issue 10 stays open until this is empty). The guard lets
 * these through only in library files (src/); anything else readable refuses the build.
 */
export const ANSWERS_STILL_READABLE: Readonly<Record<string, string>> = {
};

export interface HandoutOptions {
  /**
   * The kit's notebooks as the reference executed them (path, e.g. "notebooks/04-broadcast.ipynb",
   * to the executed notebook's text: executeNotebooks). Their figures, tables and text ship with the
   * handout's notebooks; without this, the notebooks ship without outputs.
   */
  readonly notebookOutputs?: ReadonlyMap<string, string>;
}

export function buildHandout(kitRoot: string, outDir: string, options: HandoutOptions = {}): HandoutResult {
  solutionBodiesCache.delete(kitRoot); // the solutions as they are now
  if (fs.existsSync(outDir) && fs.readdirSync(outDir).length > 0) throw new Error(`${outDir} exists and is not empty`);
  const written: string[] = [];
  const notebooks: NotebookOutputs[] = [];
  const answers = answerFiles(kitRoot);
  for (const file of kitFiles(kitRoot).sort()) {
    if (!inHandout(file)) continue;
    const from = path.join(kitRoot, file);
    if (!fs.lstatSync(from).isFile()) continue;
    const to = path.join(outDir, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (file === "package.json") fs.writeFileSync(to, studentPackageJson(fs.readFileSync(from, "utf8")));
    else if (file === ".mocharc.json") fs.writeFileSync(to, `${JSON.stringify({ require: ["tsx/cjs"], spec: ["test/grading/exercises.spec.ts"], extension: ["ts"], timeout: 60000 }, null, 2)}\n`);
    else if (file.endsWith(".ipynb")) {
      const executed = options.notebookOutputs?.get(file);
      if (executed === undefined) fs.writeFileSync(to, stripNotebook(fs.readFileSync(from, "utf8")));
      else {
        const merged = withReferenceOutputs(file, fs.readFileSync(from, "utf8"), executed);
        fs.writeFileSync(to, merged.text);
        notebooks.push({ file, ...merged.counts });
      }
    }
    else if (answers.removable.has(file)) fs.writeFileSync(to, answerShim(file, answers.removable.get(file) as string));
    else fs.copyFileSync(from, to);
    written.push(file);
  }
  const found = readableAnswers(kitRoot, outDir, written);
  const known = (r: ReadableAnswer) => Object.prototype.hasOwnProperty.call(ANSWERS_STILL_READABLE, r.exercise) && r.file.startsWith("src/");
  const readable = [...found.filter((r) => !known(r)), ...notebooks.flatMap((n) => answersInOutputs(kitRoot, n.file, fs.readFileSync(path.join(outDir, n.file), "utf8")))];
  if (readable.length > 0) {
    fs.rmSync(outDir, { recursive: true, force: true }); // no half-built handout to ship by mistake
    throw new Error(`the handout in ${outDir} gives graded answers away:\n${readable.map((r) => `  Exercise ${r.exercise} (${r.solution}) is readable in ${r.file}: ${r.reason}`).join("\n")}`);
  }
  fs.writeFileSync(path.join(outDir, "README.md"), studentReadme);
  written.push("README.md");
  if (!written.includes(".mocharc.json")) {
    fs.writeFileSync(path.join(outDir, ".mocharc.json"), `${JSON.stringify({ require: ["tsx/cjs"], spec: ["test/grading/exercises.spec.ts"], extension: ["ts"], timeout: 60000 }, null, 2)}\n`);
  }
  return {
    dir: outDir,
    files: written,
    answersRemoved: Array.from(answers.removable, ([library, exercise]) => ({ library, exercise })),
    answersShipped: answers.shipped,
    answersStillReadable: found.filter(known),
    notebookOutputs: notebooks,
  };
}

/** The kit's package.json with student scripts: test = the visible graded specs; no instructor scripts. */
function studentPackageJson(text: string): string {
  const pkg = JSON.parse(text) as { scripts?: Record<string, string> };
  const scripts = { ...(pkg.scripts ?? {}) };
  for (const name of Object.keys(scripts)) {
    if (/^(test:|bench|handout|autograder-zip)/.test(name)) delete scripts[name];
  }
  scripts.test = "mocha";
  pkg.scripts = scripts;
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

// ---- notebooks with the reference's outputs ------------------------------------------------------
//
// In the handout the library's copies of the answers re-export the student's stubs, so a notebook
// executed there would say "not implemented yet" wherever a demonstration needs an exercise. The
// build executes the notebooks in the kit itself instead (the reference in place, as `npm run
// test:notebooks` does) and ships what they displayed: figures, tables and printed text, never code.
// The cells' code is the kit's, unchanged: a student who re-executes a cell runs their own exercise.

/** What one notebook ships of the reference run. */
export interface NotebookOutputs {
  readonly file: string;
  /** Outputs kept (figures, tables, printed text). */
  readonly outputs: number;
  /** Outputs left out: stderr, errors, kinds of data outside the list below. */
  readonly dropped: number;
  /** Cells shipped without outputs because the reference run showed a stub's "not implemented yet" (the check cells). */
  readonly blanked: number;
}

/** The kinds of data an output may keep: rendered results only (no widget state, no JavaScript). */
const shippedMimeTypes = new Set(["text/plain", "text/html", "text/markdown", "image/png", "image/svg+xml", "application/vnd.plotly.v1+json", "application/json"]);

type Output = { output_type?: string; name?: string; text?: unknown; data?: Record<string, unknown>; metadata?: Record<string, unknown>; execution_count?: unknown };
type Cell = { cell_type: string; source?: string | string[]; outputs?: Output[]; execution_count?: unknown; metadata?: Record<string, unknown> };

const sourceOf = (cell: Cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source ?? "");

/** An output as shipped, or undefined when it does not ship. */
function shippedOutput(output: Output, executionCount: unknown): Output | undefined {
  if (output.output_type === "stream") return output.name === "stdout" ? { output_type: "stream", name: "stdout", text: output.text } : undefined;
  if (output.output_type !== "display_data" && output.output_type !== "execute_result") return undefined; // errors
  const data = Object.fromEntries(Object.entries(output.data ?? {}).filter(([mime]) => shippedMimeTypes.has(mime)));
  if (Object.keys(data).length === 0) return undefined;
  const metadata = Object.fromEntries(Object.entries(output.metadata ?? {}).filter(([mime]) => shippedMimeTypes.has(mime)));
  return output.output_type === "execute_result"
    ? { output_type: "execute_result", data, metadata, execution_count: executionCount }
    : { output_type: "display_data", data, metadata };
}

/**
 * The kit's notebook (`source`, its text as committed) with the outputs of the reference's run of it
 * (`executed`): cell by cell, after checking that the code is the same. Cells whose run showed a
 * stub's "not implemented yet" (an exercise's check cell runs the kit's stubs) ship empty.
 */
export function withReferenceOutputs(file: string, source: string, executed: string): { text: string; counts: Omit<NotebookOutputs, "file"> } {
  const notebook = JSON.parse(stripNotebook(source)) as { cells?: Cell[] };
  const run = JSON.parse(executed) as { cells?: Cell[] };
  const cells = notebook.cells ?? [];
  const ran = run.cells ?? [];
  if (cells.length !== ran.length) throw new Error(`${file}: the executed copy has ${ran.length} cells, the notebook ${cells.length}`);
  let outputs = 0;
  let dropped = 0;
  let blanked = 0;
  cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const executedCell = ran[index] as Cell;
    if (executedCell.cell_type !== "code" || sourceOf(executedCell) !== sourceOf(cell)) throw new Error(`${file}: cell ${index + 1} is not the cell that was executed`);
    const all = executedCell.outputs ?? [];
    if (all.some((o) => JSON.stringify(o).includes("not implemented yet"))) {
      blanked += 1;
      return;
    }
    const count = Number.isInteger(executedCell.execution_count) ? executedCell.execution_count : null;
    const kept = all.map((o) => shippedOutput(o, count)).filter((o): o is Output => o !== undefined);
    dropped += all.length - kept.length;
    outputs += kept.length;
    cell.outputs = kept;
    cell.execution_count = count;
  });
  return { text: `${JSON.stringify(notebook, null, 1)}\n`, counts: { outputs, dropped, blanked } };
}

/** Every string in a notebook's outputs (images' base64 left out). */
function outputStrings(notebookText: string): string[] {
  const notebook = JSON.parse(notebookText) as { cells?: Cell[] };
  const out: string[] = [];
  const walk = (value: unknown, key: string) => {
    if (typeof value === "string") {
      if (!key.startsWith("image/png")) out.push(value);
    } else if (Array.isArray(value)) {
      if (value.every((v) => typeof v === "string")) out.push(value.join(""));
      else for (const v of value) walk(v, key);
    } else if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) walk(v, k);
    }
  };
  for (const cell of notebook.cells ?? []) walk(cell.outputs ?? [], "");
  return out;
}

/** Each graded solution's function bodies, as written and as compiled (computed once per kit and build). */
const solutionBodiesCache = new Map<string, { id: string; solution: string; body: string }[]>();
function solutionBodies(kitRoot: string): { id: string; solution: string; body: string }[] {
  const cached = solutionBodiesCache.get(kitRoot);
  if (cached !== undefined) return cached;
  const bodies: { id: string; solution: string; body: string }[] = [];
  for (const [module, id] of gradedModules(kitRoot)) {
    const solution = `solutions/${module}.ts`;
    const full = path.join(kitRoot, solution);
    if (!fs.existsSync(full)) continue;
    const code = fs.readFileSync(full, "utf8");
    const compiled = ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2019 } }).outputText;
    for (const body of new Set([...functionBodies(code), ...functionBodies(compiled)])) bodies.push({ id, solution, body });
  }
  solutionBodiesCache.set(kitRoot, bodies);
  return bodies;
}

/**
 * Answer code in a notebook's outputs: a solution's function body, as written (TypeScript) or as
 * compiled (what printing a function shows), compared token by token; a path into solutions/; the
 * kit's own folder (a stack trace or a listing that would differ on every machine).
 */
export function answersInOutputs(kitRoot: string, file: string, notebookText: string): ReadableAnswer[] {
  const found: ReadableAnswer[] = [];
  // The first figure of a notebook inlines plotly.js (src/viz/display.ts): that library, exactly as
  // installed, is not searched (5 MB of someone else's minified code).
  const libraryFile = path.join(kitRoot, "node_modules", "plotly.js-dist-min", "plotly.min.js");
  const library = fs.existsSync(libraryFile) ? fs.readFileSync(libraryFile, "utf8") : undefined;
  const texts = outputStrings(notebookText).map((text) => (library !== undefined && text.includes(library) ? text.split(library).join("") : text));
  if (texts.length === 0) return found;
  const bodies = solutionBodies(kitRoot);
  for (const text of texts) {
    if (text.includes(kitRoot)) found.push({ exercise: "?", solution: "solutions/", file, reason: `an output shows a path in the kit (${kitRoot})` });
    if (/(^|[^\w.-])solutions\/[\w-]+/.test(text)) found.push({ exercise: "?", solution: "solutions/", file, reason: "an output names a file of solutions/" });
    // Code can only hide in outputs with something that looks like code in them.
    if (!/[{};]/.test(text)) continue;
    const normalised = tokens(text);
    for (const { id, solution, body } of bodies) {
      if (normalised.includes(body)) found.push({ exercise: id, solution, file, reason: `an output shows a function body of the solution: ${body.trim().slice(0, 80)}...` });
    }
  }
  return found;
}

/**
 * Executes the kit's notebooks with the reference in place (scripts/run-notebooks.mjs in kitRoot,
 * as `npm run test:notebooks`), returning each executed notebook's text by path. Throws, naming the
 * notebook and its failing cell, if one does not run to the end: outputs of a broken run do not ship.
 */
export function executeNotebooks(kitRoot: string, notebooks: readonly string[], options: { timeoutS?: number } = {}): { outputs: Map<string, string>; seconds: Map<string, number> } {
  const outputDir = fs.mkdtempSync(path.join(os.tmpdir(), "handout-notebooks-"));
  try {
    const args = [path.join(kitRoot, "scripts", "run-notebooks.mjs"), ...notebooks, "--output-dir", outputDir, ...(options.timeoutS === undefined ? [] : ["--timeout", String(options.timeoutS)])];
    const run = spawnSync(process.execPath, args, { cwd: kitRoot, encoding: "utf8", maxBuffer: 256 << 20 });
    const log = `${run.stdout ?? ""}${run.stderr ?? ""}`;
    if (run.status !== 0) {
      const tail = log.length > 4000 ? `...${log.slice(-4000)}` : log;
      throw new Error(`the notebooks did not all run with the reference (build with --no-outputs to ship them without outputs):\n${tail}`);
    }
    const outputs = new Map<string, string>();
    const seconds = new Map<string, number>();
    for (const notebook of notebooks) {
      const executed = path.join(outputDir, path.basename(notebook));
      if (!fs.existsSync(executed)) throw new Error(`${notebook} was not executed:\n${log}`);
      outputs.set(notebook, fs.readFileSync(executed, "utf8"));
      const timing = new RegExp(`^PASS ${notebook.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(([\\d.]+) s\\)`, "m").exec(log);
      if (timing !== null) seconds.set(notebook, Number(timing[1]));
    }
    return { outputs, seconds };
  } finally {
    fs.rmSync(outputDir, { recursive: true, force: true });
  }
}

/** The notebooks a handout built from kitRoot ships. */
export function handoutNotebooks(kitRoot: string): string[] {
  return kitFiles(kitRoot).filter((file) => file.endsWith(".ipynb") && inHandout(file)).sort();
}
