#!/usr/bin/env node
// Release check of the student handout, from the outside (src/grading/handout.ts decides what it
// holds; this only checks what a student gets works):
//   node scripts/release/check-handout.mjs [--notebooks all|NAME.ipynb,...] [--from DIR] [--no-outputs] [--keep]
// (--from DIR: check a copy of a handout already built in DIR instead of building one; --no-outputs:
// build it without executing the notebooks, which then ship empty.)
// 1. `npm run handout` from a fresh clone of HEAD (the kit's node_modules and .venv linked in: the
//    build executes the notebooks with the reference there and ships their outputs); the shipped
//    notebooks carry figures, and no output is a stub's "not implemented yet";
// 2. `npm ci` in the handout, as a student would run `npm install`: --prefer-offline, so npm takes
//    packages from the local cache and goes to the registry only for what is missing; its
//    postinstall creates the handout's own .venv (pip uses its cache the same way);
// 3. the handout's `npm test` reports the stubs as not done: mocha pending, none failing, none
//    passing (a stub that passed a graded test would mean the test proves nothing);
// 4. the handout's notebooks execute: each one runs to the end, or stops only at a stub's
//    "not implemented yet"; at least one output shows that message. They are executed into a copy:
//    the notebooks as shipped (with the reference's outputs) are checked to be left as they were.
//    (A student who re-executes a cell sees their own code's result, "not implemented yet" for a stub.)
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot } from "../lib/env.mjs";

const argv = process.argv.slice(2);
const notebooksArg = argv.includes("--notebooks") ? argv[argv.indexOf("--notebooks") + 1] : "all";
const keep = argv.includes("--keep");
const noOutputs = argv.includes("--no-outputs");
const from = argv.includes("--from") ? path.resolve(argv[argv.indexOf("--from") + 1]) : undefined;
const problems = [];
const ok = (message) => console.log(`  ok   ${message}`);
const bad = (message) => {
  problems.push(message);
  console.log(`  FAIL ${message}`);
};
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 << 20, ...options });
  if (result.error) return { status: 127, output: `could not run ${command}: ${result.error.message}` };
  return { status: result.status ?? 1, output: `${result.stdout ?? ""}${result.stderr ?? ""}` };
}
const tail = (text, n = 3000) => (text.length > n ? `...${text.slice(-n)}` : text);

const temp = mkdtempSync(path.join(os.tmpdir(), "ds-kit-handout-"));
const kit = path.join(temp, "kit");
const handout = path.join(temp, "handout");
// A clean environment for the student's side: nothing of this process's npm or Jupyter settings.
const env = { ...process.env, CI: "true", npm_config_prefer_offline: "true" };
for (const name of Object.keys(env)) {
  if (/^(npm_(?!config_cache$|config_prefer_offline$)|JUPYTER_|IPYTHONDIR|PYTHONPATH|VIRTUAL_ENV|INIT_CWD)/i.test(name)) delete env[name];
}
env.PATH = [path.dirname(process.execPath), ...(process.env.PATH ?? "").split(path.delimiter).filter((p) => !p.includes(".venv") && !p.includes("node_modules"))].join(path.delimiter);

let status;
let started = Date.now();
if (from !== undefined) {
  console.log(`[handout] 1. a copy of the handout in ${from} (--from)`);
  cpSync(from, handout, { recursive: true, filter: (src) => !/\/(node_modules|\.venv|\.jupyter-data)$/.test(src) });
} else {
  console.log(`[handout] 1. npm run handout from a fresh clone of HEAD (${temp})`);
  status = run("git", ["clone", "--quiet", repoRoot, kit]);
  if (status.status !== 0) finish(`git clone: ${status.output}`);
  symlinkSync(path.join(repoRoot, "node_modules"), path.join(kit, "node_modules"));
  if (!noOutputs && existsSync(path.join(repoRoot, ".venv"))) symlinkSync(path.join(repoRoot, ".venv"), path.join(kit, ".venv"));
  status = run(process.execPath, [path.join(kit, "node_modules", "tsx", "dist", "cli.mjs"), "scripts/handout.ts", handout, ...(noOutputs ? ["--no-outputs"] : [])], { cwd: kit, env });
  if (status.status !== 0) finish(`npm run handout failed (status ${status.status}):\n${tail(status.output)}`);
  ok(`handout built in ${seconds(started)}: ${status.output.split("\n").find((line) => line.startsWith("handout: ") && / files in /.test(line))}`);
}
const shippedNotebooks = readdirSync(path.join(handout, "notebooks")).filter((n) => n.endsWith(".ipynb")).sort();
const digest = (name) => createHash("sha256").update(readFileSync(path.join(handout, "notebooks", name))).digest("hex");
const shippedDigests = new Map(shippedNotebooks.map((name) => [name, digest(name)]));
{
  let withOutputs = 0;
  let figures = 0;
  for (const name of shippedNotebooks) {
    const cells = JSON.parse(readFileSync(path.join(handout, "notebooks", name), "utf8")).cells.filter((c) => c.cell_type === "code");
    const outputs = cells.flatMap((c) => c.outputs ?? []);
    if (outputs.length > 0) withOutputs += 1;
    figures += outputs.filter((o) => JSON.stringify(o.data ?? {}).includes("ds-kit-figure")).length;
    if (outputs.some((o) => o.output_type === "error" || (o.output_type === "stream" && o.name === "stderr"))) bad(`${name} ships an error or stderr output`);
    if (outputs.some((o) => JSON.stringify(o).includes("not implemented yet"))) bad(`${name} ships a stub's "not implemented yet" as an output`);
  }
  const expectOutputs = !noOutputs; // (with --from: pass --no-outputs for a handout built without them)
  if (!expectOutputs) ok(`${withOutputs} of ${shippedNotebooks.length} shipped notebooks have outputs (${figures} figures)${noOutputs ? " (--no-outputs)" : ""}`);
  else if (withOutputs === shippedNotebooks.length && figures > 0) ok(`every shipped notebook has the reference's outputs (${figures} figures in all)`);
  else bad(`only ${withOutputs} of ${shippedNotebooks.length} shipped notebooks have outputs (${figures} figures): the build did not ship the reference's outputs`);
}
for (const forbidden of ["solutions", "test/grading/hidden", ".ci"]) {
  existsSync(path.join(handout, forbidden)) ? bad(`the handout holds ${forbidden}/`) : ok(`no ${forbidden}/ in the handout`);
}

