/**
 * A text CRDT for real editing traces: RGA (replicated growable array, Roh et al. 2011), the sequence
 * CRDT behind "insert after a character" (lecture 8 builds on it after the slides' "Operation-based
 * text CRDT": there each character gets a unique position between its neighbours; here each
 * character names the character it was typed after, its *origin*).
 *
 * Every character has an id (Lamport timestamp, agent). An insert places its character right after
 * its origin, but after any characters already there whose ids are greater: concurrent inserts at
 * the same place end up ordered by id on every replica, whatever the order the inserts arrive in.
 * Deleted characters stay as tombstones (their ids are still origins of other characters).
 *
 * Speed comes from two things: characters typed one after another by the same agent are stored as
 * one *run* (one object for a whole typed word or paragraph), and runs are kept in leaves of at most
 * LEAF_RUNS runs, each leaf knowing how many visible characters it holds, with the last leaf used
 * remembered (edits are local: the next one is usually in the same leaf).
 *
 * Operations must be applied in causal order (an insert after its origin's insert, a delete after
 * the insert of what it deletes), as causal broadcast delivers them (lecture 4); a repeated operation
 * is ignored.
 */

/** A character's id: its Lamport timestamp and the agent that typed it. */
export interface CharId {
  readonly agent: string;
  readonly ts: number;
}

/**
 * Insert `text` after the character `origin` (null: at the start). Its characters get the ids
 * (agent, ts), (agent, ts + 1), ...; each one after the previous.
 */
export interface InsertOp {
  readonly type: "insert";
  readonly agent: string;
  readonly ts: number;
  readonly origin: CharId | null;
  readonly text: string;
}

/** Delete the characters (agent, ts) .. (agent, ts + length - 1). */
export interface DeleteOp {
  readonly type: "delete";
  readonly agent: string;
  readonly ts: number;
  readonly length: number;
}

export type TextOp = InsertOp | DeleteOp;

const LEAF_RUNS = 64;
const ROOT = -1;

/** Consecutive characters of one agent, each typed right after the previous one. */
class Run {
  /** Later pieces of the run this one was split from, in order (for lookups by id). */
  nextPiece: Run | null = null;
  constructor(
    public leaf: Leaf,
    readonly agent: number,
    /** Timestamp of the first character; the k-th has ts + k. */
    readonly ts: number,
    /** The first character's origin (agent index, ts), or ROOT; later characters follow the previous. */
    readonly originAgent: number,
    readonly originTs: number,
    public text: string,
    public deleted: boolean,
  ) {}

  get length(): number {
    return this.text.length;
  }

  get visible(): number {
    return this.deleted ? 0 : this.text.length;
  }
}

class Leaf {
  runs: Run[] = [];
  visible = 0;
  constructor(public index: number) {}
}

export class RgaText {
  readonly agent: string;
  private readonly agentNames: string[] = [];
  private readonly agentIndex = new Map<string, number>();
  /** Per agent, the runs as first created, in timestamp order (split pieces hang off nextPiece). */
  private readonly runsByAgent: Run[][] = [];
  private leaves: Leaf[] = [new Leaf(0)];
  private lamport = 0;
  private visibleLength = 0;
  /** The leaf of the last local edit and the position of its first visible character. */
  private cursorLeaf = 0;
  private cursorStart = 0;

  constructor(agent: string) {
    if (typeof agent !== "string" || agent === "") throw new TypeError(`RgaText needs an agent name, got ${JSON.stringify(agent)}`);
    this.agent = agent;
    this.agentId(agent);
  }

  get length(): number {
    return this.visibleLength;
  }

  toString(): string {
    let text = "";
    for (const leaf of this.leaves) for (const run of leaf.runs) if (!run.deleted) text += run.text;
    return text;
  }

  /** Number of runs stored (tombstones included): a measure of the structure's size. */
  get runCount(): number {
    let count = 0;
    for (const leaf of this.leaves) count += leaf.runs.length;
    return count;
  }

