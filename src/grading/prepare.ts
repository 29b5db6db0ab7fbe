/**
 * Turns a submission (a folder, .zip or .tar.gz holding exercises/) into a sandbox folder the child
 * process can run: src/ (the kit, compiled to CommonJS) and exercises/ (the submission, compiled).
 * Only regular files are read (symbolic links in a submission are skipped: through one, the child
 * could read outside the folders it is allowed), and sizes are bounded.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import ts from "typescript";

export const submissionBytesMax = 20 << 20;
const filesMax = 2000;

export interface PreparedSubmission {
  /** The sandbox root (delete with cleanup()). */
  readonly root: string;
  /** Exercise modules found in the submission (file names without .ts). */
  readonly modules: ReadonlySet<string>;
  /** Problems found while preparing (shown in the report). */
  readonly notes: readonly string[];
  cleanup(): void;
}

const compiled = new Map<string, string>();

/** TypeScript to CommonJS, one file at a time (types are not checked: the tests judge behaviour). */
export function compileTs(source: string, fileName: string): string {
  const key = `${fileName}\0${source}`;
  const cached = compiled.get(key);
  if (cached !== undefined) return cached;
  const output = ts.transpileModule(source, {
    fileName,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      sourceMap: false,
      inlineSourceMap: false,
    },
  }).outputText;
  compiled.set(key, output);
  return output;
}

function listFiles(dir: string, base = dir, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && !entry.name.startsWith(".")) listFiles(full, base, out);
    } else if (entry.isFile()) {
      out.push(path.relative(base, full));
    }
    if (out.length > filesMax) throw new Error(`more than ${filesMax} files`);
  }
  return out;
}

const relativeRequire = /require\("(\.{1,2}\/[^"]*)"\)/g;

/**
 * Writes into root/src the kit files the sandbox needs, compiled: the child's entry, every drivers
 * module, and what they and the submission's files import from src/, transitively. Less code to
 * compile (a cold TypeScript is slow) and less of the kit inside the sandbox.
 */
function writeKit(kitRoot: string, root: string, entries: readonly string[], submissionJs: readonly string[]): void {
  const done = new Set<string>();
  const queue: string[] = [];
  const want = (fromDir: string, js: string) => {
    for (const match of js.matchAll(relativeRequire)) {
      const target = path.posix.normalize(path.posix.join(fromDir, match[1]));
      if (!target.startsWith("src/")) continue;
      // The grader's own code (specs, checks, their reference byte builders) is not the submission's
      // to import: only the entries below bring src/grading/ files into the sandbox.
      if (fromDir === "exercises" && target.startsWith("src/grading/")) continue;
      const candidates = /\.(js|json)$/.test(target) ? [target.replace(/\.js$/, ".ts"), target] : [`${target}.ts`, `${target}/index.ts`, `${target}.json`];
      const found = candidates.find((candidate) => fs.existsSync(path.join(kitRoot, candidate)));
      if (found !== undefined && !done.has(found)) {
        done.add(found);
        queue.push(found);
      }
    }
  };
  for (const entry of entries) {
    done.add(entry);
    queue.push(entry);
  }
  for (const [dir, js] of submissionJs.map((text) => ["exercises", text] as const)) want(dir, js);
  for (let steps = 0; queue.length > 0; steps++) {
    if (steps > filesMax) throw new Error(`more than ${filesMax} kit files to compile`);
    const rel = queue.shift() as string;
    const from = path.join(kitRoot, rel);
    const to = path.join(root, rel);
    fs.mkdirSync(path.dirname(to), { recursive: true, mode: 0o755 });
    if (rel.endsWith(".json")) {
      fs.copyFileSync(from, to);
      continue;
    }
    const js = compileTs(fs.readFileSync(from, "utf8"), from);
    fs.writeFileSync(to.replace(/\.ts$/, ".js"), js, { mode: 0o644 });
    want(path.posix.dirname(rel), js);
  }
}

