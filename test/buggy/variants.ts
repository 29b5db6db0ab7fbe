/**
 * Buggy variants: plausible wrong solutions that the graded tests must catch. Each is stored as a
 * small patch against its reference solution, `test/buggy/<exercise id>/<variant>.patch`:
 *
 *     Bug: receive takes the max but does not increment.
 *     --- solutions/lamport-clock.ts
 *     +++ exercises/lamport-clock.ts
 *     @@ -28,3 +28,3 @@
 *      export function receive(clock: LamportClock, tPrime: number): number {
 *     -  clock.t = lamportReceive(clock.t, tPrime);
 *     +  clock.t = Math.max(clock.t, tPrime);
 *        return clock.t;
 *
 * The lines before `---` say what the bug is (diff tools ignore them). Regenerate one with
 * `diff -u --label solutions/<m>.ts --label exercises/<m>.ts solutions/<m>.ts <buggy copy>`.
 *
 * `materialiseVariant` writes a submission folder as a student would hand it in: `exercises/<m>.ts`
 * is the solution with the patch applied. Like the solutions, a variant may import the kit's
 * library (`../src/...`): the grader's sandbox compiles what a submission imports from src/, and
 * for in-process runs the folder has a `src` link to the kit (outside `exercises/`, so the sandbox,
 * which reads only `exercises/`, never sees the link).
 *
 * Patches are applied by content, not line numbers, so that edits elsewhere in a solution (comments,
 * statement order) do not break them: each hunk's lines are looked for anywhere after the previous
 * hunk, nearest to where the hunk says, comparing lines without trailing blanks; failing that, with
 * up to `contextFuzzMax` context lines dropped at each end (GNU patch's "fuzz"). A hunk that still
 * matches nowhere is an error naming the variant and showing the lines it looked for.
 *
 * CLI: `npx tsx test/buggy/variants.ts [<id>/<variant> <folder>]`: lists the variants, or writes
 * one into a folder (to read it, or to grade it: `npm run grade -- <folder>`).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const kitRoot = path.resolve(__dirname, "..", "..");
export const buggyRoot = path.join(kitRoot, "test", "buggy");

/** Context lines a hunk may lose at each end and still apply (GNU patch's default fuzz is 2). */
const contextFuzzMax = 2;
/** A patch is small by design: more lines than this is a whole-file copy in disguise. */
const patchLinesMax = 200;

export interface BuggyVariant {
  /** The exercise, e.g. "4.2". */
  readonly exerciseId: string;
  /** The variant's name, e.g. "receive-no-increment" (the patch file's name). */
  readonly name: string;
  /** `<exerciseId>/<name>`: how errors and test names refer to the variant. */
  readonly label: string;
  /** What the bug is: the patch's header lines. */
  readonly description: string;
  /** The exercise module the patch applies to (solutions/<module>.ts). */
  readonly module: string;
  readonly patchFile: string;
}

interface Hunk {
  readonly header: string;
  /** 0-based line of the solution where the hunk says it starts. */
  readonly oldStart: number;
  readonly lines: readonly { readonly kind: " " | "-" | "+"; readonly text: string }[];
}

interface ParsedPatch {
  readonly description: string;
  readonly oldFile: string;
  readonly newFile: string;
  readonly hunks: readonly Hunk[];
}

