/**
 * npm run handout -- <dir> [--no-outputs]: builds the student copy of the kit into <dir> (which must
 * be empty or absent). See src/grading/handout.ts for what is left out.
 *
 * The notebooks ship with the outputs of the reference: the build first executes them here, in the
 * kit (as `npm run test:notebooks` does; it needs the kit's .venv, and stops if a notebook fails),
 * and copies their figures, tables and printed text into the handout's notebooks. --no-outputs skips
 * that (fast: the notebooks ship empty, and the lectures' figures appear only once the student runs
 * them and has implemented the exercises they need).
 */
import * as path from "node:path";
import { ANSWERS_STILL_READABLE, buildHandout, executeNotebooks, handoutNotebooks } from "../src/grading/handout";
import { kitRoot } from "../src/grading/registry";

const args = process.argv.slice(2);
const noOutputs = args.includes("--no-outputs");
const target = args.find((arg) => !arg.startsWith("--"));
if (target === undefined || args.some((arg) => arg.startsWith("--") && arg !== "--no-outputs")) {
  process.stderr.write("usage: npm run handout -- <dir> [--no-outputs]\n");
  process.exit(2);
}
try {
  const started = Date.now();
  let notebookOutputs: Map<string, string> | undefined;
  if (!noOutputs) {
    const notebooks = handoutNotebooks(kitRoot);
    process.stdout.write(`handout: executing ${notebooks.length} notebooks with the reference (--no-outputs skips this)\n`);
    const executed = executeNotebooks(kitRoot, notebooks);
    notebookOutputs = executed.outputs;
    process.stdout.write(`  executed in ${((Date.now() - started) / 1000).toFixed(1)} s (${[...executed.seconds].map(([file, s]) => `${path.basename(file)} ${s} s`).join(", ")})\n`);
  }
  const result = buildHandout(kitRoot, path.resolve(target), notebookOutputs === undefined ? {} : { notebookOutputs });
  process.stdout.write(`handout: ${result.files.length} files in ${result.dir} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  for (const { library, exercise } of result.answersRemoved) {
    process.stdout.write(`  answer removed: ${library} now re-exports the student's ${exercise}\n`);
  }
  for (const n of result.notebookOutputs) {
    process.stdout.write(`  ${n.file}: ${n.outputs} outputs of the reference run${n.blanked > 0 ? `, ${n.blanked} cell(s) left empty (a stub's "not implemented yet")` : ""}${n.dropped > 0 ? `, ${n.dropped} output(s) dropped (stderr, errors, other data)` : ""}\n`);
  }
  const ids = [...new Set(result.answersStillReadable.map((r) => r.exercise))].sort();
  for (const id of ids) {
    const files = [...new Set(result.answersStillReadable.filter((r) => r.exercise === id).map((r) => r.file))];
    process.stdout.write(`  WARNING: the answer of Exercise ${id} is still readable in ${files.join(", ")}: ${ANSWERS_STILL_READABLE[id]}\n`);
  }
} catch (error) {
  process.stderr.write(`handout: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
