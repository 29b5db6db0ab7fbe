/**
 * Batch grading at class scale (`npm run bench:grade -- --class N [--jobs J] [--keep DIR]`):
 * writes a folder of N synthetic submissions, grades it with `npm run grade -- <folder>` (the
 * parallel grader: one process per submission, J at once, default the cores), and reports
 * submissions per minute, the peak memory of the whole process tree (the grader, its per-submission
 * processes and their sandboxes: the sum of their resident sets, sampled every 500 ms from /proc),
 * and checks the gradebook has exactly one row per submission.
 *
 * The mix, by position i (deterministic, the same for the same N):
 *   i % 10 == 0          the reference solutions (every exercise, every random case)
 *   i % 10 == 1          the stubs (every test stops at "not implemented yet")
 *   i % 10 in {2, 3}     a hostile submission of test/hostile and test/hostile-nodes, in turn
 *   otherwise            a buggy variant of test/buggy (test/buggy/variants.ts), in turn
 * Speed lives here, never in a test: nothing is asserted about time.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buggyVariants, materialiseVariant } from "../test/buggy/variants";
import { kitRoot } from "../src/grading/registry";

export interface ClassOptions {
  readonly count: number;
  readonly jobs: number;
  readonly keep?: string;
}

type Kind = "reference" | "stubs" | "hostile" | "buggy";

/** Writes the N submissions into dir; returns each one's kind by folder name. */
export function writeClass(dir: string, count: number): Map<string, Kind> {
  const variants = buggyVariants();
  const hostile = ["hostile", "hostile-nodes"].flatMap((folder) =>
    fs.readdirSync(path.join(kitRoot, "test", folder)).sort().map((name) => path.join(kitRoot, "test", folder, name)),
  ).filter((folder) => fs.existsSync(path.join(folder, "exercises")));
  if (variants.length === 0 || hostile.length === 0) throw new Error("no buggy variants or hostile submissions found under test/");
  const kinds = new Map<string, Kind>();
  let nextVariant = 0;
  let nextHostile = 0;
  const copyTs = (from: string, to: string) => {
    fs.mkdirSync(to, { recursive: true });
    for (const name of fs.readdirSync(from).filter((n) => n.endsWith(".ts"))) fs.copyFileSync(path.join(from, name), path.join(to, name));
  };
  for (let i = 0; i < count; i++) {
    const id = String(i).padStart(4, "0");
    const slot = i % 10;
    let name: string;
    let kind: Kind;
    if (slot === 0) {
      kind = "reference";
      name = `s${id}-reference`;
      copyTs(path.join(kitRoot, "solutions"), path.join(dir, name, "exercises"));
    } else if (slot === 1) {
      kind = "stubs";
      name = `s${id}-stubs`;
      copyTs(path.join(kitRoot, "exercises"), path.join(dir, name, "exercises"));
    } else if (slot === 2 || slot === 3) {
      kind = "hostile";
      const from = hostile[nextHostile++ % hostile.length] as string;
      name = `s${id}-hostile-${path.basename(from)}`;
      fs.cpSync(from, path.join(dir, name), { recursive: true });
    } else {
      kind = "buggy";
      const variant = variants[nextVariant++ % variants.length];
      if (variant === undefined) throw new Error("no variant");
      name = `s${id}-buggy-${variant.exerciseId}-${variant.name}`;
      materialiseVariant(variant.exerciseId, variant.name, path.join(dir, name));
    }
    kinds.set(name, kind);
  }
  return kinds;
}

/** Resident memory (bytes) of pid and all its descendants, read from /proc. */
function treeRss(root: number): { bytes: number; processes: number } {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = fs.readFileSync(`/proc/${entry}/status`, "utf8");
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]);
      const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
      const pid = Number(entry);
      rss.set(pid, kb * 1024);
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // the process ended while we looked
    }
  }
  let bytes = 0;
  let processes = 0;
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    bytes += rss.get(pid) ?? 0;
    processes += rss.has(pid) ? 1 : 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return { bytes, processes };
}

function csvRows(text: string): string[][] {
  // The gradebook's fields are plain or double-quoted (notes); split accordingly.
  return text.trim().split("\n").slice(1).map((line) => Array.from(line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g), (m) => m[1] ?? "").slice(0, -1));
}

