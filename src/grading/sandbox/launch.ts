/**
 * How a sandbox process is started. When the grader runs as root (Gradescope, containers, CI) and
 * util-linux is there, the process starts in a network namespace of its own (`unshare -n`: no
 * interface but a loopback that is down, so no socket reaches anything, the grader included) and
 * drops to user nobody (`setpriv`), so the kernel also refuses any signal it sends the grader.
 * Without root it runs as the grader's user with the network as it is (docs/grading.md says so).
 */
import * as fs from "node:fs";

export interface Launch {
  /** The program to start, and the arguments that come before node's own. */
  readonly command: string;
  readonly prefix: readonly string[];
  /** For spawn's uid/gid (when dropping privileges without setpriv). */
  readonly uid?: number;
  readonly gid?: number;
  /** What confines the process beyond Node's permission model, for reports. */
  readonly confinement: "network namespace, user nobody" | "user nobody" | "none";
}

const nobody = 65534;
const unshare = "/usr/bin/unshare";
const setpriv = "/usr/bin/setpriv";

export function sandboxLaunch(): Launch {
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!asRoot) return { command: process.execPath, prefix: [], confinement: "none" };
  if (process.env.DS_KIT_SANDBOX_NETWORK !== "shared" && fs.existsSync(unshare) && fs.existsSync(setpriv)) {
    return {
      command: unshare,
      prefix: ["--net", setpriv, `--reuid=${nobody}`, `--regid=${nobody}`, "--clear-groups", process.execPath],
      confinement: "network namespace, user nobody",
    };
  }
  return { command: process.execPath, prefix: [], uid: nobody, gid: nobody, confinement: "user nobody" };
}
