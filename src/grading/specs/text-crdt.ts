/**
 * Graded tests of Exercise 8.4, the slides' text CRDT (lecture 8, "Operation-based text CRDT"):
 * runs judged by the text every replica reads at the end.
 */
import * as fc from "fast-check";
import type { Scenario, ScenarioRequest } from "../../sim/scenario";
import { defineExercise, fail, pass, type Verdict } from "../define";
import { converged, crdtRuns, finalAnswers, madeRequests, withFinalReads } from "./crdt-checks";
import { drivers } from "./drivers/text-crdt";

const reads = [{ type: "read" }];
type InsertRequest = { type: "insert"; index: number; v: string };

function textAnswer(value: unknown): string | { text: string } {
  const text = (value as { text?: unknown } | null)?.text;
  return typeof text === "string" ? { text } : "expected { text }";
}

const counts = (chars: readonly string[]) => {
  const map = new Map<string, number>();
  for (const c of chars) map.set(c, (map.get(c) ?? 0) + 1);
  return [...map].sort().map(([c, n]) => `${c}×${n}`).join(" ");
};

export const textChecks = {
  /** Converged; the text holds each inserted character once, less one per delete made. */
  final(run: Scenario, output: unknown): Verdict {
    const read = finalAnswers(run, output, 1, textAnswer);
    if (!("answers" in read)) return read;
    const { trace, answers } = read;
    const verdict = converged(run, trace, answers, (list) => JSON.stringify(list[0]!.text));
    if (!verdict.ok) return verdict;
    const text = [...answers.values()][0]?.[0]?.text ?? "";
    const inserted = madeRequests<InsertRequest>(run, "insert").map((r) => r.request.v);
    const deletes = madeRequests(run, "delete").length;
    if ([...text].length !== inserted.length - deletes) {
      return fail(`every replica reads ${JSON.stringify(text)} (${[...text].length} characters), but ${inserted.length} were inserted and ${deletes} deleted [run seed=${run.seed}]`, [...trace.events]);
    }
    if (deletes === 0 && counts([...text]) !== counts(inserted)) {
      return fail(`every replica reads ${JSON.stringify(text)}, but the characters inserted were ${counts(inserted)} [run seed=${run.seed}]`, [...trace.events]);
    }
    return pass;
  },
  /** The final text is exactly `expected` (edits one after another, each seen everywhere first). */
  expect(expected: string) {
    return (run: Scenario, output: unknown): Verdict => {
      const verdict = textChecks.final(run, output);
      if (!verdict.ok) return verdict;
      const read = finalAnswers(run, output, 1, textAnswer);
      if (!("answers" in read)) return read;
      const text = [...read.answers.values()][0]![0]!.text;
      return text === expected ? pass : fail(`every replica reads ${JSON.stringify(text)}, but ${run.description ?? "the edits"} must give ${JSON.stringify(expected)} [run seed=${run.seed}]`, [...read.trace.events]);
    };
  },
};

type Edit = readonly [string, number, "insert", number, string] | readonly [string, number, "delete", number];
const edits = (seed: string, description: string, list: readonly Edit[]): Scenario =>
  withFinalReads({
    seed, nodes: ["A", "B", "C"], network: { latencyMs: [5, 40] }, description,
    requests: list.map((e): ScenarioRequest => ({ node: e[0], atMs: e[1], request: e[2] === "insert" ? { type: "insert", index: e[3], v: e[4] } : { type: "delete", index: e[3] } })),
    untilMs: 1600,
  }, reads);

export const sequentialEdits = edits("text-sequential", "h, i, ! typed by three users in turn, h deleted, H typed in its place", [
  ["A", 0, "insert", 0, "h"], ["B", 150, "insert", 1, "i"], ["C", 300, "insert", 2, "!"], ["A", 450, "delete", 0], ["B", 600, "insert", 0, "H"], ["C", 750, "insert", 2, "?"],
]);
export const middleInserts = edits("text-middle", "inserts between neighbours, many times at the same place", [
  ["A", 0, "insert", 0, "a"], ["A", 100, "insert", 1, "z"], ...["b", "c", "d", "e", "f", "g"].map((v, k): Edit => [k % 2 === 0 ? "B" : "C", 300 + 150 * k, "insert", 1 + k, v]),
]);
/** A and B type at the same place at the same moment; later C deletes the first character. */
export const concurrentEdits = edits("text-concurrent", "concurrent typing at one place, then a delete", [
  ["A", 0, "insert", 0, "a"], ["B", 0, "insert", 0, "b"], ["A", 2, "insert", 1, "c"], ["B", 2, "insert", 1, "d"], ["C", 500, "delete", 0],
]);

/**
 * Random concurrent typing, each insert at the start of the text. (Inserting between two characters
 * that concurrent inserts gave the same position would give a third character that same position:
 * the slides' simple algorithm has no room between equal positions, so the random runs avoid it.)
 */
export function textRuns(shape: { nodesMax: number; insertsMax: number; loss: number[]; duplicate: number[]; partitionsMax?: number }): fc.Arbitrary<Scenario> {
  return crdtRuns({
    nodesMin: 2, nodesMax: shape.nodesMax, requestsMax: shape.insertsMax, spreadMs: 200, latencyMsMax: 60,
    request: (node) => ({ type: "insert", index: 0, v: node.toLowerCase().slice(-1) }),
    loss: shape.loss, duplicate: shape.duplicate, partitionsMax: shape.partitionsMax ?? 0, seedPrefix: "text",
  }, reads);
}

export const textCrdtExercise = defineExercise({
  id: "8.4",
  title: "Text CRDT",
  slide: "Operation-based text CRDT (1/2)",
  module: "text-crdt",
  drivers,
  isolation: "nodes",
  tests: [
    { name: "sequential edits keep their intention", points: 3, category: "basic", description: "Three users type and delete in turn, each edit seen everywhere before the next: the text is exactly what one editor would have produced.", driver: "run", inputs: [sequentialEdits], check: textChecks.expect("Hi?!") },
    { name: "inserts between neighbours", points: 2, category: "basic", description: "Characters inserted one after another between a and z, by different users: the midpoints keep them in typing order.", driver: "run", inputs: [middleInserts], check: textChecks.expect("abcdefgz") },
    { name: "concurrent typing converges", points: 3, category: "basic", description: "A and B type at the same place at the same time, then C deletes a character: all replicas read the same text, with every character not deleted exactly once.", driver: "run", inputs: [concurrentEdits], check: textChecks.final },
    {
      name: "unreliable network and partitions",
      points: 2,
      category: "unreliable network",
      description: "Random concurrent typing at 2-4 nodes over a network with loss, duplication and a partition (the causal broadcast below retransmits): replicas converge, each character once.",
      driver: "run",
      arbitrary: textRuns({ nodesMax: 4, insertsMax: 10, loss: [0, 0.2], duplicate: [0, 0.1], partitionsMax: 1 }),
      runs: 10,
      check: textChecks.final,
    },
  ],
});