  /**
   * The whole document as bytes: agent names, then each run in document order (agent, timestamp,
   * origin, length, deleted), then the visible text. Deleted text is not kept, only its ids (later
   * inserts may name them as origins). `RgaText.decode` reads it back.
   */
  encode(): Uint8Array {
    const out: number[] = [];
    const varint = (value: number): void => {
      let v = value;
      while (v >= 0x80) {
        out.push((v & 0x7f) | 0x80);
        v = Math.floor(v / 128);
      }
      out.push(v);
    };
    const utf8 = new TextEncoder();
    const bytes = (text: string): void => {
      const encoded = utf8.encode(text);
      varint(encoded.length);
      for (const byte of encoded) out.push(byte);
    };
    varint(this.agentNames.length);
    for (const name of this.agentNames) bytes(name);
    varint(this.runCount);
    let visible = "";
    for (const leaf of this.leaves) {
      for (const run of leaf.runs) {
        // flags: 1 deleted, 2 origin at the start, 4 origin is this agent's previous character
        const follows = run.originAgent === run.agent && run.originTs === run.ts - 1;
        varint((run.deleted ? 1 : 0) | (run.originAgent === ROOT ? 2 : 0) | (follows ? 4 : 0));
        varint(run.agent);
        varint(run.ts);
        if (run.originAgent !== ROOT && !follows) {
          varint(run.originAgent);
          varint(run.originTs);
        }
        varint(run.length);
        if (!run.deleted) visible += run.text;
      }
    }
    bytes(visible);
    return Uint8Array.from(out);
  }

  /** A replica for `agent` holding the document `encode()` wrote (e.g. another replica's, to catch up). */
  static decode(data: Uint8Array, agent: string): RgaText {
    let at = 0;
    const varint = (): number => {
      let value = 0;
      let scale = 1;
      for (;;) {
        if (at >= data.length) throw new RangeError("RgaText.decode: the data ends in the middle of a number");
        const byte = data[at++]!;
        value += (byte & 0x7f) * scale;
        if (byte < 0x80) return value;
        scale *= 128;
      }
    };
    const utf8 = new TextDecoder("utf-8", { fatal: true });
    const string = (): string => {
      const length = varint();
      if (at + length > data.length) throw new RangeError("RgaText.decode: the data ends in the middle of a string");
      const text = utf8.decode(data.subarray(at, at + length));
      at += length;
      return text;
    };
    const doc = new RgaText(agent);
    const names = Array.from({ length: varint() }, string);
    const ids = names.map((name) => doc.agentId(name));
    const runCount = varint();
    const runs: { flags: number; agent: number; ts: number; originAgent: number; originTs: number; length: number }[] = [];
    for (let k = 0; k < runCount; k++) {
      const flags = varint();
      const agentIndex = varint();
      const ts = varint();
      if (agentIndex >= ids.length) throw new RangeError(`RgaText.decode: run ${k} names agent ${agentIndex} of ${ids.length}`);
      let originAgent = ROOT;
      let originTs = 0;
      if (flags & 4) {
        originAgent = ids[agentIndex]!;
        originTs = ts - 1;
      } else if (!(flags & 2)) {
        originAgent = ids[varint()] ?? ROOT;
        originTs = varint();
      }
      runs.push({ flags, agent: ids[agentIndex]!, ts, originAgent, originTs, length: varint() });
    }
    const visible = string();
    let offset = 0;
    let leaf = doc.leaves[0]!;
    for (const run of runs) {
      const deleted = (run.flags & 1) === 1;
      // Deleted text is gone; a placeholder of the right length keeps the ids' arithmetic.
      const text = deleted ? "\u0000".repeat(run.length) : visible.slice(offset, offset + run.length);
      if (!deleted) offset += run.length;
      if (leaf.runs.length === LEAF_RUNS / 2) {
        leaf = new Leaf(doc.leaves.length);
        doc.leaves.push(leaf);
      }
      const piece = new Run(leaf, run.agent, run.ts, run.originAgent, run.originTs, text, deleted);
      leaf.runs.push(piece);
      leaf.visible += piece.visible;
      doc.runsByAgent[run.agent]!.push(piece);
      doc.visibleLength += piece.visible;
      doc.lamport = Math.max(doc.lamport, run.ts + run.length - 1);
    }
    if (offset !== visible.length) throw new RangeError("RgaText.decode: the text does not match the runs' lengths");
    for (const list of doc.runsByAgent) list.sort((a, b) => a.ts - b.ts);
    return doc;
  }

