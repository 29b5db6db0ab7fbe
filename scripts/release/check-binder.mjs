#!/usr/bin/env node
// Release check of binder/ (the repo2docker configuration), without a container engine:
//   node scripts/release/check-binder.mjs [--notebooks all|NAME.ipynb,...] [--repo2docker] [--keep]
// 1. the files are well formed: apt.txt package names, requirements.txt and runtime.txt, postBuild and
//    tslab-kernel.sh executable and parsed by bash -n / sh -n;
// 2. postBuild succeeds on a fresh clone (git clone of HEAD) with HOME set to an empty temporary
//    folder, as the image's notebook user would run it; the kernel goes under a temporary prefix;
// 3. the notebooks execute with the kernel postBuild registered (the clone's own jupyter/ kernel is
//    removed first, so no other kernel can stand in), through scripts/run_notebooks.py's checks;
// 4. a student's copy without node_modules (a hub with nbgitpuller, DS_KIT_DIR) runs 00 too;
// 5. with --repo2docker: installs jupyter-repo2docker into a throwaway venv and checks the
//    Dockerfile `repo2docker --no-build` prints (Python 3.11, binder/requirements.txt, postBuild).
// What is not checked here: the image build itself (no Docker on CI), apt.txt's install.
// Node comes from this process (the image's is Node 20 from repo2docker's base environment); Python
// and Jupyter from the kit's .venv (the same requirements.txt pins the image installs).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { repoRoot, venvBin, venvPython } from "../lib/env.mjs";

