/**
 * Graded tests of Exercise 5.3, the multi-value register with vector clocks (lecture 5, slide
 * "Concurrent writes by different clients").
 */
import * as fc from "fast-check";
import { checkMultiValueRegister } from "../../checks/multi-value";
import type { ScenarioRequest } from "../../sim/scenario";
import { defineExercise, fail, pass, type Verdict } from "../define";
import { preview } from "../scenarios";
import { drivers, type MvRun } from "./drivers/multi-value-register";
import { antiEntropyRuns, checkAntiEntropyRun, fixedRun } from "./replication-runs";

/** A read at every replica at atMs. */
export function finalReads(nodes: readonly string[], atMs: number): ScenarioRequest[] {
  return nodes.map((node) => ({ node, atMs, request: { type: "read" } }));
}

/** Trusted check, shared with the hidden tests. */
export function checkMvRun(input: MvRun, output: unknown): Verdict {
  return checkAntiEntropyRun(input, output, "read", checkMultiValueRegister);
}

/** Random runs: 2-4 replicas, writes of distinct values and reads; loss, duplication, partitions, crash-recoveries; then a read at every replica. */
export function mvRuns(options: { nodesMax: number; requestsMax: number; partitionsMax: number; recoveriesMax: number }): fc.Arbitrary<MvRun> {
  return antiEntropyRuns(options, {
    seedPrefix: "multi-value-register",
    latencyMsMax: 60,
    choice: fc.constantFrom("write", "write", "read"),
    request: (node, k, op) => (op === "write" ? { type: "write", value: `${node}${k}` } : { type: "read" }),
    readType: "read",
    finalReads,
  });
}

/**
 * The slide's picture: A and B write concurrently (partitioned); C reads both siblings; then C
 * writes, having seen both, and its value supersedes them everywhere.
 */
export const concurrentThenResolved: MvRun = fixedRun("mvr-concurrent-then-resolved", ["A", "B", "C"], [
  { node: "A", atMs: 10, request: { type: "write", value: "v1" } },
  { node: "B", atMs: 12, request: { type: "write", value: "v2" } },
  { node: "A", atMs: 20, request: { type: "read" } },
  { node: "C", atMs: 300, request: { type: "read" } },
  { node: "C", atMs: 310, request: { type: "write", value: "v3" } },
  { node: "A", atMs: 312, request: { type: "read" } },
  { node: "A", atMs: 500, request: { type: "read" } },
], { reads: finalReads, atMs: 1400 }, [{ kind: "partition", groups: [["A"], ["B"]], atMs: 0, healAtMs: 200 }]);

/** Sequential writes at different replicas (each after the last has spread): one value at a time, never siblings. */
export const sequentialWrites: MvRun = fixedRun("mvr-sequential", ["A", "B", "C"], [
  { node: "A", atMs: 0, request: { type: "write", value: "a" } },
  { node: "B", atMs: 200, request: { type: "write", value: "b" } },
  { node: "C", atMs: 400, request: { type: "write", value: "c" } },
  { node: "A", atMs: 600, request: { type: "read" } },
], { reads: finalReads, atMs: 1400 });

const clocks = fc.dictionary(fc.constantFrom("A", "B", "C"), fc.integer({ min: 0, max: 3 }), { maxKeys: 3 });

