#!/usr/bin/env node
// Notebooks are committed without outputs: `node scripts/notebooks.mjs check` fails if a notebook
// that git tracks (or would add) has outputs, prompt numbers or the wrong kernel;
// `node scripts/notebooks.mjs clean [FILE...]` strips them (`npm run clean-notebooks`).
// The last line of `check` is `N passed, N failed` (one per notebook).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { kernelName, repoRoot } from "./lib/env.mjs";

export const kernelspec = { display_name: "TypeScript (DS kit)", language: "typescript", name: kernelName };
export const languageInfo = {
  codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
  file_extension: ".ts",
  mimetype: "text/typescript",
  name: "typescript",
  version: "3.7.2", // what tslab 1.0.22 reports, so executing a notebook leaves this unchanged
};

/** Notebooks tracked by git or not ignored by it (what a commit could contain). */
export function projectNotebooks() {
  const git = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z", "--", "*.ipynb"], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  if (git.status === 0) {
    return [...new Set(git.stdout.split("\0").filter((file) => file !== "" && existsSync(path.join(repoRoot, file))))].sort();
  }
  // Not a git checkout: fall back to the notebooks folder.
  return readdirSync(path.join(repoRoot, "notebooks"))
    .filter((name) => name.endsWith(".ipynb"))
    .map((name) => `notebooks/${name}`)
    .sort();
}

/** What is wrong with a notebook as committed: a list of messages, empty when clean. */
export function notebookProblems(notebook) {
  const problems = [];
  if (notebook.nbformat !== 4) problems.push(`nbformat is ${notebook.nbformat}, expected 4`);
  if (!Array.isArray(notebook.cells)) return [...problems, "no cells array"];
  notebook.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    if ((cell.outputs ?? []).length > 0) problems.push(`cell ${index + 1} has ${cell.outputs.length} output(s)`);
    if (cell.execution_count !== null && cell.execution_count !== undefined) {
      problems.push(`cell ${index + 1} has execution_count ${cell.execution_count}`);
    }
  });
  const spec = notebook.metadata?.kernelspec;
  if (spec?.name !== kernelName) problems.push(`metadata.kernelspec.name is ${JSON.stringify(spec?.name)}, expected "${kernelName}"`);
  if (notebook.metadata?.language_info?.name !== "typescript") {
    problems.push(`metadata.language_info.name is ${JSON.stringify(notebook.metadata?.language_info?.name)}, expected "typescript"`);
  }
  return problems;
}

export function cleanNotebook(notebook) {
  for (const cell of notebook.cells) {
    if (cell.cell_type === "code") {
      cell.outputs = [];
      cell.execution_count = null;
    }
    if (cell.metadata) {
      delete cell.metadata.execution;
      delete cell.metadata.collapsed;
      delete cell.metadata.scrolled;
    }
  }
  notebook.metadata = { ...notebook.metadata, kernelspec, language_info: languageInfo };
  return notebook;
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys(value[key])]));
  }
  return value;
}

/** Serialises like nbformat (sorted keys, indent 1, trailing newline) so Jupyter's saves diff cleanly. */
export function serialiseNotebook(notebook) {
  return `${JSON.stringify(sortKeys(notebook), null, 1)}\n`;
}

function readNotebook(file) {
  return JSON.parse(readFileSync(path.join(repoRoot, file), "utf8"));
}

function check(files) {
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    let problems;
    try {
      problems = notebookProblems(readNotebook(file));
    } catch (error) {
      problems = [`cannot be read as JSON: ${error.message}`];
    }
    if (problems.length === 0) {
      passed += 1;
      console.log(`PASS ${file}: no outputs, kit kernel`);
    } else {
      failed += 1;
      console.log(`FAIL ${file}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    }
  }
  if (failed > 0) console.log("Fix: npm run clean-notebooks (strips outputs and prompt numbers, sets the kit's kernel)");
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

function clean(files) {
  for (const file of files) {
    const before = readFileSync(path.join(repoRoot, file), "utf8");
    const after = serialiseNotebook(cleanNotebook(JSON.parse(before)));
    if (after !== before) {
      writeFileSync(path.join(repoRoot, file), after);
      console.log(`cleaned ${file}`);
    } else {
      console.log(`unchanged ${file}`);
    }
  }
  return 0;
}

const [command, ...args] = process.argv.slice(2);
const files = args.length > 0 ? args.map((file) => path.relative(repoRoot, path.resolve(file))) : projectNotebooks();
if (command === "check") process.exit(check(files));
else if (command === "clean") process.exit(clean(files));
else {
  console.error("usage: node scripts/notebooks.mjs check|clean [NOTEBOOK...]");
  process.exit(2);
}