/** Parses a one-file unified diff with free text before it. Throws, naming `label`, on anything else. */
export function parsePatch(text: string, label: string): ParsedPatch {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  if (lines.at(-1) === "") lines.pop();
  if (lines.length > patchLinesMax) throw new Error(`buggy variant ${label}: ${lines.length} lines, more than ${patchLinesMax}: a patch should hold the bug, not a copy`);
  const start = lines.findIndex((line) => line.startsWith("--- "));
  if (start < 0 || !lines[start + 1]?.startsWith("+++ ")) throw new Error(`buggy variant ${label}: no "--- solutions/<module>.ts" / "+++ ..." header`);
  const description = lines.slice(0, start).map((line) => line.replace(/^(Bug:|#)\s*/, "").trim()).filter((line) => line !== "").join(" ");
  if (description === "") throw new Error(`buggy variant ${label}: say what the bug is in the lines before "---"`);
  const fileOf = (line: string) => line.slice(4).split("\t")[0].trim();
  const hunks: Hunk[] = [];
  for (let i = start + 2; i < lines.length; i++) {
    const line = lines[i];
    const header = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/.exec(line);
    if (header !== null) {
      hunks.push({ header: line, oldStart: Math.max(0, Number(header[1]) - 1), lines: [] });
    } else if (line.startsWith("\\")) {
      continue; // "\ No newline at end of file": lines are compared without their ends anyway
    } else if (hunks.length > 0 && (line[0] === " " || line[0] === "-" || line[0] === "+" || line === "")) {
      (hunks.at(-1)!.lines as Hunk["lines"][number][]).push({ kind: line === "" ? " " : (line[0] as " " | "-" | "+"), text: line.slice(1) });
    } else {
      throw new Error(`buggy variant ${label}: line ${i + 1} of the patch is not part of a hunk: ${JSON.stringify(line)}`);
    }
  }
  if (hunks.length === 0) throw new Error(`buggy variant ${label}: the patch has no hunks`);
  return { description, oldFile: fileOf(lines[start]), newFile: fileOf(lines[start + 1]), hunks };
}

const same = (a: string, b: string) => a.trimEnd() === b.trimEnd();

/** Where `block` occurs in `source` at or after `from`, nearest to `near`; -1 if nowhere. */
function findBlock(source: readonly string[], block: readonly string[], from: number, near: number): number {
  let best = -1;
  for (let at = from; at + block.length <= source.length; at++) {
    if (!block.every((line, k) => same(source[at + k], line))) continue;
    if (best < 0 || Math.abs(at - near) < Math.abs(best - near)) best = at;
  }
  return best;
}

/**
 * The solution's text with the patch applied. Throws an error naming `label` (the variant) when a
 * hunk matches nowhere in the solution, with the lines it looked for.
 */
export function applyPatch(solution: string, patch: ParsedPatch, label: string): string {
  const source = solution.split("\n");
  const out: string[] = [];
  let cursor = 0;
  // Solutions move under the patch (edits above a hunk shift it): later hunks expect the same shift.
  let shift = 0;
  for (const [index, hunk] of patch.hunks.entries()) {
    let applied = false;
    for (let fuzz = 0; fuzz <= contextFuzzMax && !applied; fuzz++) {
      let lines = hunk.lines;
      for (let k = 0; k < fuzz && lines[0]?.kind === " "; k++) lines = lines.slice(1);
      const droppedFront = hunk.lines.length - lines.length;
      for (let k = 0; k < fuzz && lines.at(-1)?.kind === " "; k++) lines = lines.slice(0, -1);
      const old = lines.filter((line) => line.kind !== "+").map((line) => line.text);
      if (old.length === 0 && fuzz > 0) break; // a pure insertion with no context left would go anywhere
      const at = findBlock(source, old, cursor, hunk.oldStart + droppedFront + shift);
      if (at < 0) continue;
      out.push(...source.slice(cursor, at), ...lines.filter((line) => line.kind !== "-").map((line) => line.text));
      cursor = at + old.length;
      shift = at - (hunk.oldStart + droppedFront);
      applied = true;
    }
    if (!applied) {
      const wanted = hunk.lines.filter((line) => line.kind !== "+").map((line) => `  | ${line.text}`).join("\n");
      throw new Error(
        `buggy variant ${label} no longer applies to ${patch.oldFile}: hunk ${index + 1} of ${patch.hunks.length} (${hunk.header}) ` +
          `matches nowhere, even with ${contextFuzzMax} lines of context dropped at each end. It looks for:\n${wanted}\n` +
          `Update the patch: test/buggy/${label}.patch (see test/buggy/variants.ts).`,
      );
    }
  }
  out.push(...source.slice(cursor));
  return out.join("\n");
}

function readVariant(exerciseId: string, name: string): { variant: BuggyVariant; patch: ParsedPatch } {
  const label = `${exerciseId}/${name}`;
  const patchFile = path.join(buggyRoot, exerciseId, `${name}.patch`);
  if (!fs.existsSync(patchFile)) throw new Error(`buggy variant ${label}: no ${path.relative(kitRoot, patchFile)}`);
  const patch = parsePatch(fs.readFileSync(patchFile, "utf8"), label);
  const match = /^solutions\/([\w.-]+)\.ts$/.exec(patch.oldFile);
  if (match === null || patch.newFile !== `exercises/${match[1]}.ts`) {
    throw new Error(`buggy variant ${label}: the patch must go from solutions/<module>.ts to exercises/<module>.ts, not ${patch.oldFile} to ${patch.newFile}`);
  }
  return { variant: { exerciseId, name, label, description: patch.description, module: match[1], patchFile }, patch };
}

/** The buggy variants of one exercise, or of all, sorted by exercise id and name. */
export function buggyVariants(exerciseId?: string): BuggyVariant[] {
  const ids = exerciseId !== undefined ? [exerciseId] : fs.readdirSync(buggyRoot).filter((entry) => fs.statSync(path.join(buggyRoot, entry)).isDirectory());
  return ids
    .filter((id) => fs.existsSync(path.join(buggyRoot, id)))
    .sort((a, b) => a.localeCompare(b, "en", { numeric: true }))
    .flatMap((id) =>
      fs.readdirSync(path.join(buggyRoot, id))
        .filter((file) => file.endsWith(".patch"))
        .sort()
        .map((file) => readVariant(id, file.replace(/\.patch$/, "")).variant),
    );
}

/** The variant's exercise file: the solution with the patch applied, under a comment naming the bug. */
export function variantSource(exerciseId: string, name: string): string {
  const { variant, patch } = readVariant(exerciseId, name);
  const solution = fs.readFileSync(path.join(kitRoot, patch.oldFile), "utf8");
  const patched = applyPatch(solution, patch, variant.label);
  return `// BUGGY variant ${variant.label} (test/buggy/${variant.label}.patch): ${variant.description}\n${patched}`;
}

export interface MaterialisedVariant {
  readonly variant: BuggyVariant;
  /** The submission folder (holds exercises/<module>.ts). */
  readonly dir: string;
  /** dir/exercises: what a test `require`s the module from. */
  readonly exercisesDir: string;
  /** Deletes the folder (only if this call created it). */
  cleanup(): void;
}

/**
 * Writes the variant as a submission: `<into>/exercises/<module>.ts` (into: a new temporary folder
 * unless given) and a `src` link to the kit's library, so that it loads in-process as the solution does.
 */
export function materialiseVariant(exerciseId: string, name: string, into?: string): MaterialisedVariant {
  const { variant } = readVariant(exerciseId, name);
  const source = variantSource(exerciseId, name);
  const dir = into ?? fs.mkdtempSync(path.join(os.tmpdir(), `buggy-${exerciseId}-${name}-`));
  const exercisesDir = path.join(dir, "exercises");
  fs.mkdirSync(exercisesDir, { recursive: true });
  fs.writeFileSync(path.join(exercisesDir, `${variant.module}.ts`), source);
  if (!fs.existsSync(path.join(dir, "src"))) fs.symlinkSync(path.join(kitRoot, "src"), path.join(dir, "src"), "dir");
  const cleanup = () => {
    if (into === undefined) fs.rmSync(dir, { recursive: true, force: true });
  };
  return { variant, dir, exercisesDir, cleanup };
}

if (require.main === module) {
  const [which, folder] = process.argv.slice(2);
  if (which === undefined) {
    for (const variant of buggyVariants()) console.log(`${variant.label.padEnd(48)} ${variant.description}`);
  } else {
    const [id, name] = which.split("/");
    if (name === undefined || folder === undefined) throw new Error("usage: npx tsx test/buggy/variants.ts [<id>/<variant> <folder>]");
    const { exercisesDir, variant } = materialiseVariant(id, name, path.resolve(folder));
    console.log(`${path.join(exercisesDir, `${variant.module}.ts`)}: ${variant.description}`);
  }
}
