/**
 * A node host: one process of the grader's sandbox that runs the student's handlers for ONE simulated
 * node (see docs/grading.md, "Isolated nodes"). The trusted grader runs the simulator; whenever that
 * node has an event, it sends this process the invocation (receive, request, timer, ...) with the
 * node's clock readings, and gets back the handler's effects as data (src/sim/handler-context.ts).
 * So nodes cannot share memory (each has its own process), a crash really loses memory (the grader
 * starts a fresh process and gives it only the node's stable storage), and the trace is written by
 * the grader alone.
 *
 * A host can also answer plain function calls ({ op: "call" }) for exercises whose answers are
 * functions, and say what a protocol factory builds ({ op: "describe" }).
 *
 * Started under Node's permission model like the driver sandbox (child.ts): reads only the sandbox
 * folder and node_modules, no writes, no child processes, no workers, no addons, as user nobody when
 * the grader runs as root. Math.random, Date.now, performance.now and `new Date()` are made
 * deterministic before the submission loads: a regrade gives the same result.
 *
 * Protocol: one JSON object per line: requests on fd 3, replies on fd 4 (named pipes the grader
 * reads synchronously). Replies: { ok: true, ... } or { ok: false, threw: message }.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { confineModuleLoader } from "./confine";
import { HandlerContext, invokeHandler, type Effect, type Invocation, type TimerBook } from "../../sim/handler-context";
import type { AnyProtocol, NodeId } from "../../sim/protocol";
import { SeededRandom, type RandomState } from "../../sim/random";

// Captured before any submission code runs: what this host relies on to answer.
const stringify = JSON.stringify;
const parse = JSON.parse;
const hasOwn = Object.prototype.hasOwnProperty;
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

// ---- deterministic globals ---------------------------------------------------------------------

/** The readings of the node's clocks for the invocation being handled (0 between invocations). */
const clockNow = { timeOfDay: 0, monotonic: 0, ratePpm: 0 };
let mathRandom = new SeededRandom("node-host", "math-random");
Math.random = () => mathRandom.next();
const RealDate = Date;
Date.now = () => clockNow.timeOfDay;
class DeterministicDate extends RealDate {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(clockNow.timeOfDay);
    else super(...(args as [string]));
  }
  static now(): number {
    return clockNow.timeOfDay;
  }
}
(globalThis as { Date: DateConstructor }).Date = DeterministicDate as unknown as DateConstructor;
if (typeof performance === "object" && performance !== null) {
  try {
    Object.defineProperty(performance, "now", { value: () => clockNow.monotonic, configurable: true });
  } catch {
    // Left as it is: handlers get their clocks from ctx.clock.
  }
}

// ---- the submission ----------------------------------------------------------------------------