console.log("[handout] 2. npm ci in the handout (prefer the local caches)");
started = Date.now();
status = run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: handout, env });
if (status.status !== 0) finish(`npm ci in the handout failed (status ${status.status}):\n${tail(status.output)}`);
ok(`npm ci (with its postinstall: .venv and JupyterLab) in ${seconds(started)}`);

console.log("[handout] 3. the handout's npm test: stubs reported as not done");
started = Date.now();
status = run("npm", ["test", "--", "--reporter", "dot", "--no-color"], { cwd: handout, env });
const count = (word) => Number(new RegExp(`^\\s*(\\d+) ${word}`, "m").exec(status.output)?.[1] ?? 0);
const [passing, pending, failing] = [count("passing"), count("pending"), count("failing")];
console.log(`       ${passing} passing, ${pending} pending, ${failing} failing (${seconds(started)})`);
if (status.status !== 0 || failing > 0) bad(`npm test in the handout failed (status ${status.status}):\n${tail(status.output)}`);
else if (pending === 0) bad("npm test in the handout reported nothing pending: the stubs were not reported as not done");
else if (passing > 0) bad(`${passing} graded test(s) passed on the stubs`);
else ok(`every graded test pending on the stubs (${pending})`);

console.log("[handout] 4. the handout's notebooks");
const executed = path.join(temp, "executed");
const all = readdirSync(path.join(handout, "notebooks")).filter((n) => n.endsWith(".ipynb")).sort();
const notebooks = notebooksArg === "all" ? all : notebooksArg.split(",");
let stubMessages = 0;
for (const name of notebooks) {
  started = Date.now();
  // (the handout's package.json has no test:notebooks script: the runner it ships is called directly)
  status = run(process.execPath, ["scripts/run-notebooks.mjs", `notebooks/${name}`, "--output-dir", executed], { cwd: handout, env });
  const file = path.join(executed, name);
  const outputs = existsSync(file) ? readFileSync(file, "utf8") : "";
  const stubbed = (outputs.match(/not implemented yet/g) ?? []).length || (/not implemented yet/.test(status.output) ? 1 : 0);
  stubMessages += stubbed;
  if (status.status === 0) ok(`${name} ran to the end (${seconds(started)}; "not implemented yet" shown ${stubbed} time(s))`);
  else if (/not implemented yet/.test(status.output)) ok(`${name} stopped at a stub's "not implemented yet" (${seconds(started)})`);
  else bad(`${name} failed, and not on a stub:\n${tail(status.output)}`);
}
stubMessages > 0 ? ok(`"not implemented yet" appears ${stubMessages} time(s) in the executed notebooks`) : bad('no notebook output says "not implemented yet": the stubs are never run');
const changed = shippedNotebooks.filter((name) => digest(name) !== shippedDigests.get(name));
changed.length === 0 ? ok("the shipped notebooks (and their outputs) are as built: the runs above wrote copies") : bad(`executing changed the shipped ${changed.join(", ")}`);
finish();

function finish(fatal) {
  if (fatal !== undefined) bad(fatal);
  if (!keep) rmSync(temp, { recursive: true, force: true });
  else console.log(`[handout] kept ${temp}`);
  console.log(problems.length === 0 ? "[handout] all checks passed" : `[handout] ${problems.length} check(s) failed`);
  process.exit(problems.length === 0 ? 0 : 1);
}
