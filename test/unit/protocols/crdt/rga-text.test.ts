import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import * as fc from "fast-check";
import { RgaText, type TextOp } from "../../../../src/protocols/crdt/rga-text";
import { replayConcurrent, replaySequential, replaySplit, type ConcurrentTrace, type SequentialTrace } from "../../../../src/protocols/crdt/editing-traces";
import { corpusDir } from "../../../data/locate";

/** The same algorithm one character at a time, in a plain array: the reference the runs must agree with. */
class CharByCharRga {
  private chars: { agent: string; ts: number; char: string; deleted: boolean }[] = [];
  apply(op: TextOp): void {
    if (op.type === "delete") {
      for (let k = 0; k < op.length; k++) this.chars.find((c) => c.agent === op.agent && c.ts === op.ts + k)!.deleted = true;
      return;
    }
    let origin = op.origin;
    for (let k = 0; k < op.text.length; k++) {
      const ts = op.ts + k;
      let i = origin === null ? 0 : this.chars.findIndex((c) => c.agent === origin!.agent && c.ts === origin!.ts) + 1;
      while (i < this.chars.length && (this.chars[i]!.ts > ts || (this.chars[i]!.ts === ts && this.chars[i]!.agent > op.agent))) i++;
      this.chars.splice(i, 0, { agent: op.agent, ts, char: op.text[k]!, deleted: false });
      origin = { agent: op.agent, ts };
    }
  }
  toString(): string {
    return this.chars.filter((c) => !c.deleted).map((c) => c.char).join("");
  }
}

type Edit = { replica: number; kind: "insert" | "delete"; at: number; size: number; text: string; deliver: number };
const edits = fc.array(
  fc.record({ replica: fc.integer({ min: 0, max: 2 }), kind: fc.constantFrom("insert", "insert", "delete"), at: fc.nat(), size: fc.integer({ min: 1, max: 4 }), text: fc.string({ minLength: 1, maxLength: 4 }), deliver: fc.nat() }),
  { maxLength: 40 },
);

/**
 * Three replicas edit at random; each operation reaches the others after a random number of later
 * steps, but never before an operation it causally depends on (tracked with vector clocks).
 */
function runConcurrently(plan: readonly Edit[]): { docs: RgaText[]; references: CharByCharRga[] } {
  const docs = [0, 1, 2].map((r) => new RgaText(`r${r}`));
  const references = [0, 1, 2].map(() => new CharByCharRga());
  const seen = [0, 1, 2].map(() => [0, 0, 0]); // seen[a][r]: r's operations a has applied
  const sent: { from: number; op: TextOp; deps: number[]; index: number }[][] = [[], [], []];
  const inbox: { from: number; index: number; readyAt: number }[][] = [[], [], []];
  const deliverSome = (step: number, all: boolean): void => {
    for (let progress = true; progress;) {
      progress = false;
      for (let a = 0; a < 3; a++) {
        for (const item of inbox[a]!) {
          const message = sent[item.from]![item.index]!;
          if (!all && item.readyAt > step) continue;
          if (seen[a]![item.from] !== item.index || message.deps.some((d, r) => r !== item.from && seen[a]![r]! < d)) continue;
          docs[a]!.apply(message.op);
          references[a]!.apply(message.op);
          seen[a]![item.from]!++;
          inbox[a] = inbox[a]!.filter((x) => x !== item);
          progress = true;
          break;
        }
      }
    }
  };
  plan.forEach((edit, step) => {
    const doc = docs[edit.replica]!;
    const ops: TextOp[] = [];
    if (edit.kind === "insert") ops.push(doc.insert(edit.at % (doc.length + 1), edit.text));
    else if (doc.length > 0) {
      const at = edit.at % doc.length;
      ops.push(...doc.delete(at, Math.min(edit.size, doc.length - at)));
    }
    for (const op of ops) {
      references[edit.replica]!.apply(op);
      const index = sent[edit.replica]!.length;
      sent[edit.replica]!.push({ from: edit.replica, op, deps: [...seen[edit.replica]!], index });
      seen[edit.replica]![edit.replica]!++;
      for (let a = 0; a < 3; a++) if (a !== edit.replica) inbox[a]!.push({ from: edit.replica, index, readyAt: step + (edit.deliver % 6) });
    }
    deliverSome(step, false);
  });
  deliverSome(Infinity, true);
  return { docs, references };
}

