/**
 * npm run handout -- <dir>: builds the student copy of the kit into <dir> (which must be empty or
 * absent). See src/grading/handout.ts for what is left out.
 */
import * as path from "node:path";
import { ANSWERS_STILL_READABLE, buildHandout } from "../src/grading/handout";
import { kitRoot } from "../src/grading/registry";

const target = process.argv[2];
if (target === undefined) {
  process.stderr.write("usage: npm run handout -- <dir>\n");
  process.exit(2);
}
try {
  const result = buildHandout(kitRoot, path.resolve(target));
  process.stdout.write(`handout: ${result.files.length} files in ${result.dir}\n`);
  for (const { library, exercise } of result.answersRemoved) {
    process.stdout.write(`  answer removed: ${library} now re-exports the student's ${exercise}\n`);
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
