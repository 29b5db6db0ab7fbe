/**
 * Readers for the three history formats of the linearizability corpus (../shared/data/linearizability,
 * FORMATS.md there): Jepsen's etcd logs (a CAS register, as porcupine reads them), porcupine's
 * key-value histories, and Knossos' EDN histories (CAS register, multi-register, mutex). Each returns
 * a history and the model to check it against. Bad input gets an error naming the line.
 */
import { parseEdn, type Edn } from "./edn";
import { UNKNOWN, historyFromEvents, type Operation, type Unknown } from "./history";
import { casRegister, keyValueStore, multiRegister, mutex, type KvInput, type KvOutput, type Model, type MutexInput, type RegisterInput, type RegisterOutput, type RegisterValue, type TxnStep } from "./models";

type Event<I, O> = { client: string | number; type: "invoke" | "ok" | "unknown" | "dropped"; input?: I; output?: O | Unknown };

export interface ReadHistory<S, I, O> {
  readonly history: Operation<I, O>[];
  readonly model: Model<S, I, O>;
}

function registerValue(token: string, where: string): RegisterValue {
  if (token === "nil") return null;
  if (!/^-?\d+$/.test(token)) throw new SyntaxError(`${where}: expected an integer or nil, got "${token}"`);
  return Number(token);
}

/**
 * Jepsen etcd log (one event per line, `INFO jepsen.util - <process> :invoke :read nil`), read as
 * porcupine does: a register that starts absent (nil); `:fail :cas` saw a different value; a read
 * that failed with a timeout completed with an unknown value; `:info` (timed out) leaves the
 * operation open, so it may or may not have taken effect.
 */
export function readEtcdLog(text: string, source = "etcd log"): ReadHistory<RegisterValue, RegisterInput, RegisterOutput> {
  const events: Event<RegisterInput, RegisterOutput>[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "") return;
    const where = `${source} line ${index + 1}`;
    const match = /jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\s+(.*)$/.exec(line);
    if (match === null) throw new SyntaxError(`${where}: not a Jepsen event ("${line.slice(0, 80)}")`);
    const [, process, type, f, rest] = match as unknown as [string, string, string, "read" | "write" | "cas", string];
    const value = rest.trim();
    const client = Number(process);
    if (type === "invoke") {
      let input: RegisterInput;
      if (f === "read") input = { op: "read" };
      else if (f === "write") input = { op: "write", value: registerValue(value, where) };
      else {
        const pair = /^\[\s*(\S+)\s+(\S+)\s*\]$/.exec(value);
        if (pair === null) throw new SyntaxError(`${where}: a cas needs [from to], got "${value}"`);
        input = { op: "cas", from: registerValue(pair[1]!, where), to: registerValue(pair[2]!, where) };
      }
      events.push({ client, type: "invoke", input });
    } else if (type === "ok") {
      events.push({ client, type: "ok", output: f === "read" ? registerValue(value, where) : f === "cas" ? true : null });
    } else if (type === "fail") {
      if (f === "cas") events.push({ client, type: "ok", output: false });
      else if (f === "read") events.push({ client, type: "ok", output: UNKNOWN });
      else throw new SyntaxError(`${where}: a write cannot :fail in this format`);
    }
    // :info: the operation timed out; it stays open and is closed, unknown, at the end.
  });
  return { history: historyFromEvents<RegisterInput, RegisterOutput>(events), model: casRegister(null) };
}

function ednMaps(text: string, source: string): { [key: string]: Edn }[] {
  const forms = parseEdn(text, source);
  const ops = forms.length === 1 && Array.isArray(forms[0]) ? forms[0] : forms;
  return ops.map((op, index) => {
    if (op === null || typeof op !== "object" || Array.isArray(op)) throw new SyntaxError(`${source}: operation ${index} is not a map`);
    return op;
  });
}

function clientOf(op: { [key: string]: Edn }, source: string, index: number): number | string {
  const process = op.process;
  if (typeof process !== "number" && typeof process !== "string") throw new SyntaxError(`${source}: operation ${index} has no :process`);
  return process;
}

/** Porcupine's key-value histories (one EDN map per line: get, put and append on string keys). */
export function readPorcupineKv(text: string, source = "kv history"): ReadHistory<string, KvInput, KvOutput> {
  const events: Event<KvInput, KvOutput>[] = [];
  ednMaps(text, source).forEach((op, index) => {
    const client = clientOf(op, source, index);
    const { type, f, key, value } = op;
    if (typeof key !== "string") throw new SyntaxError(`${source}: operation ${index} has no string :key`);
    if (type === "invoke") {
      if (f === "get") events.push({ client, type: "invoke", input: { op: "get", key } });
      else if ((f === "put" || f === "append") && typeof value === "string") events.push({ client, type: "invoke", input: { op: f, key, value } });
      else throw new SyntaxError(`${source}: operation ${index}: expected :get, or :put/:append with a string :value`);
    } else if (type === "ok") {
      if (f === "get" && typeof value !== "string") throw new SyntaxError(`${source}: operation ${index}: a completed :get needs a string :value`);
      events.push({ client, type: "ok", output: f === "get" ? (value as string) : null });
    } else throw new SyntaxError(`${source}: operation ${index}: unexpected :type ${JSON.stringify(type)}`);
  });
  return { history: historyFromEvents<KvInput, KvOutput>(events), model: keyValueStore() };
}

