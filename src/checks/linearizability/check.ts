/**
 * Is a history linearizable? (lecture 6, slide "Linearizability"). The search of Wing & Gong as
 * improved by Lowe: walk the operations in time order, try to linearize each operation that has been
 * invoked, backtrack when an operation's response is reached before it could be linearized, and
 * remember every (set of linearized operations, object state) already explored so no configuration is
 * searched twice. Objects made of independent parts (the keys of a store) are checked part by part.
 *
 * The search has a step budget: past it the verdict is "unknown", never a hang.
 */
import { UNKNOWN, validateHistory, type History, type Operation } from "./history";
import type { Model } from "./models";

export interface LinearizabilityOptions {
  /** Search steps allowed over all parts; past it the verdict is "unknown". Default 50 million. */
  readonly maxSteps?: number;
}

export interface LinearizabilityResult {
  readonly verdict: "linearizable" | "not linearizable" | "unknown";
  readonly ok: boolean;
  /** For a linearizable history: indices into the history in a linearization order (part by part; operations that never responded and need not have taken effect are left out). */
  readonly linearization?: number[];
  /**
   * For a history that is not linearizable: the part that fails, the longest prefix of it that can
   * be linearized (history indices in order), and the operation that cannot follow it (the one whose
   * response came before it could take effect).
   */
  readonly counterexample?: {
    readonly partition: string | undefined;
    readonly prefix: number[];
    readonly culprit: number;
    /** The state of the object after the prefix (the model's state key). */
    readonly stateAfterPrefix: string | number;
  };
  /** A sentence for a student: the verdict, and the culprit with its interval and what it saw. */
  readonly message: string;
  readonly steps: number;
}

const DEFAULT_MAX_STEPS = 50_000_000;

/** Zobrist keys: one random 32-bit word per operation, XORed into the hash of the linearized set. Deterministic (xorshift). */
function zobristKeys(count: number): Int32Array {
  const keys = new Int32Array(count);
  let x = 0x2545f491;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    keys[i] = x;
  }
  return keys;
}

/**
 * The set of (linearized operations, state) configurations already explored: open addressing over
 * an arena of fixed-size records [state id, bitset words...]. Growing doubles both.
 */
class ConfigurationSet {
  private slots: Int32Array;
  private hashes: Int32Array;
  private arena: Int32Array;
  private count = 0;
  private readonly recordSize: number;

  constructor(private readonly words: number) {
    this.recordSize = words + 1;
    this.slots = new Int32Array(1 << 12);
    this.hashes = new Int32Array(1 << 12);
    this.arena = new Int32Array((1 << 11) * this.recordSize);
  }

  get size(): number {
    return this.count;
  }

  /** Adds the configuration; false if it was already there. */
  add(hash: number, stateId: number, bits: Int32Array): boolean {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const record = this.slots[slot]!;
      if (record === 0) break;
      if (this.hashes[slot] === hash && this.same(record - 1, stateId, bits)) return false;
    }
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    const record = this.count++;
    if ((record + 1) * this.recordSize > this.arena.length) {
      const arena = new Int32Array(this.arena.length * 2);
      arena.set(this.arena);
      this.arena = arena;
    }
    const base = record * this.recordSize;
    this.arena[base] = stateId;
    for (let w = 0; w < this.words; w++) this.arena[base + 1 + w] = bits[w]!;
    this.place(hash, record + 1);
    return true;
  }

  private same(record: number, stateId: number, bits: Int32Array): boolean {
    const base = record * this.recordSize;
    if (this.arena[base] !== stateId) return false;
    for (let w = 0; w < this.words; w++) if (this.arena[base + 1 + w] !== bits[w]) return false;
    return true;
  }

  private place(hash: number, recordPlusOne: number): void {
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = recordPlusOne;
    this.hashes[slot] = hash;
  }

  private grow(): void {
    const { slots, hashes } = this;
    this.slots = new Int32Array(slots.length * 2);
    this.hashes = new Int32Array(slots.length * 2);
    for (let slot = 0; slot < slots.length; slot++) if (slots[slot] !== 0) this.place(hashes[slot]!, slots[slot]!);
  }
}

interface PartResult {
  readonly verdict: "linearizable" | "not linearizable" | "unknown";
  readonly steps: number;
  readonly order: number[];
  readonly prefix: number[];
  readonly culprit: number;
  readonly stateAfterPrefix: string | number;
}

