/**
 * What a node host (node-host.ts) runs for the student's code, inside a fresh V8 context (a "realm"
 * of its own: its own globals, built-ins and module instances). The host makes a new realm for every
 * simulation a node serves (and for every driver call on its function host), loads this file and
 * the kit modules it needs into it, and hands it each request as a line of JSON text; the reply comes
 * back as text. So nothing of the student's module survives from one simulation to the next: not a
 * module-level table, not a property stuck on a built-in's prototype or on globalThis, not a patched
 * kit module (issue 10: memory carried across simulations on pooled hosts).
 *
 * Loaded only through the realm's own module loader (see node-host.ts); `install` must run before
 * the student's module loads. In the host's own realm this file is loaded too, but only for
 * `runtimeEntry` (nothing is installed there).
 */
import { HandlerContext, invokeHandler, type Effect, type Invocation, type TimerBook } from "../../sim/handler-context";
import type { AnyProtocol, NodeId } from "../../sim/protocol";
import { SeededRandom, type RandomState } from "../../sim/random";

/** This file, for the host to load into each fresh realm. */
export const runtimeEntry: string = __filename;

/** What a protocol looks like from outside: enough for the grader to build its stand-in. */
export interface ProtocolShape {
  readonly name: string;
  readonly receive: string[];
  readonly timers: string[];
  readonly periodically: { readonly name: string; readonly everyMs: number }[];
  readonly request: boolean;
  readonly recover: boolean;
}

// Captured when the realm loads this file, before any submission code: what the runtime relies on.
const stringify = JSON.stringify;
const parse = JSON.parse;
const hasOwn = Object.prototype.hasOwnProperty;

/** The readings of the node's clocks for the invocation being handled (0 between invocations). */
const clockNow = { timeOfDay: 0, monotonic: 0, ratePpm: 0 };
let mathRandom = new SeededRandom("node-host", "math-random");
let moduleName = "";
let loadModule: (request: string) => unknown = () => {
  throw new Error("the node runtime was not installed");
};

/**
 * Makes the realm's globals deterministic and harmless (Math.random from the run's seed, Date and
 * performance.now from the node's simulated clocks, a console that prints nothing) and remembers how
 * to load the student's module. Called once per realm by the host, before the submission loads.
 */
export function install(module: string, load: (request: string) => unknown): void {
  moduleName = module;
  loadModule = load;
  const g = globalThis as unknown as Record<string, unknown>;
  Math.random = () => mathRandom.next();
  const RealDate = Date;
  class DeterministicDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(clockNow.timeOfDay);
      else super(...(args as [string]));
    }
    static now(): number {
      return clockNow.timeOfDay;
    }
  }
  g.Date = DeterministicDate;
  g.performance = { now: () => clockNow.monotonic };
  const quiet = () => undefined;
  // Output of a node host goes nowhere: a console that prints nothing, so debugging prints do not throw.
  g.console = { log: quiet, info: quiet, warn: quiet, error: quiet, debug: quiet, trace: quiet, dir: quiet, table: quiet, time: quiet, timeEnd: quiet, assert: quiet };
  g.structuredClone = clonePlainData;
}

/** structuredClone for a realm without Node's globals: plain data, arrays, Map, Set, Date. */
function clonePlainData(value: unknown, seen = new Map<object, unknown>()): unknown {
  if (typeof value === "function" || typeof value === "symbol") throw new Error(`${String(typeof value)} could not be cloned`);
  if (typeof value !== "object" || value === null) return value;
  if (seen.has(value)) return seen.get(value);
  if (value instanceof Date) return new Date(value.getTime());
  if (value instanceof Map) {
    const out = new Map();
    seen.set(value, out);
    for (const [k, v] of value) out.set(clonePlainData(k, seen), clonePlainData(v, seen));
    return out;
  }
  if (value instanceof Set) {
    const out = new Set();
    seen.set(value, out);
    for (const v of value) out.add(clonePlainData(v, seen));
    return out;
  }
  const out: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
  seen.set(value, out);
  for (const key of Object.keys(value)) (out as Record<string, unknown>)[key] = clonePlainData((value as Record<string, unknown>)[key], seen);
  return out;
}

// ---- the submission ----------------------------------------------------------------------------

let student: Record<string, unknown> | undefined;
let importError: string | undefined;
function load(): Record<string, unknown> {
  if (student !== undefined) return student;
  if (importError !== undefined) throw new Error(importError);
  try {
    student = loadModule(`../../../exercises/${moduleName}`) as Record<string, unknown>;
    return student;
  } catch (error) {
    importError = `loading exercises/${moduleName}.ts failed: ${describe(error)}`;
    throw new Error(importError);
  }
}

/** Loads the student's module now (the host does it while the grader is busy elsewhere); errors wait for the first request. */
export function preload(): void {
  try {
    load();
  } catch {
    // reported by the first request that needs the module
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
  /** Where the node's random stream stands (a simulation carries it from call to call; a search does not). */
  readonly randomState?: RandomState;
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
  const random = new SeededRandom(request.seed, request.randomName, request.randomState);
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
  const effects = ctx.begin();
  const state = invokeHandler(protocol, request.state, request.invocation, ctx);
  return { state, effects: effects.slice(), timerNextId: timers.nextId, randomState: random.state() };
}

function after(hosted: Hosted) {
  return { randomState: hosted.random.state(), timerNextId: hosted.timers.nextId };
}

function setClock(clock: typeof clockNow): void {
  clockNow.timeOfDay = Number(clock?.timeOfDay) || 0;
  clockNow.monotonic = Number(clock?.monotonic) || 0;
  clockNow.ratePpm = Number(clock?.ratePpm) || 0;
}

function handle(request: { op?: unknown; [key: string]: unknown }): unknown {
  switch (request.op) {
    case "start":
      return start(request as unknown as StartRequest);
    case "step":
      return step(request as unknown as StepRequest);
    case "invoke":
      return invoke(request.invocation as Invocation, request.clock as typeof clockNow);
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

function reply(body: Record<string, unknown>): string {
  try {
    return stringify(body);
  } catch (error) {
    return stringify({ ok: false, threw: `the result is not JSON data (${describe(error)})` });
  }
}

/** One request line in, one reply line out (without the newline). */
export function answer(line: string): string {
  let request: { op?: unknown };
  try {
    request = parse(line) as { op?: unknown };
  } catch {
    return reply({ ok: false, threw: "the grader sent a line that is not JSON" });
  }
  try {
    return reply({ ok: true, ...(handle(request) as Record<string, unknown>) });
  } catch (error) {
    return reply({ ok: false, threw: describe(error) });
  }
}
