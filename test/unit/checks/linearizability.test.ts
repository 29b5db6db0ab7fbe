import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as fc from "fast-check";
import {
  UNKNOWN, casRegister, checkLinearizable, keyValueStore, parseEdn, readEtcdLog, readKnossosCasRegister, readKnossosMultiRegister,
  readKnossosMutex, readPorcupineKv, register, type Operation, type RegisterInput, type RegisterOutput,
} from "../../../src/checks/linearizability/index";
import { corpusDir } from "../../data/locate";

type RegisterOp = Operation<RegisterInput, RegisterOutput>;
const read = (client: string, call: number, ret: number, value: RegisterOutput): RegisterOp => ({ client, input: { op: "read" }, output: value, call, ret });
const write = (client: string, call: number, ret: number | null, value: number): RegisterOp => ({ client, input: { op: "write", value }, output: ret === null ? UNKNOWN : null, call, ret });

/** Every order of the operations that respects real time, tried one by one (small histories only). */
function bruteForce(history: readonly RegisterOp[], initial: number): boolean {
  const model = casRegister(initial);
  const search = (done: Set<number>, state: RegisterOutput): boolean => {
    const remaining = history.map((_, i) => i).filter((i) => !done.has(i));
    if (remaining.every((i) => history[i]!.ret === null)) return true; // the rest may never have happened
    for (const i of remaining) {
      // i may go next only if no remaining operation responded before i was called
      if (remaining.some((j) => j !== i && history[j]!.ret !== null && history[j]!.ret! < history[i]!.call)) continue;
      const after = model.step(state as number, history[i]!.input, history[i]!.output);
      if (after !== undefined && search(new Set([...done, i]), after)) return true;
    }
    return false;
  };
  return search(new Set(), initial);
}

