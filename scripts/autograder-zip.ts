/**
 * npm run autograder-zip [-- --out FILE] [--ref REV]
 *
 * Builds the zip Gradescope takes as a programming assignment's autograder (default
 * build/autograder.zip): setup.sh and run_autograder at its root (from scripts/gradescope/), and
 * beside them the files the grader needs, from the committed tree at REV (default HEAD, so work in
 * progress never ships): package.json and its lock, the tsconfigs, src/, exercises/, solutions/,
 * the hidden tests (test/grading/), scripts/grade.ts and scripts/gradescope/. No notebooks, no
 * node_modules: setup.sh installs Node and runs `npm ci` on Gradescope's image. The solutions stay
 * on the autograder's side: students see only results.json. See docs/grading.md.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import AdmZip from "adm-zip";
import { kitRoot } from "../src/grading/registry";

/** What the zip holds under source/ (paths relative to the kit; folders end with a slash). */
const autograderPaths: readonly string[] = [
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "src/",
  "exercises/",
  "solutions/",
  "test/grading/",
  "scripts/grade.ts",
  "scripts/gradescope/",
];

function parse(argv: string[]): { out: string; ref: string } {
  let out = path.join(kitRoot, "build", "autograder.zip");
  let ref = "HEAD";
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      if (argv[i + 1] === undefined) throw new Error(`${argv[i]} needs a value`);
      return argv[++i] as string;
    };
    if (argv[i] === "--out") out = path.resolve(value());
    else if (argv[i] === "--ref") ref = value();
    else throw new Error(`unknown argument ${argv[i]} (usage: npm run autograder-zip -- [--out FILE] [--ref REV])`);
  }
  return { out, ref };
}

function main(): void {
  const { out, ref } = parse(process.argv.slice(2));
  const resolved = spawnSync("git", ["rev-parse", "--verify", `${ref}^{commit}`], { cwd: kitRoot, encoding: "utf8" });
  if (resolved.status !== 0) throw new Error(`--ref ${ref} is not a commit of ${kitRoot} (${resolved.stderr.trim()})`);
  const commit = resolved.stdout.trim();
  // git archive: the committed files only, with their executable bits.
  const archive = spawnSync("git", ["archive", "--format=zip", commit, "--", ...autograderPaths], { cwd: kitRoot, maxBuffer: 512 << 20 });
  if (archive.status !== 0) throw new Error(`git archive failed: ${archive.stderr.toString().trim()}`);
  const zip = new AdmZip(archive.stdout);
  for (const name of ["setup.sh", "run_autograder"]) {
    const entry = zip.getEntry(`scripts/gradescope/${name}`);
    if (entry === null) throw new Error(`scripts/gradescope/${name} is not committed at ${ref}`);
    zip.addFile(name, entry.getData(), "", 0o755);
  }
  const names = zip.getEntries().map((e) => e.entryName);
  for (const needed of ["test/grading/hidden/index.ts", "solutions/", "src/grading/registry.ts"]) {
    if (!names.some((n) => n.startsWith(needed))) throw new Error(`the zip would lack ${needed} (not committed at ${ref}?)`);
  }
  fs.mkdirSync(path.dirname(out), { recursive: true });
  zip.writeZip(out);
  const files = names.filter((n) => !n.endsWith("/")).length;
  process.stdout.write(`autograder: ${out} (${files} files from ${commit.slice(0, 12)}, ${(fs.statSync(out).size / 1024).toFixed(0)} KiB)\n`);
  process.stdout.write("upload it as the autograder of a Gradescope programming assignment (Ubuntu 22.04 base image)\n");
}

try {
  main();
} catch (error) {
  process.stderr.write(`autograder-zip: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
