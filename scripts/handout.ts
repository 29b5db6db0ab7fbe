/**
 * npm run handout -- <dir>: builds the student copy of the kit into <dir> (which must be empty or
 * absent). See src/grading/handout.ts for what is left out.
 */
import * as path from "node:path";
import { buildHandout } from "../src/grading/handout";
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
  for (const { exercise, libraryFiles } of result.answersShipped) {
    process.stdout.write(`  note: the reference code for ${exercise} stays readable in ${libraryFiles.join(", ")} (the notebooks use it)\n`);
  }
} catch (error) {
  process.stderr.write(`handout: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