  /** Inserts `text` before the character at `position` (0..length); returns the operation to send. */
  insert(position: number, text: string): InsertOp {
    this.checkPosition(position, 0, "insert");
    if (typeof text !== "string" || text === "") throw new TypeError(`insert needs a non-empty string, got ${JSON.stringify(text)}`);
    const me = this.agentId(this.agent);
    const ts = this.lamport + 1;
    this.lamport += text.length;
    let op: InsertOp;
    if (position === 0) {
      op = { type: "insert", agent: this.agent, ts, origin: null, text };
      this.placeRun(this.leaves[0]!, 0, new Run(this.leaves[0]!, me, ts, ROOT, 0, text, false));
      this.cursorLeaf = 0;
      this.cursorStart = 0;
    } else {
      const { leaf, index, offset, leafStart } = this.findVisible(position - 1);
      const run = leaf.runs[index]!;
      op = { type: "insert", agent: this.agent, ts, origin: { agent: this.agentNames[run.agent]!, ts: run.ts + offset }, text };
      // The newest id of all goes right after its origin (no sibling can be greater).
      if (offset === run.length - 1 && run.agent === me && run.ts + run.length === ts) {
        run.text += text; // typing on: the run grows
        leaf.visible += text.length;
      } else {
        if (offset < run.length - 1) this.split(leaf, index, offset + 1);
        this.placeAfter(run, new Run(leaf, me, ts, run.agent, run.ts + offset, text, false));
      }
      this.cursorLeaf = leaf.index;
      this.cursorStart = leafStart;
    }
    this.visibleLength += text.length;
    return op;
  }

  /** Deletes `length` characters from `position`; returns the operations to send (one per run touched). */
  delete(position: number, length: number): DeleteOp[] {
    this.checkPosition(position, length, "delete");
    const ops: DeleteOp[] = [];
    let remaining = length;
    while (remaining > 0) {
      const { leaf, index, offset, leafStart } = this.findVisible(position);
      let run = leaf.runs[index]!;
      if (offset > 0) run = this.split(leaf, index, offset);
      const count = Math.min(remaining, run.length);
      if (count < run.length) this.split(run.leaf, run.leaf.runs.indexOf(run), count);
      run.deleted = true;
      run.leaf.visible -= count;
      this.visibleLength -= count;
      remaining -= count;
      ops.push({ type: "delete", agent: this.agentNames[run.agent]!, ts: run.ts, length: count });
      // The edit was at or after this leaf's first position, which therefore has not moved.
      this.cursorLeaf = leaf.index;
      this.cursorStart = leafStart;
    }
    return ops;
  }

  /** Applies an operation from another replica (in causal order); a repeat is ignored. */
  apply(op: TextOp): void {
    if (op === null || typeof op !== "object") throw new TypeError(`not a text operation: ${JSON.stringify(op)}`);
    if (op.type === "insert") this.applyInsert(op);
    else if (op.type === "delete") this.applyDelete(op);
    else throw new TypeError(`unknown text operation type ${JSON.stringify((op as { type: unknown }).type)}`);
    // A remote edit may land before the remembered leaf: start the next search from the beginning.
    this.cursorLeaf = 0;
    this.cursorStart = 0;
  }