describe("checks: linearizability", () => {
  it("accepts a read that overlaps a write and returns either value, and names the read that cannot be linearized", () => {
    // Slide "Linearizability": a write of 1 is acknowledged; a read that starts afterwards must see it.
    const overlapping = [write("a", 0, 10, 1), read("b", 5, 15, 0), read("c", 6, 16, 1)];
    assert.equal(checkLinearizable(overlapping, register(0)).verdict, "linearizable");
    const stale = [write("a", 0, 10, 1), read("b", 5, 15, 1), read("c", 20, 30, 0)];
    const result = checkLinearizable(stale, register(0));
    assert.equal(result.verdict, "not linearizable");
    assert.equal(result.counterexample?.culprit, 2);
    assert.deepEqual(result.counterexample?.prefix, [0, 1]);
    assert.match(result.message, /operation 2 of client c, read -> 0 \[20, 30\] cannot take effect after the 2 operations/);
  });

  it("gives a linearization that respects real time and the model", () => {
    const history = [write("a", 0, 10, 1), read("b", 2, 4, 0), write("c", 12, 20, 2), read("b", 13, 14, 1), read("a", 21, 22, 2)];
    const result = checkLinearizable(history, register(0));
    assert.equal(result.verdict, "linearizable");
    assert.deepEqual(result.linearization, [1, 0, 3, 2, 4]);
  });

  it("lets an operation with no response take effect late, or never", () => {
    const late = [write("a", 0, null, 1), read("b", 50, 60, 0), read("b", 70, 80, 1)];
    assert.equal(checkLinearizable(late, register(0)).verdict, "linearizable");
    const never = [write("a", 0, null, 1), read("b", 50, 60, 0)];
    assert.equal(checkLinearizable(never, register(0)).verdict, "linearizable");
    const flickers = [write("a", 0, null, 1), read("b", 50, 60, 1), read("b", 70, 80, 0)];
    assert.equal(checkLinearizable(flickers, register(0)).verdict, "not linearizable");
  });

  it("checks compare-and-swap outcomes: a failed CAS saw another value", () => {
    const cas = (client: string, call: number, ret: number, from: number, to: number, ok: boolean): RegisterOp => ({ client, input: { op: "cas", from, to }, output: ok, call, ret });
    assert.equal(checkLinearizable([cas("a", 0, 1, 0, 5, true), cas("b", 2, 3, 0, 6, true)], casRegister(0)).verdict, "not linearizable");
    assert.equal(checkLinearizable([cas("a", 0, 10, 0, 5, true), cas("b", 2, 12, 0, 6, false), read("c", 13, 14, 5)], casRegister(0)).verdict, "linearizable");
  });

  it("checks a key-value store key by key and names the key that fails", () => {
    const op = (client: string, call: number, ret: number, input: { op: "get" | "put" | "append"; key: string; value?: string }, output: string | null) =>
      ({ client, call, ret, input: input.op === "get" ? { op: "get" as const, key: input.key } : { op: input.op, key: input.key, value: input.value ?? "" }, output });
    const history = [op("a", 0, 1, { op: "put", key: "x", value: "1" }, null), op("a", 2, 3, { op: "append", key: "y", value: "q" }, null), op("b", 4, 5, { op: "get", key: "y" }, "q"), op("b", 6, 7, { op: "get", key: "x" }, "")];
    const result = checkLinearizable(history, keyValueStore());
    assert.equal(result.verdict, "not linearizable");
    assert.equal(result.counterexample?.partition, "x");
    assert.match(result.message, /\(key x\).*get\(x\) -> ""/);
  });

  it("returns unknown, not a hang, when the step budget runs out", () => {
    const history = Array.from({ length: 12 }, (_, i) => write(`c${i}`, 0, 100, i)).concat([read("r", 101, 102, 11)]);
    const result = checkLinearizable(history, register(0), { maxSteps: 5 });
    assert.equal(result.verdict, "unknown");
    assert.equal(result.ok, false);
    assert.match(result.message, /gave up after 5 steps/);
    assert.throws(() => checkLinearizable(history, register(0), { maxSteps: 0 }), /maxSteps must be a positive integer/);
  });

  it("refuses malformed histories, naming the operation", () => {
    assert.throws(() => checkLinearizable([write("a", 10, 5, 1)], register(0)), /operation 0 \(client a\): responds at 5, before its call at 10/);
    assert.throws(() => checkLinearizable([write("a", 0, 10, 1), read("a", 5, 15, 1)], register(0)), /operation 1 \(client a\): called at 5 while the client's operation 0 was still open/);
    assert.throws(() => checkLinearizable([{ client: "a", input: { op: "read" }, output: 3, call: 0, ret: null }], register(0)), /has no response, so its output must be UNKNOWN/);
    assert.throws(() => checkLinearizable([{ ...write("a", 0, 1, 1), call: Number.NaN }], register(0)), /call must be a finite number/);
  });

  it("agrees with trying every order, on random small register histories", () => {
    const history = fc.array(
      fc.record({ client: fc.integer({ min: 0, max: 3 }), start: fc.integer({ min: 0, max: 20 }), length: fc.integer({ min: 0, max: 10 }), kind: fc.constantFrom("read", "write", "lost write"), value: fc.integer({ min: 0, max: 2 }) }),
      { maxLength: 7 },
    ).map((specs) => {
      // Space each client's operations out so they never overlap.
      const free = new Map<number, number>();
      return specs.map((spec, i): RegisterOp => {
        const call = Math.max(spec.start, (free.get(spec.client) ?? -1) + 1) * 2 + (i % 2);
        const ret = call + spec.length * 2 + 1;
        free.set(spec.client, spec.kind === "lost write" ? Infinity : Math.ceil(ret / 2));
        const client = `c${spec.client}${spec.kind === "lost write" ? `-lost${i}` : ""}`;
        return spec.kind === "read" ? read(client, call, ret, spec.value) : write(client, call, spec.kind === "lost write" ? null : ret, spec.value);
      }).filter((op) => Number.isFinite(op.call));
    });
    fc.assert(fc.property(history, (ops) => {
      assert.equal(checkLinearizable(ops, register(0)).ok, bruteForce(ops, 0), JSON.stringify(ops));
    }), { numRuns: 400, seed: 7 });
  });

  it("reads EDN, and names the line of a syntax error", () => {
    assert.deepEqual(parseEdn('; a comment\n[{:process 1, :type :invoke, :f :cas, :value [1 2]} #_ignored nil "s\\"q" -3 true]'), [[{ process: 1, type: "invoke", f: "cas", value: [1, 2] }, null, 's"q', -3, true]]);
    assert.throws(() => parseEdn("[{:a 1}\n {:b}]", "h.edn"), /h\.edn line 2, column \d+: a map needs an even number of forms/);
    assert.throws(() => parseEdn("[1 2", "h.edn"), /missing "\]"/);
    assert.throws(() => readEtcdLog("INFO  jepsen.util - 1\t:invoke\t:read\tnil\nnonsense\n", "e.log"), /e\.log line 2: not a Jepsen event/);
    assert.throws(() => readEtcdLog("INFO  jepsen.util - 1\t:ok\t:read\tnil\n", "e.log"), /completes an operation it never invoked/);
  });
});

describe("checks: linearizability on the Jepsen, porcupine and Knossos corpus", function () {
  this.timeout(120_000);
  const root = corpusDir("linearizability");

  it("gives every etcd log and kv history its expected verdict (expected.tsv)", () => {
    const expected = fs.readFileSync(path.join(root, "expected.tsv"), "utf8").trim().split("\n").slice(1).map((line) => line.split("\t") as [string, string]);
    let checked = 0;
    for (const [file, want] of expected) {
      const text = fs.readFileSync(path.join(root, file), "utf8");
      if (text.trim() === "") continue; // etcd_095.log is empty upstream (the cluster did not start)
      let result;
      if (file.startsWith("kv/")) {
        const { history, model } = readPorcupineKv(text, file);
        result = checkLinearizable(history, model);
      } else {
        const { history, model } = readEtcdLog(text, file);
        result = checkLinearizable(history, model);
      }
      assert.equal(String(result.ok), want, `${file}: ${result.message}`);
      if (!result.ok) assert.ok(result.counterexample !== undefined && result.counterexample.culprit >= 0, file);
      checked++;
    }
    assert.equal(checked, 108); // 102 etcd logs and 6 kv histories
  });

  it("gives every Knossos history the verdict of its folder (good/ or bad/)", () => {
    const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
    const files = walk(path.join(root, "knossos", "data")).filter((f) => f.endsWith(".edn"));
    for (const file of files) {
      const text = fs.readFileSync(file, "utf8");
      const name = path.relative(root, file);
      const check = (): boolean => {
        if (file.includes("/multi-register/")) {
          const { history, model } = readKnossosMultiRegister(text, { x: 0, y: 0 }, name);
          return checkLinearizable(history, model).ok;
        }
        if (file.includes("/mutex/")) {
          const { history, model } = readKnossosMutex(text, name);
          return checkLinearizable(history, model).ok;
        }
        const { history, model } = readKnossosCasRegister(text, 0, name);
        return checkLinearizable(history, model).ok;
      };
      assert.equal(check(), file.includes("/good/"), name);
    }
    assert.equal(files.length, 122);
  });
});
