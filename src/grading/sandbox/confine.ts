/**
 * Confines the module loader of a sandbox process to the folders it may read. Node's permission
 * model refuses fs calls outside them, but the module loader stats files internally, so
 * `require.resolve("/path/to/kit/solutions/x.ts")` would still tell whether a file exists. Called by
 * the sandbox processes (child.ts, node-host.ts) before any submission code loads: afterwards a
 * path outside the allowed folders is "not found", whether it exists or not.
 */
import * as path from "node:path";

interface LoaderInternals {
  _resolveFilename(request: string, parent: { filename?: string | null } | undefined, isMain: boolean, options?: unknown): string;
  _findPath(request: string, paths: readonly string[] | undefined, isMain?: boolean): string | false;
}

export function confineModuleLoader(allowed: readonly string[]): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require("node:module") as unknown as LoaderInternals;
  const roots = allowed.map((dir) => (dir.endsWith(path.sep) ? dir : dir + path.sep));
  const inside = (file: string) => roots.some((root) => `${path.resolve(file)}${path.sep}`.startsWith(root));
  const notFound = (request: string) => Object.assign(new Error(`Cannot find module '${request}'`), { code: "MODULE_NOT_FOUND" });
  const resolveFilename = Module._resolveFilename;
  const findPath = Module._findPath;
  Module._resolveFilename = function (request, parent, isMain, options) {
    if (typeof request === "string" && (path.isAbsolute(request) || request.startsWith("."))) {
      const base = typeof parent?.filename === "string" ? path.dirname(parent.filename) : process.cwd();
      if (!inside(path.resolve(base, request))) throw notFound(request);
    }
    const resolved = resolveFilename.call(this, request, parent, isMain, options);
    if (path.isAbsolute(resolved) && !inside(resolved)) throw notFound(request);
    return resolved;
  };
  Module._findPath = function (request, paths, isMain) {
    const found = findPath.call(this, request, paths, isMain);
    return found !== false && !inside(found) ? false : found;
  };
}
