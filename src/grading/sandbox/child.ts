/**
 * The grader's sandbox process (see docs/grading.md). Runs drivers on the student's module and sends
 * back plain data over fd 3; it never judges. It is started by src/grading/sandbox/executor.ts under
 * Node's permission model (reads only the sandbox folder and node_modules; no writes, no child
 * processes, no workers, no addons), as an unprivileged user when the grader runs as root.
 * Nothing it sends is trusted: a submission can write to fd 3 too, but all it can forge is output,
 * and output is what the trusted checks judge.
 *
 * Protocol: one JSON object per line. In: { id, driver, input }. Out: { id, kind: "output", output }
 * or { id, kind: "threw", message }.
 */
import * as net from "node:net";
import * as path from "node:path";
import { confineModuleLoader } from "./confine";
import { SeededRandom } from "../../sim/random";

const moduleName = process.argv[2];
const root = path.resolve(__dirname, "..", "..", "..");
const channel = new net.Socket({ fd: 3, readable: true, writable: true });
const stringify = JSON.stringify;

// Deterministic globals, set before any submission code loads: Math.random is a stream seeded by
// each request (its driver and input), Date.now and performance.now stand still. A regrade of the
// same file gives the same score.
const stableNowMs = 1_700_000_000_000;
let mathRandom = new SeededRandom("sandbox", "math-random");
Math.random = () => mathRandom.next();
Date.now = () => stableNowMs;
try {
  Object.defineProperty(performance, "now", { value: () => 0, configurable: true });
} catch {
  // left as it is
}

// Signals are the one thing the permission model leaves open that could reach the grader.
const refuse = () => {
  throw new Error("process.kill is disabled in the grader's sandbox");
};
process.kill = refuse as typeof process.kill;
(process as unknown as { _kill: unknown })._kill = refuse;

// Only the sandbox folder and the packages it may use exist, as far as the module loader can tell.
confineModuleLoader([root, ...(process.env.NODE_PATH ?? "").split(path.delimiter).filter((dir) => dir !== "")]);

// eslint-disable-next-line @typescript-eslint/no-require-imports
const drivers = require(path.join(root, "src", "grading", "specs", "drivers", moduleName)).drivers as {
  [name: string]: (student: unknown, input: unknown) => unknown;
};

let student: unknown;
let importError: string | undefined;
let loaded = false;
function load(): void {
  if (loaded) return;
  loaded = true;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    student = require(path.join(root, "exercises", moduleName));
  } catch (error) {
    importError = `loading exercises/${moduleName}.ts failed: ${describe(error)}`;
  }
}

function describe(error: unknown): string {
  try {
    if (error instanceof Error) return `${error.name}: ${error.message}`;
    return String(error);
  } catch {
    return "an unprintable value";
  }
}

function reply(message: { id: number; kind: string; output?: unknown; message?: string }): void {
  let line: string;
  try {
    line = stringify(message);
  } catch (error) {
    line = stringify({ id: message.id, kind: "threw", message: `the result is not JSON data (${describe(error)})` });
  }
  channel.write(`${line}\n`);
}

async function handle(request: { id: number; driver: string; input: unknown }): Promise<void> {
  mathRandom = new SeededRandom(`${request.driver}\u0000${stringify(request.input)}`, "math-random");
  load();
  if (importError !== undefined) return reply({ id: request.id, kind: "threw", message: importError });
  const driver = drivers[request.driver];
  if (driver === undefined) return reply({ id: request.id, kind: "threw", message: `no driver ${request.driver}` });
  try {
    const output = await driver(student, request.input);
    reply({ id: request.id, kind: "output", output });
  } catch (error) {
    reply({ id: request.id, kind: "threw", message: describe(error) });
  }
}

let buffered = "";
let queue: Promise<void> = Promise.resolve();
channel.setEncoding("utf8");
channel.on("data", (chunk: string) => {
  buffered += chunk;
  let newline = buffered.indexOf("\n");
  while (newline >= 0) {
    const line = buffered.slice(0, newline);
    buffered = buffered.slice(newline + 1);
    const request = JSON.parse(line) as { id: number; driver: string; input: unknown };
    queue = queue.then(() => handle(request));
    newline = buffered.indexOf("\n");
  }
});
// The grader closing the channel means: stop.
channel.on("end", () => process.exit(0));
