/**
 * Graded tests of Exercises 8.1 and 8.2's protocol part: map CRDTs (lecture 8, slides
 * "Operation-based map CRDT" and "State-based map CRDT"), judged by the final reads of each run.
 */
import * as fc from "fast-check";
import type { Scenario, ScenarioRequest } from "../../sim/scenario";
import { defineExercise, fail, pass, type Verdict } from "../define";
import { converged, crdtRuns, finalAnswers, madeRequests, withFinalReads } from "./crdt-checks";
import { drivers } from "./drivers/op-map-crdt";

export const MAP_KEYS = ["x", "y"] as const;
const reads = MAP_KEYS.map((k) => ({ type: "read", k }));
type SetRequest = { type: "set"; k: string; v: string };

/** The k-th write at `node`: keys alternate x, y; the value names the writer. */
export function mapWrite(node: string, k: number): SetRequest {
  return { type: "set", k: MAP_KEYS[k % 2]!, v: `${node}${k}` };
}

/** What a final read answered: { read: k, value }, as [k, value]. */
function readAnswer(value: unknown): [string, unknown] | string {
  if (value === null || typeof value !== "object" || typeof (value as { read?: unknown }).read !== "string" || !("value" in value)) return "expected { read: k, value }";
  const answer = value as unknown as { read: string; value: unknown };
  return [answer.read, answer.value];
}

/** Writes made one at a time, far apart: the last of them must be what everyone reads. */
const QUIET_MS = 350;

export const mapChecks = {
  /**
   * Replicas that are up converge; each key's value is one that was written for it (or null if no
   * write to it survived); a key whose last write came QUIET_MS after all others has that value.
   */
  final(run: Scenario, output: unknown): Verdict {
    const read = finalAnswers(run, output, MAP_KEYS.length, readAnswer);
    if (!("answers" in read)) return read;
    const { trace, answers } = read;
    const sorted = new Map([...answers].map(([node, list]) => [node, [...list].sort((a, b) => (a[0] < b[0] ? -1 : 1))]));
    const verdict = converged(run, trace, sorted, (list) => list.map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", "));
    if (!verdict.ok) return verdict;
    const writes = madeRequests<SetRequest>(run, "set");
    const [, list] = [...sorted][0] ?? [undefined, []];
    for (const key of MAP_KEYS) {
      const answer = list.find(([k]) => k === key);
      if (answer === undefined) return fail(`no replica answered the read of ${key} [run seed=${run.seed}]`);
      const mine = writes.filter((w) => w.request.k === key).sort((a, b) => a.atMs - b.atMs);
      const value = answer[1];
      const crashes = (node: string) => (run.faults ?? []).some((f) => f.kind === "crash" && f.node === node);
      const survivor = mine.find((w) => !crashes(w.node));
      if (value === null && survivor !== undefined) {
        return fail(`${key} = null, but ${survivor.node} (which never crashed) wrote ${JSON.stringify(survivor.request.v)} to it at ${survivor.atMs} ms [run seed=${run.seed}]`, [...trace.events]);
      }
      if (value !== null && !mine.some((w) => w.request.v === value)) {
        return fail(`${key} = ${JSON.stringify(value)}, a value never written to ${key} (writes: ${mine.map((w) => w.request.v).join(", ") || "none"}) [run seed=${run.seed}]`, [...trace.events]);
      }
      const last = mine[mine.length - 1];
      const before = mine[mine.length - 2];
      const lastStands = last !== undefined && !crashes(last.node) && (before === undefined || last.atMs - before.atMs >= QUIET_MS);
      if (lastStands && value !== last!.request.v) {
        return fail(`${key} = ${JSON.stringify(value)}, but the last write, ${last!.node}'s ${JSON.stringify(last!.request.v)} at ${last!.atMs} ms, came after every other write had spread: the last writer must win [run seed=${run.seed}]`, [...trace.events]);
      }
    }
    return pass;
  },
};

const writes = (list: readonly (readonly [string, number, string, string])[]): ScenarioRequest[] =>
  list.map(([node, atMs, k, v]) => ({ node, atMs, request: { type: "set", k, v } }));

/** One after another, each by a replica whose name sorts before the previous writer's. */
export const sequentialWrites: Scenario = withFinalReads({
  seed: "map-sequential", nodes: ["A", "B", "C"], network: { latencyMs: [1, 40] },
  requests: writes([["C", 0, "x", "first"], ["B", 400, "x", "second"], ["A", 800, "x", "third"], ["C", 100, "y", "only"]]),
  untilMs: 1600,
}, reads);

/** Two replicas write the same key at the same moment: equal counters, so the node name decides. */
export const concurrentWrites: Scenario = withFinalReads({
  seed: "map-concurrent", nodes: ["A", "B", "C"], network: { latencyMs: [10, 30] },
  requests: writes([["A", 0, "x", "from A"], ["B", 0, "x", "from B"], ["C", 5, "y", "from C"], ["A", 5, "y", "from A"]]),
  untilMs: 1600,
}, reads);

/** Random runs of writes to x and y, ending with reads everywhere. */
export function mapRuns(shape: { nodesMax: number; writesMax: number; loss: number[]; duplicate: number[]; crashesMax?: number; recoveriesMax?: number; partitionsMax?: number }): fc.Arbitrary<Scenario> {
  return crdtRuns({
    nodesMin: 2, nodesMax: shape.nodesMax, requestsMax: shape.writesMax, spreadMs: 300, request: mapWrite,
    loss: shape.loss, duplicate: shape.duplicate, latencyMsMax: 60,
    crashesMax: shape.crashesMax ?? 0, recoveriesMax: shape.recoveriesMax ?? 0, partitionsMax: shape.partitionsMax ?? 0, seedPrefix: "map",
  }, reads);
}

export const opMapCrdtExercise = defineExercise({
  id: "8.1",
  title: "Operation-based map CRDT",
  slide: "Operation-based map CRDT",
  module: "op-map-crdt",
  drivers,
  isolation: "nodes",
  tests: [
    {
      name: "sequential writes: the last writer wins",
      points: 2,
      category: "basic",
      description: "C, B, then A write x, 400 ms apart (each write seen everywhere before the next): every replica reads A's value. The later writer has the smaller name, so timestamps must grow with what a replica has seen.",
      driver: "run",
      inputs: [sequentialWrites],
      check: mapChecks.final,
    },
    {
      name: "concurrent writes of one key: replicas agree",
      points: 2,
      category: "basic",
      description: "A and B write x at the same instant (equal Lamport counters): all replicas keep the same one, which needs the node name as tie-break.",
      driver: "run",
      inputs: [concurrentWrites],
      check: mapChecks.final,
    },
    {
      name: "unreliable network: loss, duplication, reordering",
      points: 3,
      category: "unreliable network",
      description: "Random runs at 2-5 nodes, up to 10 writes of two keys from several nodes, up to 30% loss and 20% duplication: the replicas converge to written values.",
      driver: "run",
      arbitrary: mapRuns({ nodesMax: 5, writesMax: 10, loss: [0, 0.1, 0.3], duplicate: [0, 0.2] }),
      runs: 15,
      check: mapChecks.final,
    },
    {
      name: "crashes and partitions",
      points: 3,
      category: "crashes",
      description: "As above, with a node crashing for good and the network partitioned for a while: the replicas still up converge.",
      driver: "run",
      arbitrary: mapRuns({ nodesMax: 5, writesMax: 10, loss: [0, 0.1], duplicate: [0, 0.1], crashesMax: 1, partitionsMax: 1 }),
      runs: 12,
      check: mapChecks.final,
    },
  ],
});

export { reads as mapReads };
