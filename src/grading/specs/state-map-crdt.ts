/**
 * Graded tests of Exercise 8.2, the state-based map CRDT (lecture 8, slides "State-based map CRDT"
 * and "State-based CRDTs"): the merge's laws on random states, and runs judged like 8.1's.
 */
import * as fc from "fast-check";
import { timestampLess, type MapEntry } from "../../protocols/crdt/map-crdt";
import { defineExercise } from "../define";
import { mergeLaws } from "./crdt-checks";
import { drivers, searchWrites } from "./drivers/state-map-crdt";
import { fail, pass, type Verdict } from "../define";
import { searchVerdict, type SearchInput } from "../explore";
import { Trace } from "../../sim/trace";
import { concurrentWrites, mapChecks, mapRuns, sequentialWrites } from "./op-map-crdt";

/** A state: triples with globally unique timestamps (a timestamp names one write), at most one per key. */
const mapState = fc
  .uniqueArray(fc.record({ L: fc.integer({ min: 1, max: 6 }), N: fc.constantFrom("A", "B", "C"), k: fc.constantFrom("x", "y", "z") }), { selector: (e) => `${e.L}${e.N}`, maxLength: 6 })
  .map((list) => {
    // A replica's state holds one triple per key: the greatest it has seen.
    const best = new Map<string, MapEntry>();
    for (const e of list) {
      const entry: MapEntry = { t: { L: e.L, N: e.N }, k: e.k, v: `${e.k}@${e.L}${e.N}` };
      const held = best.get(e.k);
      if (held === undefined || timestampLess(held.t, entry.t)) best.set(e.k, entry);
    }
    return [...best.values()];
  });

function validEntries(value: unknown): string | undefined {
  if (!Array.isArray(value)) return "expected an array of triples { t: { L, N }, k, v }";
  for (const e of value) {
    if (e === null || typeof e !== "object" || typeof e.k !== "string" || e.t === null || typeof e.t !== "object" || typeof e.t.L !== "number" || typeof e.t.N !== "string") {
      return `expected triples { t: { L, N }, k, v }, found ${JSON.stringify(e)}`;
    }
  }
  return undefined;
}

const key = (e: MapEntry) => `${e.t.L}/${e.t.N}/${e.k}/${JSON.stringify(e.v)}`;
/** Equal as sets of triples, and no triple twice. */
function sameEntries(x: readonly MapEntry[], y: readonly MapEntry[]): boolean {
  const a = x.map(key).sort();
  const b = y.map(key).sort();
  return a.length === new Set(a).size && b.length === new Set(b).size && a.join("\n") === b.join("\n");
}

/** The definition: per key, exactly the triple of a ∪ b with the greatest timestamp. */
function mergeIsDefinition(a: readonly MapEntry[], b: readonly MapEntry[], merged: readonly MapEntry[]): string | undefined {
  const expected = new Map<string, MapEntry>();
  for (const e of [...a, ...b]) {
    const held = expected.get(e.k);
    if (held === undefined || timestampLess(held.t, e.t)) expected.set(e.k, e);
  }
  if (!sameEntries(merged, [...expected.values()])) return `= ${JSON.stringify(merged)}, but the merge keeps, per key, the one triple with the greatest timestamp: ${JSON.stringify([...expected.values()])}`;
  return undefined;
}

export const stateMapChecks = {
  merge: (input: { a: MapEntry[]; b: MapEntry[]; c: MapEntry[] }, output: unknown) => mergeLaws(input, output, validEntries, sameEntries, mergeIsDefinition),
  final: mapChecks.final,
};

/** Every delivery order of three concurrent writes at three replicas, and every interleaving with the writes. */
export const everyDeliveryOrder: SearchInput = {
  nodes: ["A", "B", "C"], requests: searchWrites, network: { model: "reliable" }, timers: { fire: "never" },
  bounds: { maxDepth: 30, maxStates: 20_000 },
};

export const mergeInputs = fc.record({ a: mapState, b: mapState, c: mapState });

export const stateMapCrdtExercise = defineExercise({
  id: "8.2",
  title: "State-based map CRDT",
  slide: "State-based map CRDT",
  module: "state-map-crdt",
  drivers,
  isolation: "nodes",
  tests: [
    {
      name: "merge: commutative, associative, idempotent, and the slide's definition",
      points: 3,
      category: "basic",
      description: "mergeMaps on random states of up to three keys: per key the triple with the greatest timestamp, each triple once; merge(a, b) = merge(b, a); merge(merge(a, b), c) = merge(a, merge(b, c)); merge(a, a) = a.",
      driver: "merge",
      arbitrary: mergeInputs,
      runs: 60,
      check: stateMapChecks.merge,
    },
    {
      name: "search: convergence in every delivery order",
      points: 2,
      category: "search",
      description: "The explorer tries every order in which three replicas can hear of three concurrent writes (two of the same key), interleaved with the writes themselves: once every message has arrived, all replicas hold the same map.",
      driver: "search",
      inputs: [everyDeliveryOrder],
      check: searchVerdict({ requireExhausted: true }),
    },
    {
      name: "sequential and concurrent writes",
      points: 2,
      category: "basic",
      description: "As in 8.1: the last of sequential writes wins everywhere; concurrent writes of one key end the same at every replica.",
      driver: "run",
      inputs: [sequentialWrites, concurrentWrites],
      check: stateMapChecks.final,
    },
    {
      name: "unreliable network: replicas catch up by re-broadcasting",
      points: 3,
      category: "unreliable network",
      description: "Random runs at 2-5 nodes, up to 10 writes, up to 40% loss and 20% duplication: a write's one broadcast may be lost, so only the periodic re-broadcast of the state makes replicas converge.",
      driver: "run",
      arbitrary: mapRuns({ nodesMax: 5, writesMax: 10, loss: [0.2, 0.4], duplicate: [0, 0.2] }),
      runs: 12,
      check: stateMapChecks.final,
    },
    {
      name: "crash-recovery and partitions",
      points: 2,
      category: "crashes",
      description: "Nodes crash and recover with their memory lost, the network partitions and heals: replicas that are up at the end converge, the recovered ones from the others' states.",
      driver: "run",
      arbitrary: mapRuns({ nodesMax: 4, writesMax: 8, loss: [0, 0.2], duplicate: [0], recoveriesMax: 2, partitionsMax: 1 }),
      runs: 10,
      check: stateMapChecks.final,
    },
  ],
});
