#!/usr/bin/env node
// `npm run test:notebooks [-- NOTEBOOK... --output-dir DIR --timeout S]`: runs scripts/run_notebooks.py
// with the venv's Python and the kit's Jupyter environment. Without arguments: every notebooks/*.ipynb.
import { spawnSync } from "node:child_process";
import { jupyterEnv, repoRoot, requireVenv, venvPython } from "./lib/env.mjs";

requireVenv();
const result = spawnSync(venvPython, ["scripts/run_notebooks.py", ...process.argv.slice(2)], {
  cwd: repoRoot,
  env: jupyterEnv(),
  stdio: "inherit",
});
process.exit(result.status ?? 1);
