/**
 * Graded tests of Exercise 5.2, a key-value store of LWW registers with tombstones and
 * anti-entropy (lecture 5, slides "Timestamps and tombstones", "Reconciling replicas").
 */
import * as fc from "fast-check";
import { checkLwwStore } from "../../checks/lww";
import type { ScenarioRequest } from "../../sim/scenario";
import { defineExercise, type Verdict } from "../define";
import { drivers, type LwwRun } from "./drivers/lww-store";
import { antiEntropyRuns, checkAntiEntropyRun, fixedRun } from "./replication-runs";

const KEYS = ["x", "y"] as const;

/** A get of every key at every replica at atMs. */
export function finalGets(nodes: readonly string[], atMs: number): ScenarioRequest[] {
  return nodes.flatMap((node) => KEYS.map((key) => ({ node, atMs, request: { type: "get", key } })));
}

/** Trusted check, shared with the hidden tests. */
export function checkLwwRun(input: LwwRun, output: unknown): Verdict {
  return checkAntiEntropyRun(input, output, "get", checkLwwStore);
}

/**
 * Random runs: 2-4 replicas; puts, deletes and gets of x and y at random replicas and times; loss,
 * duplication; partitions and crash-recoveries; then a get of every key at every replica.
 */
export function lwwRuns(options: { nodesMax: number; requestsMax: number; partitionsMax: number; recoveriesMax: number }): fc.Arbitrary<LwwRun> {
  return antiEntropyRuns(options, {
    seedPrefix: "lww-store",
    latencyMsMax: 40,
    // Deletes are frequent, so that tombstones meet older puts in anti-entropy.
    choice: fc.record({ op: fc.constantFrom("put", "put", "delete", "get"), key: fc.constantFrom(...KEYS) }),
    request: (node, k, { op, key }) => (op === "put" ? { type: "put", key, value: `${node}${k}` } : { type: op, key }),
    readType: "get",
    finalReads: finalGets,
  });
}

/**
 * The slide's "Adding and then removing again": A puts x; B deletes it after the put reached it;
 * C was cut off and still has the put when it syncs again: the tombstone must win everywhere.
 */
export const deleteThenReconcile: LwwRun = fixedRun("lww-delete-reconcile", ["A", "B", "C"], [
  { node: "A", atMs: 0, request: { type: "put", key: "x", value: "A0" } },
  { node: "B", atMs: 100, request: { type: "get", key: "x" } },
  { node: "B", atMs: 110, request: { type: "delete", key: "x" } },
  { node: "C", atMs: 120, request: { type: "get", key: "x" } },
  { node: "B", atMs: 130, request: { type: "get", key: "x" } },
], { reads: finalGets, atMs: 1400 }, [{ kind: "partition", groups: [["A", "B"], ["C"]], atMs: 105, healAtMs: 400 }]);

/** Two replicas write x concurrently (partitioned): after healing, both keep the larger timestamp. */
export const concurrentWrites: LwwRun = fixedRun("lww-concurrent", ["A", "B"], [
  { node: "A", atMs: 10, request: { type: "put", key: "x", value: "A0" } },
  { node: "B", atMs: 12, request: { type: "put", key: "x", value: "B0" } },
  { node: "B", atMs: 14, request: { type: "put", key: "y", value: "B1" } },
  { node: "A", atMs: 20, request: { type: "get", key: "x" } },
], { reads: finalGets, atMs: 1200 }, [{ kind: "partition", groups: [["A"], ["B"]], atMs: 0, healAtMs: 200 }]);

/** A puts x and crashes before its first anti-entropy round; it recovers and reads x back. */
export const crashBeforeSync: LwwRun = fixedRun("lww-crash-before-sync", ["A", "B", "C"], [
  { node: "B", atMs: 0, request: { type: "put", key: "y", value: "B0" } },
  { node: "A", atMs: 20, request: { type: "put", key: "x", value: "A0" } },
  { node: "A", atMs: 21, request: { type: "delete", key: "y" } },
  { node: "A", atMs: 200, request: { type: "get", key: "x" } },
  { node: "A", atMs: 201, request: { type: "get", key: "y" } },
], { reads: finalGets, atMs: 1200 }, [{ kind: "crash", node: "A", atMs: 22, recoverAtMs: 150 }]);

export const lwwStoreExercise = defineExercise({
  id: "5.2",
  title: "LWW key-value store with tombstones and anti-entropy",
  slide: "Reconciling replicas",
  module: "lww-store",
  drivers,
  isolation: "nodes",
  tests: [
    {
      name: "Timestamps and tombstones: a delete survives reconciliation",
      points: 2,
      category: "basic",
      description: "A puts x, B deletes it, C (cut off) still holds the put; after healing, every replica says x is deleted. Then two concurrent puts of x: the larger timestamp wins at both replicas.",
      driver: "run",
      inputs: [deleteThenReconcile, concurrentWrites],
      check: checkLwwRun,
    },
    {
      name: "loss, duplication and partitions: gets return the newest write seen, replicas converge",
      points: 4,
      category: "unreliable network",
      description: "Random runs at 2-4 replicas, up to 14 puts, deletes and gets, up to 30% loss, 20% duplication, up to two partitions: each get returns the newest write (by timestamp) of its key that happened before it, a later write has a later timestamp, and after healing every replica agrees.",
      driver: "run",
      arbitrary: lwwRuns({ nodesMax: 4, requestsMax: 14, partitionsMax: 2, recoveriesMax: 0 }),
      runs: 20,
      check: checkLwwRun,
    },
    {
      name: "crash-recovery: a write survives a crash before anti-entropy passed it on",
      points: 1,
      category: "crashes",
      description: "A puts x and deletes y, then crashes before its next anti-entropy round, and recovers 128 ms later: its gets, and after that every replica, still see both writes.",
      driver: "run",
      inputs: [crashBeforeSync],
      check: checkLwwRun,
    },
    {
      name: "crash-recovery: records and the clock survive in stable storage",
      points: 2,
      category: "crashes",
      description: "As above, with up to two crash-recoveries (20-200 ms): a replica that recovers still has its records (and its Lamport clock), so nothing written is lost and deleted keys stay deleted.",
      driver: "run",
      arbitrary: lwwRuns({ nodesMax: 4, requestsMax: 14, partitionsMax: 1, recoveriesMax: 2 }),
      runs: 15,
      check: checkLwwRun,
    },
  ],
});
