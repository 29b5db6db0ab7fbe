/**
 * The linearizability checker's speed (part of `npm run bench`), beside porcupine's figures measured
 * on this machine kind and quoted in test/data/linearizability/README.md (Go, CheckEvents per
 * file, median of several runs): the whole etcd corpus in about 377 ms, kv c50-ok 114-150 ms, c50-bad
 * 15-43 ms. Each file is checked `repeats` times after a warm-up and its median taken; every verdict
 * is compared with expected.tsv. Run alone: `node -r tsx/cjs bench/linearizability.bench.ts`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { checkLinearizable, readEtcdLog, readPorcupineKv } from "../src/checks/linearizability";
import { corpusDir } from "../test/data/locate";

const PORCUPINE_MS = { etcd: 377, "kv/c50-ok.txt": 150, "kv/c50-bad.txt": 43 } as const;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function benchLinearizability(repeats = 5): { name: string; ms: number; porcupineMs: number; wrongVerdicts: number }[] {
  const root = corpusDir("linearizability");
  const expected = fs.readFileSync(path.join(root, "expected.tsv"), "utf8").trim().split("\n").slice(1).map((line) => line.split("\t") as [string, string]);
  const timed = new Map<string, { ms: number; wrong: boolean }>();
  for (const [file, want] of expected) {
    const text = fs.readFileSync(path.join(root, file), "utf8");
    if (text.trim() === "") continue;
    const kv = file.startsWith("kv/") ? readPorcupineKv(text, file) : undefined;
    const etcd = kv === undefined ? readEtcdLog(text, file) : undefined;
    const run = () => (kv !== undefined ? checkLinearizable(kv.history, kv.model) : checkLinearizable(etcd!.history, etcd!.model));
    const verdict = run(); // warm-up
    const times: number[] = [];
    for (let k = 0; k < repeats; k++) {
      const started = process.hrtime.bigint();
      run();
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    timed.set(file, { ms: median(times), wrong: String(verdict.ok) !== want });
  }
  const etcd = [...timed].filter(([file]) => file.startsWith("etcd/"));
  return [
    { name: `etcd corpus (${etcd.length} logs, sum of medians)`, ms: etcd.reduce((sum, [, t]) => sum + t.ms, 0), porcupineMs: PORCUPINE_MS.etcd, wrongVerdicts: etcd.filter(([, t]) => t.wrong).length },
    ...(["kv/c50-ok.txt", "kv/c50-bad.txt"] as const).map((file) => ({ name: file, ms: timed.get(file)!.ms, porcupineMs: PORCUPINE_MS[file], wrongVerdicts: timed.get(file)!.wrong ? 1 : 0 })),
  ];
}

if (require.main === module) {
  console.log("\nLinearizability checker (src/checks/linearizability) beside porcupine (Go, quoted from the corpus README):");
  const rows = benchLinearizability(Number(process.env.BENCH_REPEATS ?? 5));
  {
    for (const row of rows) {
      console.log(`  ${row.name.padEnd(40)} ${row.ms.toFixed(1).padStart(8)} ms   porcupine ${String(row.porcupineMs).padStart(4)} ms   ratio ${(row.ms / row.porcupineMs).toFixed(2)}x   wrong verdicts: ${row.wrongVerdicts}`);
    }
    const met = rows.every((row) => row.ms <= row.porcupineMs && row.wrongVerdicts === 0);
    console.log(`  at or below porcupine's time with the same verdicts: ${met ? "met" : "NOT met"}`);
    const dir = path.join(__dirname, "results");
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "linearizability.json"), JSON.stringify({ node: process.version, rows }, null, 2));
  }
}