  private applyInsert(op: InsertOp): void {
    if (typeof op.agent !== "string" || !Number.isSafeInteger(op.ts) || op.ts < 1 || typeof op.text !== "string" || op.text === "") {
      throw new TypeError(`malformed insert ${JSON.stringify(op)}`);
    }
    const agent = this.agentId(op.agent);
    if (this.find(agent, op.ts) !== undefined) return; // already applied
    // Where the origin is: insert after it, skipping greater ids (each skipped run's later characters are greater still).
    let leaf: Leaf;
    let index: number;
    if (op.origin === null) {
      leaf = this.leaves[0]!;
      index = 0;
    } else {
      const originAgent = this.agentIndex.get(op.origin.agent);
      const found = originAgent === undefined ? undefined : this.find(originAgent, op.origin.ts);
      if (found === undefined) throw new RangeError(`insert (${op.agent}, ${op.ts}) comes after (${op.origin.agent}, ${op.origin.ts}), which this replica has not seen: apply operations in causal order`);
      const offset = op.origin.ts - found.ts;
      leaf = found.leaf;
      index = leaf.runs.indexOf(found);
      if (offset < found.length - 1) {
        const nextTs = found.ts + offset + 1;
        if (this.greater(found.agent, nextTs, agent, op.ts)) {
          // The rest of the origin's run is greater: skip it, then keep comparing.
          index++;
        } else {
          this.split(leaf, index, offset + 1);
          this.placeAfter(found, new Run(leaf, agent, op.ts, found.agent, op.origin.ts, op.text, false));
          this.visibleLength += op.text.length;
          this.lamport = Math.max(this.lamport, op.ts + op.text.length - 1);
          return;
        }
      } else index++;
    }
    for (;;) {
      if (index === leaf.runs.length) {
        if (leaf.index + 1 === this.leaves.length) break;
        leaf = this.leaves[leaf.index + 1]!;
        index = 0;
        continue;
      }
      const next = leaf.runs[index]!;
      if (!this.greater(next.agent, next.ts, agent, op.ts)) break;
      index++;
    }
    // Grow the run just before when it is the same agent typing on right after it.
    const before = index > 0 ? leaf.runs[index - 1]! : undefined;
    if (before !== undefined && op.origin !== null && !before.deleted && before.agent === agent && before.ts + before.length === op.ts
      && this.agentIndex.get(op.origin.agent) === agent && op.origin.ts === op.ts - 1) {
      before.text += op.text;
      leaf.visible += op.text.length;
    } else {
      this.placeRun(leaf, index, new Run(leaf, agent, op.ts, op.origin === null ? ROOT : this.agentIndex.get(op.origin.agent)!, op.origin?.ts ?? 0, op.text, false));
    }
    this.visibleLength += op.text.length;
    this.lamport = Math.max(this.lamport, op.ts + op.text.length - 1);
  }

  private applyDelete(op: DeleteOp): void {
    if (typeof op.agent !== "string" || !Number.isSafeInteger(op.ts) || !Number.isSafeInteger(op.length) || op.length < 1) {
      throw new TypeError(`malformed delete ${JSON.stringify(op)}`);
    }
    const agent = this.agentIndex.get(op.agent);
    let ts = op.ts;
    const end = op.ts + op.length;
    while (ts < end) {
      const run = agent === undefined ? undefined : this.find(agent, ts);
      if (run === undefined) throw new RangeError(`delete of (${op.agent}, ${ts}), which this replica has not seen: apply operations in causal order`);
      const target = ts > run.ts ? this.split(run.leaf, run.leaf.runs.indexOf(run), ts - run.ts) : run;
      const count = Math.min(end - ts, target.length);
      if (count < target.length) this.split(target.leaf, target.leaf.runs.indexOf(target), count);
      if (!target.deleted) {
        target.deleted = true;
        target.leaf.visible -= count;
        this.visibleLength -= count;
      }
      ts += count;
    }
  }

  /** Is id (agentA, tsA) greater than (agentB, tsB)? Timestamps first, then agent names. */
  private greater(agentA: number, tsA: number, agentB: number, tsB: number): boolean {
    if (tsA !== tsB) return tsA > tsB;
    return this.agentNames[agentA]! > this.agentNames[agentB]!;
  }

