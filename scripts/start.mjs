#!/usr/bin/env node
// `npm start`: JupyterLab on the course notebooks with the kit's TypeScript kernel as the default.
// The server root is the repository (the kernel starts there, so notebooks import ./src/...); the
// browser opens at notebooks/. Extra arguments go to JupyterLab: `npm start -- --no-browser`,
// `npm start -- --port 9999`.
import { spawn } from "node:child_process";
import { jupyterBin, jupyterEnv, kernelName, repoRoot, requireVenv } from "./lib/env.mjs";

requireVenv();
const args = [
  "lab",
  `--ServerApp.root_dir=${repoRoot}`,
  "--ServerApp.preferred_dir=notebooks",
  "--LabApp.default_url=/lab/tree/notebooks",
  `--MappingKernelManager.default_kernel_name=${kernelName}`,
  // JupyterLab refuses to run as root without this; CI machines and containers run as root.
  ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
  ...process.argv.slice(2),
];
console.log(`[start] jupyter ${args.join(" ")}`);
console.log("[start] stop the server with Ctrl+C (twice)");
const child = spawn(jupyterBin, args, { cwd: repoRoot, env: jupyterEnv(), stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("error", (error) => {
  console.error(`[start] error: could not run ${jupyterBin}: ${error.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
