/**
 * Where the third-party corpora are: the folder named by DS_KIT_DATA if set (it must hold the
 * corpus asked for), else the copies in test/data/.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export function corpusDir(name: "linearizability" | "editing-traces"): string {
  const root = process.env.DS_KIT_DATA ?? __dirname;
  const dir = path.join(root, name);
  if (!fs.existsSync(dir)) throw new Error(`corpus ${name} not found in ${root}${process.env.DS_KIT_DATA === undefined ? "" : " (DS_KIT_DATA)"}`);
  return dir;
}
