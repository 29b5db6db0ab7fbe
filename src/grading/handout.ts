/**
 * Builds the student copy of the kit: no reference solutions, no hidden tests, no instructor
 * material (buggy and hostile submissions, benchmarks, CI), notebooks without outputs, a README for
 * students, and a package.json whose `npm test` runs the visible graded specs on exercises/.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

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

Some of the notebooks' demonstrations run *your* code: where the kit's library would contain an
exercise's answer, your copy's library re-exports your file in \`exercises/\` instead (the file
says so). Until you implement that exercise, those cells stop with "Exercise N.M not implemented
yet"; once you have, the demonstrations show your protocol at work.

Submit the \`exercises/\` folder (as a folder, .zip or .tar.gz).
`;

export interface HandoutResult {
  readonly dir: string;
  readonly files: readonly string[];
  /** Library files replaced by a re-export of the student's exercise (their answer is not shipped). */
  readonly answersRemoved: readonly { readonly library: string; readonly exercise: string }[];
  /** Exercises whose reference code is still readable in the handout's src/ (the instructor is told). */
  readonly answersShipped: readonly { readonly exercise: string; readonly libraryFiles: readonly string[] }[];
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
    const libraryFiles = Array.from(code.matchAll(/from\s+"\.\.\/(src\/[^"]+)"/g), (m) => `${m[1]}.ts`)
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

export function buildHandout(kitRoot: string, outDir: string): HandoutResult {
  if (fs.existsSync(outDir) && fs.readdirSync(outDir).length > 0) throw new Error(`${outDir} exists and is not empty`);
  const written: string[] = [];
  const answers = answerFiles(kitRoot);
  for (const file of kitFiles(kitRoot).sort()) {
    if (!inHandout(file)) continue;
    const from = path.join(kitRoot, file);
    if (!fs.lstatSync(from).isFile()) continue;
    const to = path.join(outDir, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (file === "package.json") fs.writeFileSync(to, studentPackageJson(fs.readFileSync(from, "utf8")));
    else if (file === ".mocharc.json") fs.writeFileSync(to, `${JSON.stringify({ require: ["tsx/cjs"], spec: ["test/grading/exercises.spec.ts"], extension: ["ts"], timeout: 60000 }, null, 2)}\n`);
    else if (file.endsWith(".ipynb")) fs.writeFileSync(to, stripNotebook(fs.readFileSync(from, "utf8")));
    else if (answers.removable.has(file)) fs.writeFileSync(to, answerShim(file, answers.removable.get(file) as string));
    else fs.copyFileSync(from, to);
    written.push(file);
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
  };
}

/** The kit's package.json with student scripts: test = the visible graded specs; no instructor scripts. */
function studentPackageJson(text: string): string {
  const pkg = JSON.parse(text) as { scripts?: Record<string, string> };
  const scripts = { ...(pkg.scripts ?? {}) };
  for (const name of Object.keys(scripts)) {
    if (/^(test:|bench|handout)/.test(name)) delete scripts[name];
  }
  scripts.test = "mocha";
  pkg.scripts = scripts;
  return `${JSON.stringify(pkg, null, 2)}\n`;
}
