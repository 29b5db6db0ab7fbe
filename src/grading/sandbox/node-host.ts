/**
 * A node host: one process of the grader's sandbox that runs the student's handlers for ONE simulated
 * node at a time (see docs/grading.md, "Isolated nodes"). The trusted grader runs the simulator; whenever that
 * node has an event, it sends this process the invocation (receive, request, timer, ...) with the
 * node's clock readings, and gets back the handler's effects as data (src/sim/handler-context.ts).
 * So nodes cannot share memory (each has its own process), a crash really loses memory (the grader
 * starts a fresh process and gives it only the node's stable storage), and the trace is written by
 * the grader alone.
 *
 * Hosts are pooled: after a simulation the grader sends "reset" and the host serves a node of a later
 * simulation. The student's code runs in a fresh V8 context per simulation (node-runtime.ts, below),
 * so nothing it kept in memory reaches the next simulation.
 *
 * A host can also answer plain function calls ({ op: "call" }) for exercises whose answers are
 * functions, and say what a protocol factory builds ({ op: "describe" }).
 *
 * Started under Node's permission model like the driver sandbox (child.ts): reads only the sandbox
 * folder and node_modules, no writes, no child processes, no workers, no addons, as user nobody when
 * the grader runs as root. In the student's context, Math.random, Date.now, performance.now and
 * `new Date()` are deterministic (node-runtime.ts): a regrade gives the same result.
 *
 * Protocol: one JSON object per line: requests on fd 3, replies on fd 4 (named pipes the grader
 * reads synchronously). Replies: { ok: true, ... } or { ok: false, threw: message }.
 */
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import * as vm from "node:vm";
import { confineModuleLoader } from "./confine";
import { runtimeEntry } from "./node-runtime";

export type { ProtocolShape } from "./node-runtime";

// Captured before any submission code runs: what this host relies on to answer.
const stringify = JSON.stringify;
const parse = JSON.parse;
// Requests arrive on fd 3 and replies go out on fd 4, both read and written synchronously: the
// grader blocks on each reply, and nothing else happens in this process between requests.
const readSync = fs.readSync;
const writeSync = fs.writeSync;
const write = (text: string) => {
  const bytes = Buffer.from(text, "utf8");
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(4, bytes, offset, bytes.length - offset);
};
// reallyExit skips 'exit' handlers, which a submission could use to keep the process alive.
const exit: (code: number) => never =
  (process as unknown as { reallyExit?: (code: number) => never }).reallyExit?.bind(process) ?? process.exit.bind(process);
const moduleName = process.argv[2] as string;
const root = path.resolve(__dirname, "..", "..", "..");

const refuse = () => {
  throw new Error("process.kill is disabled in the grader's sandbox");
};
process.kill = refuse as typeof process.kill;
(process as unknown as { _kill: unknown })._kill = refuse;

// Only the sandbox folder and the packages it may use exist, as far as the module loader can tell.
confineModuleLoader([root, ...(process.env.NODE_PATH ?? "").split(path.delimiter).filter((dir) => dir !== "")]);

// ---- a fresh realm per simulation ----------------------------------------------------------------
//
// The student's module never runs in this realm. Each simulation a node serves gets a new V8
// context with its own globals and built-ins; node-runtime.ts, the kit modules it needs and the
// student's module are loaded into it by a module loader that lives in that context. This realm
// only hands it request lines and writes back its reply lines (strings: no object of this realm is
// ever handed to the context, so its code cannot climb from one to this realm's Function and keep
// state here). On "reset" the context is dropped, and with it every module-level variable, every
// property stuck on a built-in and every patched kit module of the simulation that ended.

const nodePaths = (process.env.NODE_PATH ?? "").split(path.delimiter).filter((dir) => dir !== "");
const allowedDirs = [root, ...nodePaths].map((dir) => (dir.endsWith(path.sep) ? dir : dir + path.sep));
const inside = (file: string) => allowedDirs.some((dir) => file.startsWith(dir));
const isBuiltin = (Module as unknown as { isBuiltin(request: string): boolean }).isBuiltin;
const isFile = (file: string) => fs.statSync(file, { throwIfNoEntry: false })?.isFile() === true;
/** Module code compiled once per process (V8 keeps the compiled code), run in each realm. */
const scripts = new Map<string, vm.Script | string>();

/** A module request from `parent` (both strings) to a file name, "" when not found, or "!" and why it is refused. */
function resolveIn(request: string, parent: string): string {
  if (request.startsWith("node:") || isBuiltin(request)) {
    return `!${request} is one of Node's built-in modules: a node's handlers run without them in the grader (ctx gives clocks, randomness and stable storage)`;
  }
  if (request.startsWith(".") || path.isAbsolute(request)) {
    const base = path.resolve(path.dirname(parent), request);
    for (const candidate of [base, `${base}.js`, `${base}.json`, path.join(base, "index.js")]) {
      if (inside(candidate) && isFile(candidate)) return candidate;
    }
    return "";
  }
  // A package (seedrandom): found by this realm's confined loader, in NODE_PATH.
  const found = require.resolve(request, { paths: [path.dirname(parent)] });
  return inside(found) ? found : "";
}