/** Trusted check of the helpers against their definitions. */
export function checkHelpers(input: { a: Record<string, number>; b: Record<string, number>; list: Record<string, number>[]; siblings: { value: unknown; clock: Record<string, number> }[] }, output: unknown): Verdict {
  if (!Array.isArray(output) || output.length !== 3) return fail(`expected [clockLeq, clockMerge, prune] results, got ${preview(output)}`);
  const [leqOut, mergeOut, pruneOut] = output as [unknown, unknown, unknown];
  const leq = (x: Record<string, number>, y: Record<string, number>) => Object.entries(x).every(([n, k]) => k <= (y[n] ?? 0));
  if (leqOut !== leq(input.a, input.b)) return fail(`clockLeq(${preview(input.a)}, ${preview(input.b)}) returned ${preview(leqOut)}, expected ${leq(input.a, input.b)} (missing entries count as 0)`);
  const merged: Record<string, number> = {};
  for (const c of input.list) for (const [n, k] of Object.entries(c)) merged[n] = Math.max(merged[n] ?? 0, k);
  const m = mergeOut as Record<string, number> | null;
  if (typeof m !== "object" || m === null || !leq(m, merged) || !leq(merged, m)) return fail(`clockMerge(${preview(input.list)}) returned ${preview(mergeOut)}, expected the entry-wise maximum ${preview(merged)}`);
  if (!Array.isArray(pruneOut)) return fail(`prune(...) returned ${preview(pruneOut)}, expected a list of siblings`);
  const s = input.siblings;
  const lt = (x: Record<string, number>, y: Record<string, number>) => leq(x, y) && !leq(y, x);
  const eq = (x: Record<string, number>, y: Record<string, number>) => leq(x, y) && leq(y, x);
  const kept = pruneOut as { clock?: Record<string, number> }[];
  for (const k of kept) {
    if (typeof k?.clock !== "object" || k.clock === null || !s.some((o) => eq(o.clock, k.clock!))) return fail(`prune(${preview(s)}) returned ${preview(k)}, which is not one of the siblings given`);
    const over = s.find((o) => lt(k.clock!, o.clock));
    if (over !== undefined) return fail(`prune(${preview(s)}) kept ${preview(k)}, superseded by ${preview(over)}`);
  }
  for (const o of s) {
    if (s.some((x) => lt(o.clock, x.clock))) continue;
    const copies = kept.filter((k) => eq(k.clock!, o.clock)).length;
    if (copies !== 1) return fail(`prune(${preview(s)}) returned ${copies} siblings with clock ${preview(o.clock)}; it keeps exactly one copy of each clock that nothing supersedes`);
  }
  return pass;
}

export const multiValueRegisterExercise = defineExercise({
  id: "5.3",
  title: "Multi-value register with vector clocks",
  slide: "Concurrent writes by different clients",
  module: "multi-value-register",
  drivers,
  isolation: "nodes",
  tests: [
    {
      name: "clockLeq, clockMerge and prune",
      points: 1,
      category: "basic",
      description: "The helpers on random clocks over A, B, C (missing entries are 0): <= entry by entry, the entry-wise maximum, and the siblings that nothing supersedes, one copy of each clock.",
      driver: "helpers",
      arbitrary: fc.record({
        a: clocks,
        b: clocks,
        list: fc.array(clocks, { maxLength: 4 }),
        siblings: fc.array(clocks, { maxLength: 5 }).map((cs) => cs.map((clock, k) => ({ value: `v${k}`, clock }))),
      }),
      runs: 60,
      check: checkHelpers,
    },
    {
      name: "Concurrent writes: siblings kept, then superseded",
      points: 2,
      category: "basic",
      description: "A and B write while partitioned: reads after the heal return both values; C then writes, having seen both, and its value replaces them everywhere. Writes one after another never make siblings.",
      driver: "run",
      inputs: [concurrentThenResolved, sequentialWrites],
      check: checkMvRun,
    },
    {
      name: "loss, duplication and partitions: siblings are exactly the concurrent writes",
      points: 4,
      category: "unreliable network",
      description: "Random runs at 2-4 replicas, up to 14 writes and reads, up to 30% loss, 20% duplication, up to two partitions: each read returns exactly the writes that happened before it and that no other such write superseded; vector clocks order writes as happens-before does; after healing every replica agrees.",
      driver: "run",
      arbitrary: mvRuns({ nodesMax: 4, requestsMax: 14, partitionsMax: 2, recoveriesMax: 0 }),
      runs: 20,
      check: checkMvRun,
    },
    {
      name: "crash-recovery: siblings survive in stable storage",
      points: 2,
      category: "crashes",
      description: "As above, with up to two crash-recoveries (20-200 ms): a replica that recovers still knows the writes it had seen.",
      driver: "run",
      arbitrary: mvRuns({ nodesMax: 4, requestsMax: 14, partitionsMax: 1, recoveriesMax: 2 }),
      runs: 15,
      check: checkMvRun,
    },
  ],
});