/**
 * Checks one part: `ops` are indices into the history. The operations become 2n entries (calls and
 * responses) in a doubly linked list in time order; linearizing an operation lifts its two entries
 * out of the list, backtracking puts them back.
 */
function partSearch<S, I, O>(history: History<I, O>, ops: readonly number[], model: Model<S, I, O>): (allowance: number) => PartResult {
  const n = ops.length;
  const HEAD = 0;
  const TAIL = 2 * n + 1;
  // Entry k (1..2n): the call or the response of operation opOf[k] (a position in `ops`).
  const times: { time: number; isCall: boolean; op: number }[] = [];
  for (let p = 0; p < n; p++) {
    const op = history[ops[p]!]!;
    times.push({ time: op.call, isCall: true, op: p });
    times.push({ time: op.ret ?? Infinity, isCall: false, op: p });
  }
  // Time order; at equal times calls first (the operations overlap), then by operation.
  times.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? a.op - b.op : a.isCall ? -1 : 1));
  const next = new Int32Array(TAIL + 1);
  const prev = new Int32Array(TAIL + 1);
  const opOf = new Int32Array(TAIL + 1);
  const isCall = new Uint8Array(TAIL + 1);
  const match = new Int32Array(TAIL + 1);
  const callEntry = new Int32Array(n);
  times.forEach((entry, index) => {
    const k = index + 1;
    opOf[k] = entry.op;
    isCall[k] = entry.isCall ? 1 : 0;
    if (entry.isCall) callEntry[entry.op] = k;
    else match[callEntry[entry.op]!] = k;
  });
  for (let k = 0; k <= TAIL; k++) {
    next[k] = k + 1;
    prev[k] = k - 1;
  }
  const neverResponded = new Uint8Array(n);
  for (let p = 0; p < n; p++) neverResponded[p] = history[ops[p]!]!.ret === null ? 1 : 0;

  const lift = (call: number): void => {
    next[prev[call]!] = next[call]!;
    prev[next[call]!] = prev[call]!;
    const ret = match[call]!;
    next[prev[ret]!] = next[ret]!;
    prev[next[ret]!] = prev[ret]!;
  };
  const unlift = (call: number): void => {
    const ret = match[call]!;
    next[prev[ret]!] = ret;
    prev[next[ret]!] = ret;
    next[prev[call]!] = call;
    prev[next[call]!] = call;
  };

  // States are interned: the configuration set stores a state's id, not the state.
  const stateIds = new Map<string | number, number>();
  const states: S[] = [];
  const intern = (state: S): number => {
    const key = model.stateKey(state);
    let id = stateIds.get(key);
    if (id === undefined) {
      id = states.length;
      stateIds.set(key, id);
      states.push(state);
    }
    return id;
  };

  const words = Math.max(1, Math.ceil(n / 32));
  const bits = new Int32Array(words);
  const zobrist = zobristKeys(n);
  const seen = new ConfigurationSet(words);
  const stackEntry = new Int32Array(n);
  const stackState = new Int32Array(n);
  let depth = 0;
  let hash = 0;
  let stateId = intern(model.init);
  let state = model.init;
  let best = { depth: -1, prefix: [] as number[], culprit: -1, stateAfterPrefix: model.stateKey(model.init) };
  const inputs = ops.map((i) => history[i]!.input);
  const outputs = ops.map((i) => history[i]!.output);
  const prefix = (): number[] => Array.from(stackEntry.subarray(0, depth), (k) => ops[opOf[k]!]!);

  let entry = next[HEAD]!;
  // Runs at most `allowance` steps and returns; "unknown" means paused: the next call resumes.
  return (allowance: number): PartResult => {
  let steps = 0;
  while (next[HEAD] !== TAIL) {
    if (++steps > allowance) return { verdict: "unknown", steps: allowance, order: [], ...best };
    if (entry === TAIL) throw new Error("linearizability search ran off the end of the history (a bug in the checker)");
    if (isCall[entry] === 1) {
      const p = opOf[entry]!;
      const after = model.step(state, inputs[p] as I, outputs[p] as O);
      if (after !== undefined) {
        const afterId = intern(after);
        bits[p >>> 5] ^= 1 << (p & 31);
        const afterHash = (hash ^ zobrist[p]! ^ Math.imul(afterId + 1, 0x9e3779b1)) | 0;
        if (seen.add(afterHash, afterId, bits)) {
          stackEntry[depth] = entry;
          stackState[depth] = stateId;
          depth++;
          hash ^= zobrist[p]!;
          stateId = afterId;
          state = after;
          lift(entry);
          entry = next[HEAD]!;
          continue;
        }
        bits[p >>> 5] ^= 1 << (p & 31);
      }
      entry = next[entry]!;
      continue;
    }
    // A response whose operation is not linearized yet: it had to take effect before now.
    const p = opOf[entry]!;
    if (neverResponded[p] === 1) {
      // Every response still in the list is one that never came (they sort last): every operation
      // that did respond is linearized, and the rest may simply never have taken effect.
      return { verdict: "linearizable", steps, order: prefix(), ...best };
    }
    if (depth > best.depth) best = { depth, prefix: prefix(), culprit: ops[p]!, stateAfterPrefix: model.stateKey(state) };
    if (depth === 0) return { verdict: "not linearizable", steps, order: [], ...best };
    depth--;
    const call = stackEntry[depth]!;
    const q = opOf[call]!;
    stateId = stackState[depth]!;
    state = states[stateId]!;
    bits[q >>> 5] ^= 1 << (q & 31);
    hash ^= zobrist[q]!;
    unlift(call);
    entry = next[call]!;
  }
  return { verdict: "linearizable", steps, order: prefix(), ...best };
  };
}

