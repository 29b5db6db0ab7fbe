#!/usr/bin/env node
// `npm install` runs this (package.json "postinstall"): it creates the project-local Python venv
// .venv with JupyterLab, nbconvert and nbclient pinned in requirements.txt, and the Jupyter folders
// under .jupyter-data/. The tslab kernelspec is tracked in jupyter/kernels/ds-kit/kernel.json.
// Idempotent: pip runs only when requirements.txt (or the Python) changed since the last success.
// Set DS_KIT_SKIP_PYTHON=1 to skip the Python side (e.g. a machine that only runs unit tests).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { jupyterDataDir, jupyterEnv, jupyterPathDir, kernelName, repoRoot, venvDir, venvPython } from "./lib/env.mjs";

const minimumPython = [3, 10]; // the pinned JupyterLab 4.6 / nbclient 0.11 need 3.10
const started = Date.now();

function fail(message) {
  console.error(`\n[setup] error: ${message}\n`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", ...options });
  if (result.error) fail(`could not run ${command}: ${result.error.message}`);
  if (result.status !== 0) fail(`\`${command} ${args.join(" ")}\` exited with status ${result.status}`);
}

if (process.env.DS_KIT_SKIP_PYTHON === "1") {
  console.log("[setup] DS_KIT_SKIP_PYTHON=1: skipping the Python venv (notebooks and JupyterLab will not work)");
  process.exit(0);
}

// 1. A usable python3: version, venv and ensurepip (Debian splits the last two into python3-venv).
const pythonCommand = process.env.PYTHON ?? "python3";
const probe = spawnSync(
  pythonCommand,
  ["-c", "import sys, venv, ensurepip; print('%d.%d.%d' % sys.version_info[:3])"],
  { encoding: "utf8" },
);
const installHint =
  "Install Python >= 3.10 with its venv module, e.g. `sudo apt-get install python3 python3-venv` " +
  "(Debian/Ubuntu), `brew install python` (macOS), or python.org; or point PYTHON=/path/to/python3 at one.";
if (probe.error) fail(`\`${pythonCommand}\` was not found. ${installHint}`);
if (probe.status !== 0) {
  const missing = /No module named '?(\w+)/.exec(probe.stderr)?.[1];
  fail(
    missing
      ? `\`${pythonCommand}\` has no \`${missing}\` module, needed to create the project's .venv. ${installHint}`
      : `\`${pythonCommand}\` failed: ${probe.stderr.trim()}. ${installHint}`,
  );
}
const version = probe.stdout.trim();
const [major, minor] = version.split(".").map(Number);
if (major < minimumPython[0] || (major === minimumPython[0] && minor < minimumPython[1])) {
  fail(`\`${pythonCommand}\` is Python ${version}; the kit needs Python >= ${minimumPython.join(".")}. ${installHint}`);
}

// 2. The venv, rebuilt when it is broken or the Python changed.
const requirements = readFileSync(path.join(repoRoot, "requirements.txt"), "utf8");
const stampFile = path.join(venvDir, ".ds-kit-requirements.sha256");
const wanted = createHash("sha256").update(`python ${version}\n`).update(requirements).digest("hex");
// The venv must run, and with the same Python version (a venv is tied to the Python that made it).
const venvVersion = existsSync(venvPython)
  ? spawnSync(venvPython, ["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"], { encoding: "utf8" })
  : undefined;
const venvWorks = venvVersion?.status === 0 && venvVersion.stdout.trim() === version;
const stamp = existsSync(stampFile) ? readFileSync(stampFile, "utf8").trim() : "";
if (venvWorks && stamp === wanted) {
  console.log(`[setup] .venv is up to date (Python ${version}, requirements.txt unchanged)`);
} else {
  if (!venvWorks) {
    console.log(`[setup] creating .venv with Python ${version}${existsSync(venvDir) ? " (replacing a broken or older one)" : ""}`);
    rmSync(venvDir, { recursive: true, force: true });
    run(pythonCommand, ["-m", "venv", venvDir]);
  }
  console.log("[setup] installing requirements.txt into .venv (JupyterLab, nbconvert, nbclient): about a minute");
  const pip = spawnSync(
    venvPython,
    ["-m", "pip", "install", "--disable-pip-version-check", "--quiet", "-r", "requirements.txt"],
    {
      cwd: repoRoot,
      encoding: "utf8",
      stdio: ["ignore", "inherit", "pipe"],
      env: { ...process.env, PIP_REQUIRE_VIRTUALENV: "1", PYTHONNOUSERSITE: "1" },
    },
  );
  // Some machines configure pip with index folders that do not exist; drop only that noise.
  const pipErrors = (pip.stderr ?? "")
    .split("\n")
    .filter((line) => line.trim() !== "" && !/^WARNING: Location '.*' is ignored: it is neither a file nor a directory\.$/.test(line));
  if (pipErrors.length > 0) console.error(pipErrors.join("\n"));
  if (pip.error || pip.status !== 0) fail(`pip could not install requirements.txt into .venv (status ${pip.status}); see above`);
  writeFileSync(stampFile, `${wanted}\n`);
}

// 3. Jupyter folders and JupyterLab settings: no news or update checks (no internet, no pop-ups).
for (const dir of ["config", "runtime", "ipython"]) mkdirSync(path.join(jupyterDataDir, dir), { recursive: true });
const settingsDir = path.join(venvDir, "share", "jupyter", "lab", "settings");
mkdirSync(settingsDir, { recursive: true });
writeFileSync(
  path.join(settingsDir, "overrides.json"),
  `${JSON.stringify(
    { "@jupyterlab/apputils-extension:notification": { fetchNews: "false", checkForUpdates: false } },
    null,
    2,
  )}\n`,
);

// 4. Check that Jupyter sees the kit's kernel.
const specs = spawnSync(path.join(venvDir, "bin", "jupyter"), ["kernelspec", "list", "--json"], {
  encoding: "utf8",
  env: jupyterEnv(),
});
if (specs.status !== 0) fail(`\`jupyter kernelspec list\` failed: ${specs.stderr}`);
const found = JSON.parse(specs.stdout).kernelspecs?.[kernelName];
if (!found) fail(`Jupyter does not see the kernel "${kernelName}" in ${jupyterPathDir}/kernels`);
console.log(`[setup] kernel "${kernelName}" -> ${path.relative(repoRoot, found.resource_dir)}`);
console.log(`[setup] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
