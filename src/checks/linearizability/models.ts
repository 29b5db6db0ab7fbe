/**
 * Sequential specifications for the linearizability checker: what one object does when operations
 * run one at a time. A model steps a state by an operation's input and the output the client saw,
 * and says whether that output was possible; the checker looks for an order of the operations, within
 * their intervals, that the model accepts (lecture 6, slide "Linearizability").
 */
import { UNKNOWN, type Unknown } from "./history";

export interface Model<S, I, O> {
  readonly name: string;
  /** The object's state before any operation. */
  readonly init: S;
  /**
   * The state after `input` ran in `state` and produced `output`, or undefined if it could not
   * have produced that output there. An UNKNOWN output matches whatever the operation returns.
   * Must be pure: the checker calls it many times on the same state.
   */
  step(state: S, input: I, output: O | Unknown): S | undefined;
  /** Equal keys mean equal states (the checker memoises on them). */
  stateKey(state: S): string | number;
  /**
   * For objects made of independent parts (the keys of a key-value store): the part an operation
   * touches. Linearizability is compositional, so each part is checked on its own (far faster).
   */
  partition?(input: I): string;
  /** The operation in a few words, for counterexamples: `read -> 3`, `cas(1, 4) -> fail`. */
  describe(input: I, output: O | Unknown): string;
}

export type RegisterValue = number | string | null;

/** Operations of a register, with compare-and-swap (slide "Linearizable compare-and-swap (CAS)"). */
export type RegisterInput =
  | { readonly op: "read" }
  | { readonly op: "write"; readonly value: RegisterValue }
  | { readonly op: "cas"; readonly from: RegisterValue; readonly to: RegisterValue };

/** A read returns the value (null: the register was never written); a write returns null; a CAS whether it swapped. */
export type RegisterOutput = RegisterValue | boolean;

const NULL_KEY = "\u0000null";

function show(value: unknown): string {
  return value === null ? "nil" : typeof value === "string" ? JSON.stringify(value) : String(value);
}

/**
 * A register holding `initial` (null: empty), with read, write and compare-and-swap. A CAS that
 * reports failure saw a different value; a CAS whose outcome is unknown swapped if it could (placing
 * it at the end of the history covers the case where it never ran).
 */
export function casRegister(initial: RegisterValue = null): Model<RegisterValue, RegisterInput, RegisterOutput> {
  return {
    name: `CAS register (initially ${show(initial)})`,
    init: initial,
    step(state, input, output) {
      switch (input.op) {
        case "read":
          return output === UNKNOWN || output === state ? state : undefined;
        case "write":
          return input.value;
        case "cas":
          if (output === UNKNOWN) return input.from === state ? input.to : state;
          if (output === true) return input.from === state ? input.to : undefined;
          if (output === false) return input.from === state ? undefined : state;
          return undefined;
        default:
          throw new TypeError(`CAS register: unknown operation ${JSON.stringify(input)}`);
      }
    },
    stateKey: (state) => (state === null ? NULL_KEY : state),
    describe(input, output) {
      const result = output === UNKNOWN ? "?" : input.op === "cas" ? (output ? "ok" : "fail") : show(output);
      if (input.op === "read") return `read -> ${result}`;
      if (input.op === "write") return `write(${show(input.value)})${output === UNKNOWN ? " -> ?" : ""}`;
      return `cas(${show(input.from)}, ${show(input.to)}) -> ${result}`;
    },
  };
}

/** A plain read/write register: the CAS register's model, never given a CAS. */
export function register(initial: RegisterValue = null): Model<RegisterValue, RegisterInput, RegisterOutput> {
  return { ...casRegister(initial), name: `register (initially ${show(initial)})` };
}

/** Operations of a key-value store whose values are strings (porcupine's kv model; absent = ""). */
export type KvInput =
  | { readonly op: "get"; readonly key: string }
  | { readonly op: "put"; readonly key: string; readonly value: string }
  | { readonly op: "append"; readonly key: string; readonly value: string };

/** A get returns the value; put and append return nothing (null). */
export type KvOutput = string | null;

/**
 * A key-value store of strings with get, put and append, checked one key at a time: the state is
 * the value of the key of the partition being checked.
 */
export function keyValueStore(): Model<string, KvInput, KvOutput> {
  return {
    name: "key-value store (per key)",
    init: "",
    step(state, input, output) {
      if (input.op === "get") return output === UNKNOWN || output === state ? state : undefined;
      if (input.op === "put") return input.value;
      if (input.op === "append") return state + input.value;
      throw new TypeError(`key-value store: unknown operation ${JSON.stringify(input)}`);
    },
    stateKey: (state) => state,
    partition: (input) => input.key,
    describe(input, output) {
      if (input.op === "get") return `get(${input.key}) -> ${output === UNKNOWN ? "?" : JSON.stringify(output)}`;
      return `${input.op}(${input.key}, ${JSON.stringify(input.value)})`;
    },
  };
}

/** One step of a multi-register transaction: read or write one register. */
export type TxnStep = readonly ["read" | "write", string, RegisterValue];

/**
 * Several registers read and written by atomic transactions (Knossos' multi-register): a
 * transaction's reads must see the values at its linearization point. The input is the list of steps
 * invoked; the output the list completed (with the values read).
 */
export function multiRegister(initial: { readonly [name: string]: RegisterValue }): Model<{ readonly [name: string]: RegisterValue }, readonly TxnStep[], readonly TxnStep[]> {
  return {
    name: `multi-register (initially ${JSON.stringify(initial)})`,
    init: initial,
    step(state, input, output) {
      const steps = output === UNKNOWN ? input : output;
      let next: { [name: string]: RegisterValue } | undefined;
      for (const [f, name, value] of steps) {
        const current = next !== undefined && name in next ? next[name] : state[name] ?? null;
        if (f === "read") {
          if (output !== UNKNOWN && value !== current) return undefined;
        } else {
          next ??= { ...state };
          next[name] = value;
        }
      }
      return next ?? state;
    },
    stateKey: (state) => JSON.stringify(Object.keys(state).sort().map((name) => [name, state[name]])),
    describe(input, output) {
      const steps = output === UNKNOWN ? input : output;
      return `txn[${steps.map(([f, name, value]) => `${f === "read" ? "r" : "w"} ${name} ${show(value)}`).join(", ")}]${output === UNKNOWN ? " -> ?" : ""}`;
    },
  };
}

/** A lock: acquire succeeds only when free, release only when held. */
export type MutexInput = { readonly op: "acquire" } | { readonly op: "release" };

export function mutex(): Model<boolean, MutexInput, null> {
  return {
    name: "mutex",
    init: false,
    step(held, input) {
      if (input.op === "acquire") return held ? undefined : true;
      if (input.op === "release") return held ? false : undefined;
      throw new TypeError(`mutex: unknown operation ${JSON.stringify(input)}`);
    },
    stateKey: (held) => (held ? 1 : 0),
    describe: (input, output) => `${input.op}${output === UNKNOWN ? " -> ?" : ""}`,
  };
}
