/**
 * Node hosts are pooled across simulations (src/grading/sandbox/nodes.ts), but the student's code
 * runs in a fresh V8 context per simulation (node-host.ts, node-runtime.ts): nothing it keeps in
 * memory (a module variable, globalThis, a built-in's prototype, a patched kit module) reaches the
 * next simulation, and nothing of the host's own realm is reachable from the context.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { prepareSubmission, type PreparedSubmission } from "../../../src/grading/prepare";
const kitRoot = path.resolve(__dirname, "..", "..", "..");
import { NodeHosts, StudentError, studentModule } from "../../../src/grading/sandbox/nodes";

const leaky = `import type { Protocol } from "../src/sim/protocol";
import { SeededRandom } from "../src/sim/random";

let runs = 0;

/** Counts, in every place memory could outlive a simulation, how many simulations it has seen. */
export function leaky(): Protocol<{}, { type: string }> {
  return {
    name: "leaky",
    init: (ctx) => {
      runs += 1;
      const g = globalThis as unknown as { runs?: number };
      g.runs = (g.runs ?? 0) + 1;
      const proto = Array.prototype as unknown as { runs?: number };
      proto.runs = (proto.runs ?? 0) + 1;
      const kit = SeededRandom as unknown as { runs?: number };
      kit.runs = (kit.runs ?? 0) + 1;
      ctx.log(JSON.stringify({ module: runs, global: g.runs, prototype: proto.runs, kit: kit.runs }));
      return {};
    },
    receive: {},
  };
}

/** A plain function with memory: how often it was called. */
export function calls(): number {
  runs += 1;
  return runs;
}

/** Tries to climb out of its context; logs what it reached. */
export function climber(): Protocol<{}, { type: string }> {
  return {
    name: "climber",
    init: (ctx) => {
      const reached: Record<string, string> = {};
      const viaFunction = Function("return this")() as { process?: unknown };
      reached.functionGlobal = typeof viaFunction.process;
      const viaCtx = (ctx as unknown as { constructor: { constructor: FunctionConstructor } }).constructor.constructor("return this")() as { process?: unknown };
      reached.ctxGlobal = typeof viaCtx.process;
      const viaStorage = (ctx.storage as unknown as { constructor: { constructor: FunctionConstructor } }).constructor.constructor("return this")() as { process?: unknown };
      reached.storageGlobal = typeof viaStorage.process;
      reached.processGlobal = typeof (globalThis as { process?: unknown }).process;
      reached.require = typeof (globalThis as { require?: unknown }).require;
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require("node:fs");
        reached.fs = "loaded";
      } catch (error) {
        reached.fs = String((error as Error).message);
      }
      reached.now = String(Date.now());
      reached.random = String(Math.random() < 1);
      console.log("printing is harmless");
      ctx.log(JSON.stringify(reached));
      return {};
    },
    receive: {},
  };
}
`;

describe("grading: node hosts give each simulation a fresh realm", function () {
  this.timeout(120_000);
  let prepared: PreparedSubmission;
  let hosts: NodeHosts;
  before(async () => {
    const submission = fs.mkdtempSync(path.join(os.tmpdir(), "realms-"));
    fs.mkdirSync(path.join(submission, "exercises"));
    fs.writeFileSync(path.join(submission, "exercises", "leaky.ts"), leaky);
    prepared = await prepareSubmission(submission, kitRoot, []);
    fs.rmSync(submission, { recursive: true, force: true });
    hosts = new NodeHosts({ root: prepared.root, nodeModules: path.join(kitRoot, "node_modules"), module: "leaky" });
  });
  after(() => {
    hosts?.close();
    prepared?.cleanup();
  });

  const start = (hostId: number, factory: string) =>
    hosts.call(hostId, {
      op: "start", how: "init", export: factory, args: [], nodeId: "A", nodes: ["A"], seed: "s", randomName: "node/A",
      storage: [], timerNextId: 1, clock: { timeOfDay: 1234, monotonic: 5, ratePpm: 0 },
    });
  const logged = (reply: Record<string, unknown>) => {
    const log = (reply.effects as { kind: string; text?: string }[]).find((e) => e.kind === "log");
    assert.ok(log !== undefined, JSON.stringify(reply));
    return JSON.parse(log.text as string) as Record<string, unknown>;
  };

  it("module variables, globalThis, built-in prototypes and kit modules start afresh in every simulation on a reused host", () => {
    const seen: unknown[] = [];
    const used = new Set<number>();
    for (let run = 0; run < 4; run++) {
      const hostId = hosts.acquire({});
      used.add(hostId);
      seen.push(logged(start(hostId, "leaky")));
      hosts.endRun();
    }
    assert.ok(used.size < 4, "the pool reused a host (else this test proves nothing)");
    for (const counts of seen) assert.deepEqual(counts, { module: 1, global: 1, prototype: 1, kit: 1 });
  });

  it("the function host (plain function calls) starts afresh at every driver call", () => {
    const student = studentModule(hosts);
    assert.deepEqual([student.calls(), student.calls()], [1, 2]);
    hosts.endRun();
    assert.equal(student.calls(), 1);
    hosts.endRun();
  });

  it("within one simulation the node keeps its memory (the realm lives until the reset)", () => {
    const hostId = hosts.acquire({});
    start(hostId, "leaky");
    assert.throws(() => start(hostId, "leaky"), (error: unknown) => error instanceof StudentError && /already runs a node/.test(error.message));
    hosts.endRun();
  });

  it("the context reaches nothing of the host's realm: no process, no require of Node's modules, deterministic clocks", () => {
    const hostId = hosts.acquire({});
    const reached = logged(start(hostId, "climber"));
    hosts.endRun();
    assert.equal(reached.functionGlobal, "undefined");
    assert.equal(reached.ctxGlobal, "undefined");
    assert.equal(reached.storageGlobal, "undefined");
    assert.equal(reached.processGlobal, "undefined");
    assert.equal(reached.require, "undefined");
    assert.match(String(reached.fs), /node:fs is one of Node's built-in modules/);
    assert.equal(reached.now, "1234");
    assert.equal(reached.random, "true");
  });
});