export async function benchClass(options: ClassOptions): Promise<void> {
  const base = options.keep ?? fs.mkdtempSync(path.join(os.tmpdir(), "bench-class-"));
  fs.mkdirSync(base, { recursive: true });
  fs.chmodSync(base, 0o755); // the sandbox may run submissions as nobody: it must read them
  const submissions = path.join(base, "submissions");
  const out = path.join(base, "results");
  fs.rmSync(submissions, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
  const kinds = writeClass(submissions, options.count);
  const counts = [...kinds.values()].reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<Kind, number>());
  process.stdout.write(`${options.count} submissions in ${submissions}: ${[...counts].map(([k, n]) => `${n} ${k}`).join(", ")}\n`);
  process.stdout.write(`grading with --jobs ${options.jobs} on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}), load average ${os.loadavg()[0]?.toFixed(1)} at the start\n`);

  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [require.resolve("tsx/cli"), path.join(kitRoot, "scripts", "grade.ts"), submissions, "--out", out, "--jobs", String(options.jobs)], {
    cwd: kitRoot,
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
    const last = chunk.trim().split("\n").at(-1);
    if (last !== undefined && /^\[/.test(last)) process.stderr.write(`\r${last.slice(0, 100).padEnd(100)}`);
  });
  let peak = { bytes: 0, processes: 0 };
  let peakProcesses = 0;
  const sampler = setInterval(() => {
    if (child.pid === undefined) return;
    const now = treeRss(child.pid);
    if (now.bytes > peak.bytes) peak = now;
    peakProcesses = Math.max(peakProcesses, now.processes);
  }, 500);
  const status = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  clearInterval(sampler);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  process.stderr.write("\n");

  const gradebook = path.join(out, "gradebook.csv");
  const problems: string[] = [];
  if (status !== 0) problems.push(`the grader exited with ${status}: ${stderr.slice(-1000)}`);
  const rows = fs.existsSync(gradebook) ? csvRows(fs.readFileSync(gradebook, "utf8")) : [];
  const names = rows.map((r) => r[0] ?? "");
  const missing = [...kinds.keys()].filter((name) => !names.includes(name));
  const twice = names.filter((name, i) => names.indexOf(name) !== i);
  if (rows.length !== options.count || missing.length > 0 || twice.length > 0) {
    problems.push(`gradebook: ${rows.length} rows for ${options.count} submissions; missing ${missing.slice(0, 5).join(", ")}; twice ${twice.slice(0, 5).join(", ")}`);
  }
  const byKind = new Map<Kind, { n: number; points: number; max: number; failedGraders: number }>();
  for (const row of rows) {
    const kind = kinds.get(row[0] ?? "");
    if (kind === undefined) continue;
    const entry = byKind.get(kind) ?? { n: 0, points: 0, max: 0, failedGraders: 0 };
    entry.n += 1;
    entry.points += Number(row[1]);
    entry.max += Number(row[2]);
    if (/grading this submission failed/.test(row.at(-1) ?? "")) entry.failedGraders += 1;
    byKind.set(kind, entry);
  }
  const perMinute = (options.count / seconds) * 60;
  process.stdout.write(`graded ${rows.length}/${options.count} in ${(seconds / 60).toFixed(1)} min: ${perMinute.toFixed(1)} submissions per minute\n`);
  process.stdout.write(`peak memory of the process tree: ${(peak.bytes / 2 ** 20).toFixed(0)} MiB (${peak.processes} processes at that moment; at most ${peakProcesses} at once)\n`);
  for (const [kind, e] of byKind) {
    process.stdout.write(`  ${kind.padEnd(9)} ${String(e.n).padStart(4)}: mean ${(e.points / e.n).toFixed(1)}/${(e.max / e.n).toFixed(0)} points${e.failedGraders > 0 ? `, ${e.failedGraders} whose grader process failed (0 points, noted)` : ""}\n`);
  }
  const result = {
    node: process.version,
    cores: os.cpus().length,
    submissions: options.count,
    jobs: options.jobs,
    seconds: Number(seconds.toFixed(1)),
    submissionsPerMinute: Number(perMinute.toFixed(2)),
    peakTreeRssMiB: Math.round(peak.bytes / 2 ** 20),
    peakProcesses,
    byKind: Object.fromEntries(byKind),
    problems,
  };
  fs.mkdirSync(path.join(kitRoot, "bench", "results"), { recursive: true });
  fs.writeFileSync(path.join(kitRoot, "bench", "results", `grade-class-${options.count}.json`), `${JSON.stringify(result, null, 2)}\n`);
  if (options.keep === undefined) fs.rmSync(base, { recursive: true, force: true });
  else process.stdout.write(`kept ${base} (gradebook: ${gradebook})\n`);
  for (const problem of problems) process.stderr.write(`problem: ${problem}\n`);
  if (problems.length > 0) process.exit(1);
}