/** Knossos' event types: `:fail` did not happen, `:info` may or may not have (the process crashed). */
function knossosType(type: Edn, source: string, index: number): "invoke" | "ok" | "unknown" | "dropped" {
  if (type === "invoke" || type === "ok") return type;
  if (type === "fail") return "dropped";
  if (type === "info") return "unknown";
  throw new SyntaxError(`${source}: operation ${index}: unexpected :type ${JSON.stringify(type)}`);
}

/** Knossos' events of client processes: the nemesis's (partitions, crashes) are not operations. */
function knossosClientOps(text: string, source: string): { op: { [key: string]: Edn }; client: number | string; type: ReturnType<typeof knossosType>; index: number }[] {
  return ednMaps(text, source)
    .map((op, index) => ({ op, index, client: clientOf(op, source, index) }))
    .filter(({ client }) => client !== "nemesis")
    .map(({ op, index, client }) => ({ op, index, client, type: knossosType(op.type ?? null, source, index) }));
}

function ednRegisterValue(value: Edn, source: string, index: number): RegisterValue {
  // (written without narrowing by typeof, which the notebook kernel's non-strict compiler does not apply here)
  if (value === null) return null;
  if (typeof value === "number") return value as number;
  if (typeof value === "string") return value as string;
  throw new SyntaxError(`${source}: operation ${index}: expected a register value, got ${JSON.stringify(value)}`);
}

/**
 * Knossos CAS register history (`:read`, `:write`, `:cas [from to]`), checked against a register
 * starting at `initial` (0 in Knossos' tests). A read of nil is a read whose value is unknown.
 */
export function readKnossosCasRegister(text: string, initial: RegisterValue = 0, source = "Knossos history"): ReadHistory<RegisterValue, RegisterInput, RegisterOutput> {
  const events: Event<RegisterInput, RegisterOutput>[] = knossosClientOps(text, source).map(({ op, client, type, index }) => {
    const { f, value } = op;
    if (type !== "invoke") {
      if (type !== "ok") return { client, type };
      const output: RegisterOutput | Unknown = f === "read" ? (value === null ? UNKNOWN : ednRegisterValue(value ?? null, source, index)) : f === "cas" ? true : null;
      return { client, type, output };
    }
    if (f === "read") return { client, type, input: { op: "read" } };
    if (f === "write") return { client, type, input: { op: "write", value: ednRegisterValue(value ?? null, source, index) } };
    if (f === "cas" && Array.isArray(value) && value.length === 2) {
      return { client, type, input: { op: "cas", from: ednRegisterValue(value[0]!, source, index), to: ednRegisterValue(value[1]!, source, index) } };
    }
    throw new SyntaxError(`${source}: operation ${index}: unexpected :f ${JSON.stringify(f)} with :value ${JSON.stringify(value)}`);
  });
  return { history: historyFromEvents<RegisterInput, RegisterOutput>(events), model: casRegister(initial) };
}

function txnSteps(value: Edn | undefined, source: string, index: number): TxnStep[] {
  if (!Array.isArray(value)) throw new SyntaxError(`${source}: operation ${index}: a :txn needs a vector of steps`);
  return value.map((step) => {
    if (!Array.isArray(step) || step.length !== 3 || (step[0] !== "read" && step[0] !== "write") || typeof step[1] !== "string") {
      throw new SyntaxError(`${source}: operation ${index}: a step must be [:read|:write :name value], got ${JSON.stringify(step)}`);
    }
    return [step[0], step[1], ednRegisterValue(step[2]!, source, index)] as const;
  });
}

/** Knossos multi-register history (`:txn` of reads and writes), against registers starting at `initial`. */
export function readKnossosMultiRegister(text: string, initial: { readonly [name: string]: RegisterValue }, source = "Knossos history") {
  const events: Event<readonly TxnStep[], readonly TxnStep[]>[] = knossosClientOps(text, source).map(({ op, client, type, index }) => {
    if (op.f !== "txn") throw new SyntaxError(`${source}: operation ${index}: expected :f :txn`);
    if (type === "invoke") return { client, type, input: txnSteps(op.value, source, index) };
    if (type === "ok") return { client, type, output: txnSteps(op.value, source, index) };
    return { client, type };
  });
  return { history: historyFromEvents<readonly TxnStep[], readonly TxnStep[]>(events), model: multiRegister(initial) };
}

/** Knossos mutex history (`:acquire`, `:release`). */
export function readKnossosMutex(text: string, source = "Knossos history"): ReadHistory<boolean, MutexInput, null> {
  const events: Event<MutexInput, null>[] = knossosClientOps(text, source).map(({ op, client, type, index }) => {
    if (op.f !== "acquire" && op.f !== "release") throw new SyntaxError(`${source}: operation ${index}: expected :acquire or :release`);
    if (type === "invoke") return { client, type, input: { op: op.f } };
    if (type === "ok") return { client, type, output: null };
    return { client, type };
  });
  return { history: historyFromEvents<MutexInput, null>(events), model: mutex() };
}