/** A module's CommonJS wrapper function made in `context` (or a JSON file's text). */
function compileIn(context: vm.Context, file: string): unknown {
  if (!inside(file)) return undefined;
  let script = scripts.get(file);
  if (script === undefined) {
    const text = fs.readFileSync(file, "utf8");
    script = file.endsWith(".json") ? text : new vm.Script(`(function (exports, require, module, __filename, __dirname) {${text}\n})`, { filename: file });
    scripts.set(file, script);
  }
  return typeof script === "string" ? script : script.runInContext(context);
}

/**
 * The context's own module loader (context code: every object it makes belongs to the context). The
 * two hooks it is given are this realm's functions; it keeps them in a closure, calls them with
 * strings only, and drops anything they throw (an error of this realm would lead back here).
 */
const bootstrap = new vm.Script(
  `(function () {
  "use strict";
  const hasOwn = Object.prototype.hasOwnProperty;
  const create = Object.create;
  const ErrorClass = Error;
  const parseJson = JSON.parse;
  const apply = Reflect.apply;
  return function install(resolveHook, compileHook, runtimeFile, moduleName) {
    const cache = create(null);
    const hook = (f, a, b) => { try { return f(a, b); } catch (_) { return undefined; } };
    const dirOf = (file) => file.slice(0, file.lastIndexOf("/")) || "/";
    const notFound = (request) => { const e = new ErrorClass("Cannot find module '" + request + "'"); e.code = "MODULE_NOT_FOUND"; return e; };
    function load(request, parent) {
      const name = "" + request;
      const file = hook(resolveHook, name, parent);
      if (typeof file !== "string" || file === "") throw notFound(name);
      if (file[0] === "!") throw new ErrorClass(file.slice(1));
      if (hasOwn.call(cache, file)) return cache[file].exports;
      const module = { exports: {}, id: file, filename: file, loaded: false };
      cache[file] = module;
      try {
        const code = hook(compileHook, file);
        if (typeof code === "string") module.exports = parseJson(code);
        else if (typeof code === "function") apply(code, module.exports, [module.exports, requireFrom(file), module, file, dirOf(file)]);
        else throw notFound(name);
      } catch (error) {
        delete cache[file];
        throw error;
      }
      module.loaded = true;
      return module.exports;
    }
    function requireFrom(parent) {
      return function require(request) { return load(request, parent); };
    }
    const runtime = load(runtimeFile, runtimeFile);
    const answer = runtime.answer, preload = runtime.preload;
    runtime.install(moduleName, requireFrom(runtimeFile));
    return { answer: (line) => answer(line), preload: () => preload() };
  };
})()`,
  { filename: "node-host-realm.js" },
);

interface Realm {
  answer(line: string): unknown;
  preload(): void;
}

function newRealm(): Realm {
  const context = vm.createContext(Object.create(null) as object, { name: "node", codeGeneration: { strings: true, wasm: false } });
  const install = bootstrap.runInContext(context) as (
    resolveHook: (request: unknown, parent: unknown) => string,
    compileHook: (file: unknown) => unknown,
    runtimeFile: string,
    module: string,
  ) => Realm;
  return install(
    (request, parent) => (typeof request === "string" && typeof parent === "string" ? resolveIn(request, parent) : ""),
    (file) => (typeof file === "string" ? compileIn(context, file) : undefined),
    runtimeEntry,
    moduleName,
  );
}

/** The realm serving the current simulation (made ahead, right after the previous one was dropped). */
let realm: Realm | undefined;
function freshRealm(): void {
  try {
    realm = newRealm();
    realm.preload();
  } catch {
    realm = undefined; // made again (and its error reported) at the next request
  }
}
// ---- the channel -------------------------------------------------------------------------------

/** One request line in, one reply line out: "reset" is this realm's, everything else the context's. */
function answer(line: string): string {
  let op: unknown;
  try {
    op = (parse(line) as { op?: unknown }).op;
  } catch {
    return stringify({ ok: false, threw: "the grader sent a line that is not JSON" });
  }
  if (op === "reset") {
    // Back to the pool: the node and everything its code left in memory go with the realm.
    realm = undefined;
    return stringify({ ok: true });
  }
  try {
    realm ??= newRealm();
    const text = realm.answer(line);
    return typeof text === "string" ? text : stringify({ ok: false, threw: "the node's runtime sent no reply" });
  } catch {
    // Whatever was thrown belongs to the context: it is not looked at here.
    return stringify({ ok: false, threw: "the node's code broke the runtime that runs it" });
  }
}

function serve(): void {
  const chunk = Buffer.alloc(1 << 16);
  let pending: Buffer[] = [];
  for (;;) {
    let n: number;
    try {
      n = readSync(3, chunk, 0, chunk.length, null);
    } catch (error) {
      if ((error as { code?: string }).code === "EAGAIN" || (error as { code?: string }).code === "EINTR") continue;
      throw error;
    }
    if (n <= 0) return; // the grader closed the pipe: stop
    let start = 0;
    for (let newline = chunk.indexOf(10, start); newline >= 0 && newline < n; newline = chunk.indexOf(10, start)) {
      pending.push(Buffer.from(chunk.subarray(start, newline)));
      const line = Buffer.concat(pending).toString("utf8");
      pending = [];
      start = newline + 1;
      write(`${answer(line)}\n`);
      if (realm === undefined) freshRealm(); // the next simulation's, while the grader works
    }
    if (start < n) pending.push(Buffer.from(chunk.subarray(start, n)));
  }
}

freshRealm();
serve();
exit(0);
