/**
 * Random concurrent workloads against a replicated register, checked for linearizability (lecture 6,
 * slides "Linearizability" to "Linearizable compare-and-swap (CAS)"). Each client node runs one
 * operation at a time (get, set or CAS on a few keys, as the protocol takes them), thinking a random
 * while between them; a minority of nodes may crash. The client operations of the run become a
 * history (./client-history.ts) that checkLinearizable judges; every draw comes from the seed.
 */
import type { AnyProtocol, NodeId } from "../sim/protocol";
import { latency, Simulation } from "../sim/index";
import type { Trace } from "../sim/trace";
import type { DeliverEvent } from "../sim/trace-events";
import { historyFromTrace, keyedCasRegister, type KeyedRegisterInput, type TracedOperation } from "./client-history";
import { checkLinearizable, type LinearizabilityResult } from "./linearizability/check";
import type { RegisterOutput } from "./linearizability/models";

export interface RegisterWorkloadOptions {
  readonly seed: string;
  readonly protocol: AnyProtocol;
  /** Default A..E. */
  readonly nodes?: readonly NodeId[];
  /** Nodes that issue operations. Default: every node. */
  readonly clients?: readonly NodeId[];
  /** Operations per client. Default 6. */
  readonly operationsPerClient?: number;
  /** Keys operated on. Default ["x"]. */
  readonly keys?: readonly string[];
  /** Which operations to draw: "get"/"set" for quorum registers, "get"/"CAS" for CAS. Default get and set. */
  readonly kinds?: readonly ("get" | "set" | "CAS")[];
  /** How many nodes crash (crash-stop), at random times in the first crashWithinMs. Default 0. */
  readonly crashes?: number;
  readonly crashWithinMs?: number;
  /** Nodes that never crash (e.g. a total order broadcast's leader). */
  readonly neverCrash?: readonly NodeId[];
  /** Message latency, uniform in [min, max] ms. Default 1-20. */
  readonly latencyMs?: readonly [number, number];
  readonly untilMs?: number;
}

export interface RegisterWorkloadRun {
  readonly trace: Trace;
  readonly history: TracedOperation<KeyedRegisterInput, RegisterOutput>[];
  readonly result: LinearizabilityResult;
  readonly crashed: NodeId[];
}

export function runRegisterWorkload(options: RegisterWorkloadOptions): RegisterWorkloadRun {
  const nodes = [...(options.nodes ?? ["A", "B", "C", "D", "E"])];
  const clients = [...(options.clients ?? nodes)];
  const perClient = options.operationsPerClient ?? 6;
  const keys = [...(options.keys ?? ["x"])];
  const kinds = [...(options.kinds ?? ["get", "set"])];
  const crashes = options.crashes ?? 0;
  const [minMs, maxMs] = options.latencyMs ?? [1, 20];
  for (const c of clients) if (!nodes.includes(c)) throw new RangeError(`runRegisterWorkload: client ${c} is not one of the nodes ${nodes.join(", ")}`);
  if (!Number.isSafeInteger(perClient) || perClient < 1 || perClient > 1000) throw new RangeError(`runRegisterWorkload: operationsPerClient must be an integer in 1..1000, got ${perClient}`);
  if (keys.length === 0 || kinds.length === 0) throw new RangeError("runRegisterWorkload: keys and kinds must not be empty");
  if (!Number.isSafeInteger(crashes) || crashes < 0 || crashes > nodes.length) throw new RangeError(`runRegisterWorkload: crashes must be an integer in 0..${nodes.length}, got ${crashes}`);
  const sim = new Simulation({ seed: options.seed, nodes, protocol: options.protocol, network: { model: "reliable", latency: latency.uniform(minMs, maxMs) } });
  const random = sim.random("workload");
  const issued = new Map<NodeId, number>();
  const values: (string | null)[] = [null];
  const next = (client: NodeId, atMs: number) => {
    const k = issued.get(client) ?? 0;
    if (k >= perClient) return;
    issued.set(client, k + 1);
    const opId = `${client}${k + 1}`;
    const key = random.pick(keys);
    const kind = random.pick(kinds);
    const value = `${client}${k + 1}`;
    const request =
      kind === "get" ? { type: "get", opId, key, x: key }
      : kind === "set" ? { type: "set", opId, key, value }
      : { type: "CAS", opId, x: key, old: random.pick(values), new: value };
    if (kind !== "get") values.push(value);
    sim.request(client, request, atMs);
  };
  sim.on((e) => e.kind === "deliver" && e.app && (e.value as { type?: unknown })?.type === "ok" && clients.includes(e.node), (s, e) => next((e as DeliverEvent).node, s.now + random.uniform(0, 20)));
  for (const client of clients) next(client, random.uniform(0, 30));
  const candidates = nodes.filter((n) => !(options.neverCrash ?? []).includes(n));
  const crashed = random.shuffle(candidates).slice(0, crashes);
  for (const node of crashed) sim.crash(node, random.uniform(0, options.crashWithinMs ?? 200));
  const trace = sim.run({ untilMs: options.untilMs ?? 5000 }).trace;
  const history = historyFromTrace<KeyedRegisterInput, RegisterOutput>(trace);
  return { trace, history, result: checkLinearizable(history, keyedCasRegister()), crashed };
}

/**
 * The slide "Not linearizable, despite quorum reads/writes" as a run on five nodes (quorum 3), for
 * any protocol taking get/set requests with opIds: A sets x = v1 at 0 ms, and its Write reaches A and
 * C at once but B, D and E only after `slowMs`; B's get at 20 ms hears first from A, B and C (D's
 * and E's replies are slow); E's get at 100 ms hears first from B, D and E (A's and C's are slow).
 * Every other message takes 5 ms. With plain quorum reads E's get returns the old value after B's
 * returned the new one; ABD's write-back makes B store v1 before its get returns.
 */
export function slideQuorumRun(protocol: AnyProtocol, slowMs = 300): Trace {
  const slow = (m: { from: NodeId; to: NodeId; msg: { type: string; opId?: unknown } }): boolean => {
    if (m.msg.opId === "set" && m.msg.type === "Write") return ["B", "D", "E"].includes(m.to);
    if (m.msg.opId === "get1" && m.to === "B") return ["D", "E"].includes(m.from);
    if (m.msg.opId === "get1" && m.msg.type === "Write") return ["D", "E"].includes(m.to);
    if (m.msg.opId === "get2" && m.to === "E") return ["A", "C"].includes(m.from);
    return false;
  };
  const sim = new Simulation({
    seed: "slide: not linearizable despite quorums",
    nodes: ["A", "B", "C", "D", "E"],
    protocol,
    network: {
      model: "arbitrary",
      latency: latency.constant(5),
      adversary: (m) => (slow(m as never) ? [{ delayMs: slowMs }] : undefined),
    },
  });
  sim.request("A", { type: "set", opId: "set", key: "x", value: "v1" }, 0);
  sim.request("B", { type: "get", opId: "get1", key: "x" }, 20);
  sim.request("E", { type: "get", opId: "get2", key: "x" }, 100);
  return sim.run({ untilMs: 10 * slowMs }).trace;
}
