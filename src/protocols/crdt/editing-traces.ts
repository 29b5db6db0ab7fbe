/**
 * Replaying real editing traces (josephg/editing-traces; ../shared/data/editing-traces/FORMAT.md)
 * through the RGA text CRDT: a sequential trace on one replica, a sequential trace split across
 * replicas that edit concurrently and sync now and then, and a concurrent trace (several agents,
 * each transaction made on the version its parents name).
 */
import { RgaText, type TextOp } from "./rga-text";

/** A patch: at `position`, delete `deleted` characters, then insert `inserted` (like Array.splice). */
export type Patch = readonly [position: number, deleted: number, inserted: string];

export interface SequentialTrace {
  readonly startContent?: string;
  readonly endContent: string;
  readonly txns: readonly { readonly patches: readonly Patch[] }[];
}

export interface ConcurrentTrace {
  readonly kind: "concurrent";
  readonly endContent: string;
  readonly numAgents: number;
  readonly txns: readonly { readonly parents: readonly number[]; readonly agent: number; readonly patches: readonly Patch[] }[];
}

/** Applies one patch as local edits; returns the operations to send. */
export function applyPatch(doc: RgaText, [position, deleted, inserted]: Patch, ops: TextOp[] = []): TextOp[] {
  if (deleted > 0) ops.push(...doc.delete(position, deleted));
  if (inserted !== "") ops.push(doc.insert(position, inserted));
  return ops;
}

/** One replica typing the whole trace; its final text should be the trace's endContent. */
export function replaySequential(trace: SequentialTrace, agent = "author"): RgaText {
  if ((trace.startContent ?? "") !== "") throw new RangeError("replaySequential: traces that start with content are not supported");
  const doc = new RgaText(agent);
  for (const txn of trace.txns) for (const patch of txn.patches) applyPatch(doc, patch);
  return doc;
}

/**
 * The trace's transactions dealt round-robin, `chunk` at a time, to `replicas` replicas that each
 * edit their own copy (positions clamped to it) and receive the others' operations only every
 * `syncEvery` chunks, so edits are concurrent. At the end every replica has every operation; the
 * texts must be equal (convergence), though not the trace's endContent (the edits were concurrent).
 */
export function replaySplit(trace: SequentialTrace, options: { replicas: number; chunk: number; syncEvery: number }): RgaText[] {
  const { replicas, chunk, syncEvery } = options;
  if (!Number.isSafeInteger(replicas) || replicas < 1 || !Number.isSafeInteger(chunk) || chunk < 1 || !Number.isSafeInteger(syncEvery) || syncEvery < 1) {
    throw new RangeError(`replaySplit: replicas, chunk and syncEvery must be positive integers, got ${JSON.stringify(options)}`);
  }
  const docs = Array.from({ length: replicas }, (_, r) => new RgaText(`r${r}`));
  // log[r]: every operation replica r made, in order; seen[a][r]: how many of them a has applied.
  const log: TextOp[][] = docs.map(() => []);
  const seen = docs.map(() => docs.map(() => 0));
  const sync = (): void => {
    // Each replica's operations are applied in the order made, and a replica syncs with all the
    // others at once, so causal order holds: anything r saw before an edit is applied first.
    for (let a = 0; a < replicas; a++) {
      for (let r = 0; r < replicas; r++) {
        if (r === a) continue;
        for (let k = seen[a]![r]!; k < log[r]!.length; k++) docs[a]!.apply(log[r]![k]!);
        seen[a]![r] = log[r]!.length;
      }
    }
  };
  // Syncing replica a with r's log as it stands requires r's log to be causally closed over what
  // a has not seen: true here because replicas only ever sync all together (every log is applied
  // up to the same point in time).
  let chunks = 0;
  for (let start = 0; start < trace.txns.length; start += chunk) {
    const r = chunks % replicas;
    const doc = docs[r]!;
    for (const txn of trace.txns.slice(start, start + chunk)) {
      for (const [position, deleted, inserted] of txn.patches) {
        const at = Math.min(position, doc.length);
        applyPatch(doc, [at, Math.min(deleted, doc.length - at), inserted], log[r]);
      }
    }
    chunks++;
    if (chunks % syncEvery === 0) sync();
  }
  sync();
  return docs;
}

/**
 * A concurrent trace replayed with one replica per agent: before each transaction, its agent's
 * replica applies the operations of every transaction its parents depend on that it has not seen
 * (in trace order, which is causal), so it is at exactly the version the transaction was made on.
 */
export function replayConcurrent(trace: ConcurrentTrace): RgaText[] {
  if (trace.kind !== "concurrent") throw new TypeError(`replayConcurrent needs a trace of kind "concurrent", got ${JSON.stringify(trace.kind)}`);
  const docs = Array.from({ length: trace.numAgents }, (_, a) => new RgaText(`agent${a}`));
  const opsOf: TextOp[][] = [];
  const applied = docs.map(() => new Set<number>());
  /** The transactions `parents` depend on that replica `agent` has not applied, in trace order. */
  const missing = (agent: number, parents: readonly number[]): number[] => {
    const found = new Set<number>();
    const stack = [...parents];
    while (stack.length > 0) {
      const t = stack.pop()!;
      // What a replica has applied is causally closed: an applied transaction's ancestors are too.
      if (found.has(t) || applied[agent]!.has(t)) continue;
      found.add(t);
      stack.push(...trace.txns[t]!.parents);
    }
    return [...found].sort((a, b) => a - b);
  };
  trace.txns.forEach((txn, t) => {
    if (txn.parents.some((p) => p >= t)) throw new RangeError(`transaction ${t} names a parent that comes after it`);
    const doc = docs[txn.agent];
    if (doc === undefined) throw new RangeError(`transaction ${t} is by agent ${txn.agent}, but the trace has ${trace.numAgents} agents`);
    // The traces have one branch per agent: an agent's replica never holds more than the version its
    // next transaction names, so applying what is missing brings it to exactly that version (a wrong
    // trace would show as positions out of range or a final text that differs from endContent).
    for (const a of missing(txn.agent, txn.parents)) {
      for (const op of opsOf[a]!) doc.apply(op);
      applied[txn.agent]!.add(a);
    }
    const ops: TextOp[] = [];
    for (const patch of txn.patches) applyPatch(doc, patch, ops);
    opsOf.push(ops);
    applied[txn.agent]!.add(t);
  });
  // Finally every replica gets everything.
  docs.forEach((doc, a) => {
    trace.txns.forEach((_, t) => {
      if (!applied[a]!.has(t)) for (const op of opsOf[t]!) doc.apply(op);
    });
  });
  return docs;
}