/** Unpacks an archive into a fresh folder, refusing links, absolute paths and "..". */
async function unpack(archive: string, into: string): Promise<void> {
  const lower = archive.toLowerCase();
  if (lower.endsWith(".zip")) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const AdmZip = require("adm-zip") as typeof import("adm-zip");
    const zip = new AdmZip(archive);
    let total = 0;
    for (const entry of zip.getEntries()) {
      if (entry.isDirectory) continue;
      const name = entry.entryName.replace(/\\/g, "/");
      if (name.startsWith("/") || name.split("/").includes("..")) throw new Error(`unsafe path in archive: ${name}`);
      if (((entry.attr >>> 16) & 0o170000) === 0o120000) continue; // a symbolic link
      // Sizes are checked from the headers BEFORE anything is decompressed (a 1 MB zip can inflate
      // to gigabytes), and inflating stops at the declared size; an entry that declares no size
      // but has compressed data is refused (nothing would bound it).
      const declared = entry.header.size;
      if (declared === 0 && entry.header.compressedSize > 0) throw new Error(`archive entry ${name} declares no size`);
      if (total + declared > submissionBytesMax) throw new Error(`archive holds more than ${submissionBytesMax >> 20} MB`);
      const data = entry.getData();
      if (data.length !== declared) throw new Error(`archive entry ${name} is not the size its header says`);
      total += data.length;
      const to = path.join(into, name);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.writeFileSync(to, data);
    }
  } else if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz") || lower.endsWith(".tar")) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const tar = require("tar") as typeof import("tar");
    let total = 0;
    await tar.x({
      file: archive,
      cwd: into,
      preservePaths: false,
      filter: (entryPath, entry) => {
        const type = "type" in entry ? entry.type : "File";
        total += "size" in entry && typeof entry.size === "number" ? entry.size : 0;
        if (total > submissionBytesMax) throw new Error(`archive holds more than ${submissionBytesMax >> 20} MB`);
        return (type === "File" || type === "Directory") && !entryPath.split("/").includes("..");
      },
    });
  } else {
    throw new Error(`not a folder, .zip, .tar or .tar.gz: ${archive}`);
  }
}

/** The folder holding the exercise files: <dir>/exercises, or <dir> itself, or a single top folder's. */
function findExercisesDir(dir: string): string | undefined {
  if (fs.existsSync(path.join(dir, "exercises"))) return path.join(dir, "exercises");
  const entries = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => !e.name.startsWith(".") && e.name !== "__MACOSX");
  if (entries.some((e) => e.isFile() && e.name.endsWith(".ts"))) return dir;
  if (entries.length === 1 && entries[0].isDirectory()) return findExercisesDir(path.join(dir, entries[0].name));
  return undefined;
}

/**
 * `driverModules`: the exercises' module names; the child loads src/grading/specs/drivers/<module>.
 */
export async function prepareSubmission(submission: string, kitRoot: string, driverModules: readonly string[]): Promise<PreparedSubmission> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "ds-grade-"));
  fs.chmodSync(root, 0o755);
  const temporary: string[] = [root];
  const cleanup = () => {
    for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
  };
  const notes: string[] = [];
  const modules = new Set<string>();
  const submissionJs: string[] = [];
  try {
    let source = submission;
    if (!fs.statSync(submission).isDirectory()) {
      source = fs.mkdtempSync(path.join(os.tmpdir(), "ds-unpack-"));
      temporary.push(source);
      await unpack(submission, source);
    }
    const exercisesDir = findExercisesDir(source);
    const target = path.join(root, "exercises");
    fs.mkdirSync(target, { mode: 0o755 });
    if (exercisesDir === undefined) {
      notes.push("no exercises/ folder (and no .ts files) found in the submission");
    } else {
      let bytes = 0;
      for (const rel of listFiles(exercisesDir)) {
        if (!rel.endsWith(".ts") || rel.endsWith(".d.ts")) continue;
        const from = path.join(exercisesDir, rel);
        const text = fs.readFileSync(from, "utf8");
        bytes += text.length;
        if (bytes > submissionBytesMax) throw new Error(`submission holds more than ${submissionBytesMax >> 20} MB of code`);
        const to = path.join(target, rel.replace(/\.ts$/, ".js"));
        fs.mkdirSync(path.dirname(to), { recursive: true, mode: 0o755 });
        const js = compileTs(text, from);
        fs.writeFileSync(to, js, { mode: 0o644 });
        if (!rel.includes(path.sep)) {
          modules.add(rel.replace(/\.ts$/, ""));
          submissionJs.push(js);
        }
      }
    }
    const entries = ["src/grading/sandbox/child.ts", "src/grading/sandbox/node-host.ts", ...driverModules.map((module) => `src/grading/specs/drivers/${module}.ts`)];
    writeKit(kitRoot, root, entries, submissionJs);
  } catch (error) {
    cleanup();
    throw error;
  }
  return { root, modules, notes, cleanup };
}