  /** The run piece holding character (agent, ts), if this replica has it. */
  private find(agent: number, ts: number): Run | undefined {
    const runs = this.runsByAgent[agent]!;
    let low = 0;
    let high = runs.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const run = runs[middle]!;
      if (ts < run.ts) high = middle - 1;
      else {
        // The original run and its split pieces cover [run.ts, end of the last piece).
        let piece: Run | null = run;
        while (piece !== null && ts >= piece.ts + piece.length) piece = piece.nextPiece;
        if (piece !== null) return piece;
        low = middle + 1;
      }
    }
    return undefined;
  }

  /** The visible character at `position`: its leaf, run index, offset in the run, and the leaf's first position. */
  private findVisible(position: number): { leaf: Leaf; index: number; offset: number; leafStart: number } {
    let leafIndex = this.cursorLeaf;
    let start = this.cursorStart;
    while (position < start) {
      leafIndex--;
      start -= this.leaves[leafIndex]!.visible;
    }
    while (position >= start + this.leaves[leafIndex]!.visible) {
      start += this.leaves[leafIndex]!.visible;
      leafIndex++;
      if (leafIndex === this.leaves.length) throw new Error(`position ${position} past the end (a bug in RgaText's counts)`);
    }
    const leaf = this.leaves[leafIndex]!;
    let offset = position - start;
    for (let index = 0; index < leaf.runs.length; index++) {
      const visible = leaf.runs[index]!.visible;
      if (offset < visible) return { leaf, index, offset, leafStart: start };
      offset -= visible;
    }
    throw new Error(`leaf ${leafIndex} counts more characters than its runs hold (a bug in RgaText)`);
  }

  /**
   * Splits run `index` of `leaf` after `offset` characters and returns the second piece, which
   * follows it (in this leaf, or at the start of the next if the leaf had to split).
   */
  private split(leaf: Leaf, index: number, offset: number): Run {
    const run = leaf.runs[index]!;
    const rest = new Run(leaf, run.agent, run.ts + offset, run.agent, run.ts + offset - 1, run.text.slice(offset), run.deleted);
    run.text = run.text.slice(0, offset);
    rest.nextPiece = run.nextPiece;
    run.nextPiece = rest;
    leaf.runs.splice(index + 1, 0, rest);
    if (leaf.runs.length > LEAF_RUNS) this.splitLeaf(leaf);
    return rest;
  }

  /** Puts a new run right after `run` (wherever a leaf split has moved it). */
  private placeAfter(run: Run, added: Run): void {
    const leaf = run.leaf;
    this.placeRun(leaf, leaf.runs.indexOf(run) + 1, added);
  }

  /** Puts a new run at `index` of `leaf` and records it under its agent. */
  private placeRun(leaf: Leaf, index: number, run: Run): void {
    run.leaf = leaf;
    leaf.runs.splice(index, 0, run);
    leaf.visible += run.visible;
    this.runsByAgent[run.agent]!.push(run);
    if (leaf.runs.length > LEAF_RUNS) this.splitLeaf(leaf);
  }

  private splitLeaf(leaf: Leaf): void {
    const right = new Leaf(leaf.index + 1);
    right.runs = leaf.runs.splice(LEAF_RUNS / 2);
    for (const run of right.runs) {
      run.leaf = right;
      right.visible += run.visible;
    }
    leaf.visible -= right.visible;
    this.leaves.splice(leaf.index + 1, 0, right);
    for (let i = leaf.index + 2; i < this.leaves.length; i++) this.leaves[i]!.index = i;
    // The remembered position stays right if it was in or before the split leaf's left half.
    if (this.cursorLeaf > leaf.index) this.cursorLeaf++;
  }

  private agentId(name: string): number {
    let id = this.agentIndex.get(name);
    if (id === undefined) {
      id = this.agentNames.length;
      this.agentNames.push(name);
      this.agentIndex.set(name, id);
      this.runsByAgent.push([]);
    }
    return id;
  }

  private checkPosition(position: number, length: number, what: string): void {
    if (!Number.isSafeInteger(position) || position < 0 || position > this.visibleLength) {
      throw new RangeError(`${what} at ${String(position)}: the text has ${this.visibleLength} characters`);
    }
    if (!Number.isSafeInteger(length) || length < 0 || position + length > this.visibleLength) {
      throw new RangeError(`${what} of ${String(length)} characters at ${position}: the text has ${this.visibleLength} characters`);
    }
  }
}
