/**
 * The text CRDT's speed (part of `npm run bench`): replaying the automerge paper trace (259,778 edits,
 * test/data/editing-traces) through the kit's RGA (src/protocols/crdt/rga-text.ts) beside Yjs in
 * the same process, one transaction per edit and all edits in one transaction. Reports the time
 * (best of BENCH_REPEATS, default 2), the heap the finished document holds, and its encoded size.
 * Run alone: `node --expose-gc -r tsx/cjs bench/text-crdt.bench.ts`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { replaySequential, type SequentialTrace } from "../src/protocols/crdt/editing-traces";
import { corpusDir } from "../test/data/locate";

interface Row {
  readonly name: string;
  readonly ms: number;
  readonly heapMB: number;
  readonly encodedBytes: number;
  readonly correct: boolean;
}

const gc = (globalThis as { gc?: () => void }).gc;

function heapUsed(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

/** Best time of `repeats` runs; heap and size measured on the last run's document. */
function measure<D>(name: string, repeats: number, replay: () => D, text: (doc: D) => string, encode: (doc: D) => Uint8Array, expected: string): Row {
  let best = Infinity;
  let doc: D | undefined;
  let heap = 0;
  for (let k = 0; k < repeats; k++) {
    doc = undefined;
    const before = heapUsed();
    const started = process.hrtime.bigint();
    doc = replay();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
    heap = heapUsed() - before;
  }
  return { name, ms: best, heapMB: heap / 2 ** 20, encodedBytes: encode(doc!).byteLength, correct: text(doc!) === expected };
}

/**
 * The part of Yjs this benchmark uses, typed here: yjs ships its types as an ES module, which this
 * CommonJS file may not `import` under TypeScript's nodenext rules (TS1479), so it is required.
 */
interface YText {
  insert(index: number, text: string): void;
  delete(index: number, length: number): void;
  toString(): string;
}
interface YDoc {
  getText(name: string): YText;
  transact(f: () => void): void;
}
interface YjsModule {
  Doc: new () => YDoc;
  encodeStateAsUpdate(doc: YDoc): Uint8Array;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Y = require("yjs") as YjsModule;

export function benchTextCrdt(repeats = 2): Row[] {
  const trace = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(corpusDir("editing-traces"), "automerge-paper.json.gz"))).toString("utf8")) as SequentialTrace;
  const yjs = (oneTransaction: boolean) => (): YDoc => {
    const doc = new Y.Doc();
    const text = doc.getText("text");
    const edit = (): void => {
      for (const txn of trace.txns) {
        for (const [position, deleted, inserted] of txn.patches) {
          if (deleted > 0) text.delete(position, deleted);
          if (inserted !== "") text.insert(position, inserted);
        }
      }
    };
    if (oneTransaction) doc.transact(edit);
    else edit();
    return doc;
  };
  const yText = (doc: YDoc) => doc.getText("text").toString();
  return [
    measure("kit RGA (one operation per edit)", repeats, () => replaySequential(trace), (doc) => doc.toString(), (doc) => doc.encode(), trace.endContent),
    measure("Yjs, one transaction per edit", repeats, yjs(false), yText, (doc) => Y.encodeStateAsUpdate(doc), trace.endContent),
    measure("Yjs, all edits in one transaction", repeats, yjs(true), yText, (doc) => Y.encodeStateAsUpdate(doc), trace.endContent),
  ];
}

if (require.main === module) {
  console.log("\nText CRDT: the automerge paper trace (259,778 edits) replayed, beside Yjs in the same run:");
  if (gc === undefined) console.log("  (run with --expose-gc for heap figures)");
  const rows = benchTextCrdt(Number(process.env.BENCH_REPEATS ?? 2));
  for (const row of rows) {
    console.log(`  ${row.name.padEnd(36)} ${row.ms.toFixed(0).padStart(6)} ms   heap ${row.heapMB.toFixed(1).padStart(6)} MB   encoded ${(row.encodedBytes / 1024).toFixed(0).padStart(5)} KiB   final text ${row.correct ? "right" : "WRONG"}`);
  }
  const [kit, ...yjs] = rows;
  const met = kit!.correct && yjs.every((row) => kit!.ms < row.ms);
  console.log(`  faster than Yjs (both ways) with the right text: ${met ? "met" : "NOT met"} (${yjs.map((row) => `${(row.ms / kit!.ms).toFixed(1)}x`).join(", ")} faster)`);
  const dir = path.join(__dirname, "results");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "text-crdt.json"), JSON.stringify({ node: process.version, rows }, null, 2));
}