function describeOperation<I, O>(model: Model<unknown, I, O>, op: Operation<I, O>, index: number): string {
  const interval = `[${op.call}, ${op.ret === null ? "no response" : op.ret}]`;
  return `operation ${index} of client ${String(op.client)}, ${model.describe(op.input, op.output)} ${interval}`;
}

/**
 * Checks `history` against `model`. Throws on a malformed history (naming the operation); returns
 * "unknown" when the search exceeds its step budget.
 */
export function checkLinearizable<S, I, O>(history: History<I, O>, model: Model<S, I, O>, options: LinearizabilityOptions = {}): LinearizabilityResult {
  validateHistory(history);
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!Number.isSafeInteger(maxSteps) || maxSteps < 1) throw new RangeError(`maxSteps must be a positive integer, got ${String(options.maxSteps)}`);
  const parts = new Map<string | undefined, number[]>();
  history.forEach((op, index) => {
    const part = model.partition?.(op.input);
    const list = parts.get(part);
    if (list === undefined) parts.set(part, [index]);
    else list.push(index);
  });
  // Parts are searched in turns with a doubling step allowance (each resuming where it paused), so that one part that is quick to
  // refute is found before a hard part that is linearizable uses up the budget (porcupine gets the
  // same effect by checking parts in parallel and stopping at the first failure).
  let steps = 0;
  const finished = new Map<string | undefined, number[]>();
  let pending = [...parts.keys()];
  const searches = new Map([...parts].map(([part, ops]) => [part, partSearch(history, ops, model)]));
  for (let allowance = 10_000; pending.length > 0; allowance *= 2) {
    const stillPending: (string | undefined)[] = [];
    for (const part of pending) {
      const result = searches.get(part)!(Math.min(allowance, maxSteps - steps));
      steps += result.steps;
      if (result.verdict === "not linearizable") {
        const culprit = history[result.culprit]!;
        const where = part === undefined ? "" : ` (key ${part})`;
        const after = result.prefix.length === 0 ? "from the initial state" : `after the ${result.prefix.length} operations that can be linearized before it`;
        return {
          verdict: "not linearizable",
          ok: false,
          counterexample: { partition: part, prefix: result.prefix, culprit: result.culprit, stateAfterPrefix: result.stateAfterPrefix },
          message: `not linearizable${where}: ${describeOperation(model as Model<unknown, I, O>, culprit, result.culprit)} cannot take effect ${after} (state then: ${String(result.stateAfterPrefix)})`,
          steps,
        };
      }
      if (result.verdict === "linearizable") finished.set(part, result.order);
      else stillPending.push(part);
      if (steps >= maxSteps && (stillPending.length > 0 || result.verdict === "unknown")) {
        const on = stillPending[0];
        return { verdict: "unknown", ok: false, message: `unknown: the search gave up after ${maxSteps} steps${on === undefined ? "" : ` (on key ${on})`}`, steps };
      }
    }
    pending = stillPending;
  }
  const linearization = [...parts.keys()].flatMap((part) => finished.get(part)!);
  return { verdict: "linearizable", ok: true, linearization, message: `linearizable (${history.length} operations${parts.size > 1 ? `, ${parts.size} keys checked separately` : ""})`, steps };
}

export { UNKNOWN };
