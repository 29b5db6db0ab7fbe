// Paths and environment shared by the kit's scripts (setup, start, test, site, browser test).
// Everything Jupyter writes or reads lives under the repository: nothing global, nothing in $HOME.
// scripts/run_notebooks.py computes the same variables for itself (keep the two in step).
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const kernelName = "ds-kit";
export const venvDir = path.join(repoRoot, ".venv");
export const venvBin = path.join(venvDir, "bin");
export const venvPython = path.join(venvBin, "python");
export const jupyterBin = path.join(venvBin, "jupyter");
export const jupyterDataDir = path.join(repoRoot, ".jupyter-data");
/** Tracked folder holding kernels/ds-kit/kernel.json. */
export const jupyterPathDir = path.join(repoRoot, "jupyter");
export const buildDir = path.join(repoRoot, "build");

/**
 * The environment for any Jupyter process of the kit. `configDir` may be overridden (the browser
 * test uses a fresh temporary one so its settings and workspace never touch the repository).
 */
export function jupyterEnv({ configDir } = {}) {
  const env = { ...process.env };
  env.JUPYTER_PATH = jupyterPathDir; // absolute, or the kernel cannot find node_modules/tslab
  env.JUPYTER_DATA_DIR = jupyterDataDir;
  env.JUPYTER_CONFIG_DIR = configDir ?? path.join(jupyterDataDir, "config");
  env.JUPYTER_RUNTIME_DIR = path.join(jupyterDataDir, "runtime");
  env.IPYTHONDIR = path.join(jupyterDataDir, "ipython");
  env.JUPYTER_PLATFORM_DIRS = "1";
  // The kernel runs `node`: make sure it is the node running this script.
  env.PATH = [path.dirname(process.execPath), venvBin, env.PATH ?? ""].join(path.delimiter);
  env.PYTHONNOUSERSITE = "1";
  delete env.PYTHONPATH;
  return env;
}

/** Fails with a message naming the fix when `npm install` has not set up the venv. */
export function requireVenv() {
  if (!existsSync(jupyterBin)) {
    console.error(
      `error: ${path.relative(repoRoot, jupyterBin)} is missing: the Python side of the kit is not set up.\n` +
        "Run `npm install` in the repository root (it creates .venv with JupyterLab).",
    );
    process.exit(2);
  }
}