const argv = process.argv.slice(2);
const option = (name) => {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
};
const notebooksArg = option("--notebooks") ?? "all";
const withRepo2docker = argv.includes("--repo2docker");
const keep = argv.includes("--keep");
const problems = [];
const ok = (message) => console.log(`  ok   ${message}`);
const bad = (message) => {
  problems.push(message);
  console.log(`  FAIL ${message}`);
};

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 << 20, ...options });
  if (result.error) return { status: 127, stdout: "", stderr: `could not run ${command}: ${result.error.message}` };
  return { status: result.status ?? 1, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

const binder = path.join(repoRoot, "binder");
console.log("[binder] 1. configuration files");
const aptLines = readFileSync(path.join(binder, "apt.txt"), "utf8").split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
const badApt = aptLines.filter((l) => !/^[a-z0-9][a-z0-9+.-]+$/.test(l));
badApt.length === 0 ? ok(`apt.txt: ${aptLines.join(", ")}`) : bad(`apt.txt: not Debian package names: ${badApt.join(", ")}`);
const runtime = readFileSync(path.join(binder, "runtime.txt"), "utf8").trim();
/^python-3\.(1[0-9])$/.test(runtime) ? ok(`runtime.txt: ${runtime} (the pins need >= 3.10)`) : bad(`runtime.txt: expected python-3.1x, got ${JSON.stringify(runtime)}`);
for (const line of readFileSync(path.join(binder, "requirements.txt"), "utf8").split("\n")) {
  const nested = /^-r\s+(\S+)/.exec(line.trim());
  if (nested && !existsSync(path.resolve(binder, nested[1]))) bad(`requirements.txt: ${nested[1]} does not exist`);
}
if (!problems.some((p) => p.startsWith("requirements.txt"))) ok("requirements.txt: nested files exist");
for (const [file, shell] of [["postBuild", "bash"], ["tslab-kernel.sh", "sh"]]) {
  const full = path.join(binder, file);
  if ((statSync(full).mode & 0o111) === 0) bad(`${file} is not executable (git update-index --chmod=+x)`);
  const syntax = run(shell, ["-n", full]);
  syntax.status === 0 ? ok(`${file}: ${shell} -n`) : bad(`${file}: ${shell} -n: ${syntax.stderr.trim()}`);
}

const temp = mkdtempSync(path.join(os.tmpdir(), "ds-kit-binder-"));
const clone = path.join(temp, "repo");
const home = path.join(temp, "home");
const prefix = path.join(temp, "prefix");
mkdirSync(home);
console.log(`[binder] 2. postBuild in a fresh clone (${clone}, HOME=${home})`);
const cloned = run("git", ["clone", "--quiet", "--no-hardlinks", repoRoot, clone]);
if (cloned.status !== 0) {
  bad(`git clone: ${cloned.stderr.trim()}`);
  finish();
}
// The image's user: an empty home; npm still reads the kit's package cache (CI reaches npm anyway).
const imageEnv = {
  PATH: [path.dirname(process.execPath), venvBin, "/usr/local/bin", "/usr/bin", "/bin"].join(path.delimiter),
  HOME: home,
  LANG: "C.UTF-8",
  npm_config_cache: run("npm", ["config", "get", "cache"]).stdout.trim() || path.join(os.homedir(), ".npm"),
  DS_KIT_KERNEL_PREFIX: prefix,
  PYTHONNOUSERSITE: "1",
};
const started = Date.now();
const postBuild = run(path.join(clone, "binder", "postBuild"), [], { cwd: clone, env: imageEnv });
if (postBuild.status !== 0) {
  bad(`postBuild exited with ${postBuild.status}:\n${(postBuild.stdout + postBuild.stderr).slice(-3000)}`);
  finish();
}
ok(`postBuild succeeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
const specFile = path.join(prefix, "share", "jupyter", "kernels", "ds-kit", "kernel.json");
if (!existsSync(specFile)) {
  bad(`postBuild registered no kernel at ${specFile}`);
  finish();
}
const spec = JSON.parse(readFileSync(specFile, "utf8"));
spec.argv?.includes(clone) && spec.argv?.includes("{connection_file}")
  ? ok(`kernel ds-kit registered: ${spec.argv.join(" ")}`)
  : bad(`kernel.json does not start the clone's tslab: ${JSON.stringify(spec.argv)}`);
existsSync(path.join(clone, "node_modules", "tslab", "bin", "tslab")) ? ok("npm ci installed tslab") : bad("node_modules/tslab is missing after postBuild");
existsSync(path.join(clone, ".venv")) ? bad("postBuild created .venv (the image uses its own Python)") : ok("no .venv in the image (DS_KIT_SKIP_PYTHON)");

console.log("[binder] 3. the notebooks, with the kernel postBuild registered");
// Without the clone's tracked kernel, only the registered one can serve "ds-kit".
rmSync(path.join(clone, "jupyter", "kernels"), { recursive: true, force: true });
const allNotebooks = readdirSync(path.join(clone, "notebooks")).filter((n) => n.endsWith(".ipynb")).sort();
const notebooks = notebooksArg === "all" ? allNotebooks : notebooksArg.split(",");
const driver = `
import os, sys
sys.path.insert(0, os.path.join(sys.argv[1], "scripts"))
import run_notebooks as rn  # sets the kit's Jupyter variables: put the image's back
os.environ["JUPYTER_PATH"] = sys.argv[2]
os.environ["JUPYTER_DATA_DIR"] = os.path.join(os.environ["HOME"], ".local", "share", "jupyter")
os.environ["JUPYTER_CONFIG_DIR"] = os.path.join(os.environ["HOME"], ".jupyter")
os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(os.environ["HOME"], ".local", "share", "jupyter", "runtime")
from jupyter_client.kernelspec import KernelSpecManager
print("kernel ds-kit from", KernelSpecManager().find_kernel_specs()["ds-kit"])
failed = 0
for name in sys.argv[3:]:
    good, seconds, message = rn.run_notebook(os.path.join(sys.argv[1], "notebooks", name), 600, None)
    print(("ok  " if good else "FAIL"), name, "%.1f s" % seconds)
    if not good:
        print(message)
        failed += 1
sys.exit(1 if failed else 0)
`;
const runNotebooks = (kitDir, names, extraEnv = {}) =>
  run(venvPython, ["-c", driver, kitDir, path.join(prefix, "share", "jupyter"), ...names], { cwd: home, env: { ...imageEnv, ...extraEnv } });
const executed = runNotebooks(clone, notebooks);
process.stdout.write(`${executed.stdout.trimEnd().replace(/^/gm, "       ")}\n`);
executed.status === 0 ? ok(`${notebooks.length} notebook(s) executed with the registered kernel`) : bad(`notebooks failed:\n${executed.stderr.slice(-3000)}`);

console.log("[binder] 4. a student's copy pulled into the home (DS_KIT_DIR, no node_modules)");
const student = path.join(home, "ds-kit");
const pulled = run("git", ["clone", "--quiet", repoRoot, student]);
if (pulled.status !== 0) bad(`git clone: ${pulled.stderr.trim()}`);
else {
  const studentRun = runNotebooks(student, ["00-getting-started.ipynb"], { DS_KIT_DIR: student });
  process.stdout.write(`${studentRun.stdout.trimEnd().replace(/^/gm, "       ")}\n`);
  studentRun.status === 0 && existsSync(path.join(student, "node_modules"))
    ? ok("00-getting-started ran in the student's copy, node_modules linked to the image's")
    : bad(`the student's copy did not run:\n${studentRun.stderr.slice(-2000)}`);
}

if (withRepo2docker) {
  console.log("[binder] 5. repo2docker --no-build (the Dockerfile, without Docker)");
  const venv = path.join(temp, "r2d");
  const made = run("python3", ["-m", "venv", venv]);
  const pip = made.status === 0 ? run(path.join(venv, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", "jupyter-repo2docker==2026.4.0"]) : made;
  if (pip.status !== 0) bad(`could not install jupyter-repo2docker: ${pip.stderr.slice(-1000)}`);
  else {
    const fresh = path.join(temp, "r2d-repo");
    run("git", ["clone", "--quiet", repoRoot, fresh]);
    const r2d = run(path.join(venv, "bin", "repo2docker"), ["--no-build", "--no-run", "--debug", fresh], { cwd: temp });
    const dockerfile = r2d.stdout + r2d.stderr;
    const wanted = [
      [/Building conda environment for python=3\.11/, "Python 3.11 from runtime.txt"],
      [/install --yes --no-install-recommends git/, "apt.txt's packages"],
      [/pip install --no-cache-dir -r "binder\/requirements\.txt"/, "pip install of binder/requirements.txt"],
      [/RUN \.\/binder\/postBuild/, "postBuild"],
    ];
    if (r2d.status !== 0) bad(`repo2docker --no-build exited with ${r2d.status}: ${dockerfile.slice(-2000)}`);
    for (const [pattern, what] of wanted) pattern.test(dockerfile) ? ok(`Dockerfile runs ${what}`) : bad(`the Dockerfile does not run ${what}`);
  }
}
finish();

function finish() {
  if (!keep) rmSync(temp, { recursive: true, force: true });
  else console.log(`[binder] kept ${temp}`);
  console.log(problems.length === 0 ? "[binder] all checks passed" : `[binder] ${problems.length} check(s) failed`);
  process.exit(problems.length === 0 ? 0 : 1);
}