describe("protocols: RGA text CRDT", () => {
  it("edited by one replica, it is the text a plain string would hold (edits keep their intention)", () => {
    fc.assert(fc.property(fc.array(fc.record({ at: fc.nat(), del: fc.nat({ max: 5 }), text: fc.string({ maxLength: 6 }) }), { maxLength: 60 }), (patches) => {
      const doc = new RgaText("a");
      let plain = "";
      for (const { at, del, text } of patches) {
        const position = at % (plain.length + 1);
        const deleted = Math.min(del, plain.length - position);
        if (deleted > 0) doc.delete(position, deleted);
        if (text !== "") doc.insert(position, text);
        plain = plain.slice(0, position) + text + plain.slice(position + deleted);
        assert.equal(doc.length, plain.length);
      }
      assert.equal(doc.toString(), plain);
    }), { numRuns: 300, seed: 1 });
  });

  it("replicas that edit concurrently converge, in any causal delivery order, to what the character-by-character algorithm gives", () => {
    fc.assert(fc.property(edits, (plan) => {
      const { docs, references } = runConcurrently(plan);
      const text = docs[0]!.toString();
      for (let r = 0; r < 3; r++) {
        assert.equal(docs[r]!.toString(), text, `replica ${r} differs`);
        assert.equal(references[r]!.toString(), text, `the reference at replica ${r} differs`);
      }
    }), { numRuns: 300, seed: 2 });
  });

  it("keeps two concurrent insertions at the same place whole, ordered by id on every replica", () => {
    const a = new RgaText("alice");
    const b = new RgaText("bob");
    b.apply(a.insert(0, "Hi!"));
    const fromAlice = a.insert(2, " Alice");
    const fromBob = b.insert(2, " Bob");
    a.apply(fromBob);
    b.apply(fromAlice);
    // Same timestamp (4): the greater agent name ("bob") goes first, right after the origin.
    assert.equal(a.toString(), "Hi Bob Alice!");
    assert.equal(b.toString(), a.toString());
  });

  it("ignores an operation applied twice, and refuses one whose origin it has not seen", () => {
    const a = new RgaText("a");
    const b = new RgaText("b");
    const first = a.insert(0, "xy");
    const second = a.insert(1, "Q");
    assert.throws(() => b.apply(second), /insert \(a, 3\) comes after \(a, 1\), which this replica has not seen: apply operations in causal order/);
    b.apply(first);
    b.apply(first);
    b.apply(second);
    assert.equal(b.toString(), "xQy");
    assert.throws(() => b.apply({ type: "delete", agent: "c", ts: 1, length: 1 }), /delete of \(c, 1\), which this replica has not seen/);
    assert.throws(() => a.insert(9, "z"), /insert at 9: the text has 3 characters/);
    assert.throws(() => a.delete(2, 5), /delete of 5 characters at 2: the text has 3 characters/);
    assert.throws(() => a.insert(0, ""), /non-empty string/);
  });

  it("encodes a replica and decodes it into one that keeps editing and converging", () => {
    const { docs } = runConcurrently(fc.sample(edits, { numRuns: 1, seed: 5 })[0]!.concat([{ replica: 0, kind: "insert", at: 0, size: 1, text: "start", deliver: 0 }]));
    const copy = RgaText.decode(docs[0]!.encode(), "r9");
    assert.equal(copy.toString(), docs[0]!.toString());
    const op = copy.insert(2, "++");
    for (const doc of docs) doc.apply(op);
    const back = docs[1]!.delete(0, 3);
    for (const d of back) copy.apply(d);
    assert.equal(copy.toString(), docs[1]!.toString());
    assert.throws(() => RgaText.decode(docs[0]!.encode().subarray(0, 5), "x"), /RgaText.decode: the data ends/);
  });
});

describe("protocols: RGA text CRDT on real editing traces", function () {
  this.timeout(60_000);
  const load = <T>(name: string): T => JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(corpusDir("editing-traces"), name))).toString("utf8")) as T;
  const paper = load<SequentialTrace>("automerge-paper.json.gz");

  it("replays the automerge paper trace (259,778 edits) to its final text", () => {
    assert.equal(paper.txns.length, 259_778);
    const doc = replaySequential(paper);
    assert.equal(doc.length, 104_852);
    assert.equal(doc.toString(), paper.endContent);
    assert.equal(RgaText.decode(doc.encode(), "reader").toString(), paper.endContent);
  });

  it("three replicas typing the paper trace concurrently, syncing every few hundred edits, converge", () => {
    const docs = replaySplit(paper, { replicas: 3, chunk: 400, syncEvery: 3 });
    const text = docs[0]!.toString();
    assert.ok(text.length > 100_000);
    for (const doc of docs) assert.equal(doc.toString(), text);
  });

  it("replays the concurrent friendsforever trace (2 agents) to its final text at both replicas", () => {
    const trace = load<ConcurrentTrace>("friendsforever.json.gz");
    for (const doc of replayConcurrent(trace)) assert.equal(doc.toString(), trace.endContent);
  });
});