let student: Record<string, unknown> | undefined;
let importError: string | undefined;
function load(): Record<string, unknown> {
  if (student !== undefined) return student;
  if (importError !== undefined) throw new Error(importError);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    student = require(path.join(root, "exercises", moduleName)) as Record<string, unknown>;
    return student;
  } catch (error) {
    importError = `loading exercises/${moduleName}.ts failed: ${describe(error)}`;
    throw new Error(importError);
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

function exported(name: unknown): (...args: unknown[]) => unknown {
  const mod = load();
  if (typeof name !== "string" || !hasOwn.call(mod, name) || typeof mod[name] !== "function") {
    throw new Error(`exercises/${moduleName}.ts has no exported function ${stringify(name)}`);
  }
  return mod[name] as (...args: unknown[]) => unknown;
}

/** What a protocol looks like from outside: enough for the grader to build its stand-in. */
export interface ProtocolShape {
  readonly name: string;
  readonly receive: string[];
  readonly timers: string[];
  readonly periodically: { readonly name: string; readonly everyMs: number }[];
  readonly request: boolean;
  readonly recover: boolean;
}

function isProtocol(value: unknown): value is AnyProtocol {
  const p = value as AnyProtocol;
  return typeof p === "object" && p !== null && typeof p.name === "string" && typeof p.init === "function" && typeof p.receive === "object" && p.receive !== null;
}

function shapeOf(p: AnyProtocol): ProtocolShape {
  return {
    name: p.name,
    receive: Object.keys(p.receive).filter((type) => typeof (p.receive as Record<string, unknown>)[type] === "function"),
    timers: Object.keys(p.timers ?? {}).filter((name) => typeof p.timers?.[name] === "function"),
    periodically: Object.entries(p.periodically ?? {}).map(([name, task]) => ({ name, everyMs: Number((task as { everyMs?: unknown })?.everyMs) })),
    request: typeof p.request === "function",
    recover: typeof p.recover === "function",
  };
}

// ---- the node ----------------------------------------------------------------------------------

interface Hosted {
  protocol: AnyProtocol;
  ctx: HandlerContext;
  random: SeededRandom;
  timers: TimerBook;
  state: unknown;
}
let node: Hosted | undefined;

interface StartRequest {
  readonly op: "start";
  readonly how: "init" | "recover";
  readonly export: string;
  readonly args: unknown[];
  readonly nodeId: NodeId;
  readonly nodes: NodeId[];
  readonly seed: string;
  readonly randomName: string;
  readonly randomState?: RandomState;
  readonly storage: [string, unknown][];
  readonly timerNextId: number;
  readonly clock: typeof clockNow;
}

function start(request: StartRequest) {
  if (node !== undefined) throw new Error("this host already runs a node");
  mathRandom = new SeededRandom(request.seed, `math-random/${request.nodeId}`);
  setClock(request.clock);
  const protocol = exported(request.export)(...request.args);
  if (!isProtocol(protocol)) throw new Error(`${request.export}(...) did not return a protocol (an object with name, init and receive)`);
  const random = new SeededRandom(request.seed, request.randomName, request.randomState);
  const timers: TimerBook = { nextId: request.timerNextId, pending: new Set() };
  const ctx = new HandlerContext({
    nodeId: request.nodeId,
    nodes: request.nodes,
    protocol,
    random,
    storage: new Map(request.storage),
    timers,
    detached: true,
    clock: { timeOfDay: () => clockNow.timeOfDay, monotonic: () => clockNow.monotonic, ratePpm: () => clockNow.ratePpm },
  });
  const hosted: Hosted = { protocol, ctx, random, timers, state: undefined };
  node = hosted;
  const effects = ctx.begin();
  hosted.state = invokeHandler(protocol, undefined, { kind: request.how }, ctx);
  return { effects: effects.slice(), shape: shapeOf(protocol), ...after(hosted) };
}

function invoke(invocation: Invocation & { readonly timerId?: number }, clock: typeof clockNow) {
  const hosted = node;
  if (hosted === undefined) throw new Error("no node started on this host");
  setClock(clock);
  if (invocation.kind === "timer" && typeof invocation.timerId === "number") hosted.timers.pending.delete(invocation.timerId);
  const effects: Effect[] = hosted.ctx.begin();
  const call: Invocation = invocation.kind === "timer" ? { kind: "timer", name: invocation.name, data: invocation.data } : invocation;
  hosted.state = invokeHandler(hosted.protocol, hosted.state, call, hosted.ctx);
  return { effects: effects.slice(), ...after(hosted) };
}

/**
 * A node-less call for the grader's explorer (src/grading/explore.ts): the node's state comes with
 * the request and goes back with the effects, so the trusted side holds every state and can branch.
 * State is plain data by contract; nothing of the node stays here between calls except the factory's
 * protocol object (cached by its arguments). Math.random and the handler's random stream are seeded
 * from the name the grader gives this call, so the same (state, event) gives the same reply anywhere.
 */
interface StepRequest {
  readonly export: string;
  readonly args: unknown[];
  readonly nodeId: NodeId;
  readonly nodes: NodeId[];
  readonly seed: string;
  readonly randomName: string;
  readonly storage: [string, unknown][];
  readonly timerNextId: number;
  readonly pending: number[];
  readonly clock: typeof clockNow;
  readonly state: unknown;
  readonly invocation: Invocation;
}
const stepProtocols = new Map<string, AnyProtocol>();

function step(request: StepRequest) {
  const key = stringify([request.export, request.args]);
  let protocol = stepProtocols.get(key);
  if (protocol === undefined) {
    const made = exported(request.export)(...request.args);
    if (!isProtocol(made)) throw new Error(`${request.export}(...) did not return a protocol (an object with name, init and receive)`);
    protocol = made;
    stepProtocols.set(key, protocol);
  }
  mathRandom = new SeededRandom(request.seed, `math-random/${request.randomName}`);
  setClock(request.clock);
  const timers: TimerBook = { nextId: request.timerNextId, pending: new Set(request.pending) };
  const ctx = new HandlerContext({
    nodeId: request.nodeId,
    nodes: request.nodes,
    protocol,
    random: new SeededRandom(request.seed, request.randomName),
    storage: new Map(request.storage),
    timers,
    detached: true,
    clock: { timeOfDay: () => clockNow.timeOfDay, monotonic: () => clockNow.monotonic, ratePpm: () => clockNow.ratePpm },
  });
  const effects = ctx.begin();
  const state = invokeHandler(protocol, request.state, request.invocation, ctx);
  return { state, effects: effects.slice(), timerNextId: timers.nextId };
}

function after(hosted: Hosted) {
  return { randomState: hosted.random.state(), timerNextId: hosted.timers.nextId };
}

function setClock(clock: typeof clockNow): void {
  clockNow.timeOfDay = Number(clock?.timeOfDay) || 0;
  clockNow.monotonic = Number(clock?.monotonic) || 0;
  clockNow.ratePpm = Number(clock?.ratePpm) || 0;
}

// ---- the channel -------------------------------------------------------------------------------

function handle(request: { op?: unknown; [key: string]: unknown }): unknown {
  switch (request.op) {
    case "start":
      return start(request as unknown as StartRequest);
    case "step":
      return step(request as unknown as StepRequest);
    case "invoke":
      return invoke(request.invocation as Invocation, request.clock as typeof clockNow);
    case "reset":
      // Back to the pool: the node is dropped. Module-level state stays, but this host never serves
      // two nodes of one run, and a node that crashed never gets its old host back.
      node = undefined;
      setClock({ timeOfDay: 0, monotonic: 0, ratePpm: 0 });
      return {};
    case "describe": {
      const value = exported(request.export)(...(request.args as unknown[]));
      if (!isProtocol(value)) return { value: null, protocol: false };
      return { protocol: true, shape: shapeOf(value) };
    }
    case "call": {
      // A plain function of the exercise: the value it returns (JSON), or the shape of a protocol.
      const value = exported(request.export)(...(request.args as unknown[]));
      if (isProtocol(value)) return { protocol: true, shape: shapeOf(value) };
      return { protocol: false, value };
    }
    default:
      throw new Error(`unknown request ${stringify(request.op)}`);
  }
}

function reply(body: Record<string, unknown>): void {
  let line: string;
  try {
    line = stringify(body);
  } catch (error) {
    line = stringify({ ok: false, threw: `the result is not JSON data (${describe(error)})` });
  }
  write(`${line}\n`);
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
      answer(line);
    }
    if (start < n) pending.push(Buffer.from(chunk.subarray(start, n)));
  }
}

function answer(line: string): void {
  let request: { op?: unknown };
  try {
    request = parse(line) as { op?: unknown };
  } catch {
    reply({ ok: false, threw: "the grader sent a line that is not JSON" });
    return;
  }
  try {
    reply({ ok: true, ...(handle(request) as Record<string, unknown>) });
  } catch (error) {
    reply({ ok: false, threw: describe(error) });
  }
}

serve();
exit(0);
