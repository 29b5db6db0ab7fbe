/**
 * Writes a graded submission out in the formats people already use: Gradescope's results.json, JUnit
 * XML, a Markdown and an HTML feedback report (student view, following each test's visibility), a
 * diagram page per failing test with a trace, and a CSV gradebook row.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { diagramPage, escapeHtml, seedOfInput } from "./diagram";
import type { SubmissionResult } from "./grade";
import type { ExerciseResult, TestResult } from "./run";

/** How to rerun one failing test: a CLI command or a notebook call. */
export type ReplayCommand = (result: TestResult) => string;

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `npm run grade -- <submission> --test '4.2/<name>' --seed S --path P` */
export function cliReplay(submission: string): ReplayCommand {
  return (r) =>
    `npm run grade -- ${shellQuote(submission)} --test ${shellQuote(`${r.exerciseId}/${r.test}`)}` +
    (r.seed === undefined ? "" : ` --seed ${r.seed}`) +
    (r.path === undefined ? "" : ` --path ${shellQuote(r.path)}`);
}

/** `await checkExercise("4.2", { test: "<name>", seed: S, path: "P" })` */
export const notebookReplay: ReplayCommand = (r) => {
  const options = [`test: ${JSON.stringify(r.test)}`];
  if (r.seed !== undefined) options.push(`seed: ${r.seed}`);
  if (r.path !== undefined) options.push(`path: ${JSON.stringify(r.path)}`);
  return `await checkExercise(${JSON.stringify(r.exerciseId)}, { ${options.join(", ")} })`;
};

const statusText: Record<TestResult["status"], string> = {
  passed: "passed",
  failed: "failed",
  "not-implemented": "not done yet",
  error: "error",
};

/** The full story of one failing test, for outputs that may show everything. */
export function failureText(r: TestResult, replay: ReplayCommand, diagram?: string): string {
  if (r.status === "passed") return r.description;
  const lines = [`${statusText[r.status]}: ${r.message}`];
  if (r.status !== "not-implemented") {
    if (r.counterexample !== undefined) lines.push(`input: ${r.counterexample}`);
    if (r.seed !== undefined) lines.push(`seed=${r.seed}${r.path === undefined ? "" : ` path=${r.path}`} -> ${replay(r)}`);
    else lines.push(`replay: ${replay(r)}`);
    if (diagram !== undefined) lines.push(`diagram: ${diagram}`);
  }
  return lines.join("\n");
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
}

/** The file name of a test's diagram page (relative to the report). */
export function diagramFile(r: TestResult): string {
  return path.join("diagrams", `${r.exerciseId}-${slug(r.test)}.html`);
}

export function gradescopeResults(result: SubmissionResult, replay: ReplayCommand, diagrams: ReadonlyMap<TestResult, string>) {
  const tests = result.exercises.flatMap((exercise) =>
    exercise.results.map((r) => ({
      name: `${r.exerciseId} ${exercise.exercise.title}: ${r.test}`,
      number: r.exerciseId,
      score: r.points,
      max_score: r.maxPoints,
      status: r.status === "passed" ? "passed" : "failed",
      output: failureText(r, replay, diagrams.get(r)),
      tags: [r.category],
      visibility: r.visibility,
    })),
  );
  return {
    score: result.points,
    execution_time: Math.round(result.durationMs / 1000),
    output: summaryText(result),
    stdout_visibility: "hidden",
    tests,
  };
}

function summaryText(result: SubmissionResult): string {
  const lines = result.exercises.map((e) => `Exercise ${e.exercise.id} ${e.exercise.title}: ${e.points}/${e.maxPoints}`);
  lines.push(...result.notes);
  return lines.join("\n");
}

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
}

export function junitXml(result: SubmissionResult, replay: ReplayCommand): string {
  const suites = result.exercises.map((exercise) => {
    const failures = exercise.results.filter((r) => r.status === "failed" || r.status === "not-implemented").length;
    const errors = exercise.results.filter((r) => r.status === "error").length;
    const seconds = exercise.results.reduce((total, r) => total + r.durationMs, 0) / 1000;
    const cases = exercise.results.map((r) => {
      const name = `${r.test} [${r.category}, ${r.maxPoints} pt]`;
      const head = `    <testcase classname="exercise-${xml(r.exerciseId)}" name="${xml(name)}" time="${(r.durationMs / 1000).toFixed(3)}"`;
      if (r.status === "passed") return `${head}/>`;
      const tag = r.status === "error" ? "error" : "failure";
      return `${head}>\n      <${tag} message="${xml(r.message.slice(0, 500))}">${xml(failureText(r, replay))}</${tag}>\n    </testcase>`;
    });
    return (
      `  <testsuite name="Exercise ${xml(exercise.exercise.id)}: ${xml(exercise.exercise.title)}" tests="${exercise.results.length}" ` +
      `failures="${failures}" errors="${errors}" time="${seconds.toFixed(3)}">\n${cases.join("\n")}\n  </testsuite>`
    );
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(path.basename(result.submission))}" time="${(result.durationMs / 1000).toFixed(3)}">\n${suites.join("\n")}\n</testsuites>\n`;
}

/** What a student may see of a test: everything, name and score only, or nothing (Gradescope's rules). */
export function shownTo(audience: "student" | "instructor", r: TestResult): "all" | "score" | "none" {
  if (audience === "instructor" || r.visibility === "visible") return "all";
  return r.visibility === "hidden" ? "none" : "score";
}

function mdCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

export function feedbackMarkdown(result: SubmissionResult, replay: ReplayCommand, diagrams: ReadonlyMap<TestResult, string>, audience: "student" | "instructor"): string {
  const out: string[] = [];
  const shown = result.exercises.flatMap((e) => e.results.filter((r) => shownTo(audience, r) !== "none"));
  const points = shown.reduce((total, r) => total + r.points, 0);
  const maxPoints = shown.reduce((total, r) => total + r.maxPoints, 0);
  const hiddenCount = result.exercises.reduce((n, e) => n + e.results.length, 0) - shown.length;
  out.push(`# Feedback: ${path.basename(result.submission)}`, "");
  out.push(`**${points} / ${maxPoints} points**${hiddenCount > 0 ? ` (${hiddenCount} more test(s) are hidden until grades are published)` : ""}, graded in ${(result.durationMs / 1000).toFixed(1)} s.`, "");
  out.push("| Exercise | Points |", "|---|---|");
  for (const e of result.exercises) {
    const visible = e.results.filter((r) => shownTo(audience, r) !== "none");
    out.push(`| ${e.exercise.id} ${mdCell(e.exercise.title)} | ${visible.reduce((t, r) => t + r.points, 0)} / ${visible.reduce((t, r) => t + r.maxPoints, 0)} |`);
  }
  for (const e of result.exercises) {
    out.push("", `## Exercise ${e.exercise.id}: ${e.exercise.title} (slide "${e.exercise.slide}")`, "");
    out.push("| Test | Category | Points | Result |", "|---|---|---|---|");
    for (const r of e.results) {
      const show = shownTo(audience, r);
      if (show === "none") continue;
      out.push(`| ${mdCell(r.test)} | ${r.category} | ${r.points} / ${r.maxPoints} | ${show === "all" ? statusText[r.status] : "(details after the due date)"} |`);
    }
    for (const r of e.results) {
      if (r.status === "passed" || shownTo(audience, r) !== "all") continue;
      out.push("", `### ${r.test}`, "", r.description, "", "```", failureText(r, replay), "```");
      const diagram = diagrams.get(r);
      if (diagram !== undefined) out.push("", `Space-time diagram of the failing run: [${diagram}](${diagram})`);
    }
  }
  if (audience === "instructor" && result.notes.length > 0) out.push("", "## Notes", "", ...result.notes.map((n) => `- ${n}`));
  return `${out.join("\n")}\n`;
}

/** One exercise's results as an HTML table (also the notebook check cell's table). */
export function resultsTableHtml(e: ExerciseResult, audience: "student" | "instructor"): string {
  const colour: Record<TestResult["status"], string> = { passed: "#1a7f37", failed: "#cf222e", "not-implemented": "#9a6700", error: "#cf222e" };
  const rows = e.results
    .filter((r) => shownTo(audience, r) !== "none")
    .map((r) => {
      const all = shownTo(audience, r) === "all";
      const status = all ? statusText[r.status] : "(after the due date)";
      const detail = all && r.status !== "passed" ? escapeHtml(shortMessage(r)) : escapeHtml(r.description);
      return `<tr><td style="color:${all ? colour[r.status] : "inherit"};font-weight:bold">${status}</td><td>${escapeHtml(r.test)}</td><td>${escapeHtml(r.category)}</td><td>${r.points} / ${r.maxPoints}</td><td style="text-align:left">${detail}</td></tr>`;
    });
  return `<h3>Exercise ${escapeHtml(e.exercise.id)}: ${escapeHtml(e.exercise.title)} — ${e.points} / ${e.maxPoints} points</h3>
<table class="ds-kit-table"><thead><tr><th>Result</th><th>Test</th><th>Category</th><th>Points</th><th>Details</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table>`;
}

export function feedbackHtml(result: SubmissionResult, replay: ReplayCommand, diagrams: ReadonlyMap<TestResult, string>, audience: "student" | "instructor"): string {
  const parts: string[] = [];
  for (const e of result.exercises) {
    parts.push(resultsTableHtml(e, audience));
    for (const r of e.results) {
      if (r.status === "passed" || shownTo(audience, r) !== "all") continue;
      const diagram = diagrams.get(r);
      parts.push(
        `<h4>${escapeHtml(r.test)}</h4><pre>${escapeHtml(failureText(r, replay))}</pre>` +
          (diagram === undefined ? "" : `<p><a href="${escapeHtml(diagram)}">Space-time diagram of the failing run</a></p>`),
      );
    }
  }
  const shown = result.exercises.flatMap((e) => e.results.filter((r) => shownTo(audience, r) !== "none"));
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Feedback: ${escapeHtml(path.basename(result.submission))}</title>
<style>body{font-family:sans-serif;max-width:70em;margin:auto} table{border-collapse:collapse} td,th{border:1px solid #ccc;padding:4px 8px} pre{background:#f6f8fa;padding:8px;white-space:pre-wrap}</style></head>
<body><h1>Feedback: ${escapeHtml(path.basename(result.submission))}</h1>
<p><b>${shown.reduce((t, r) => t + r.points, 0)} / ${shown.reduce((t, r) => t + r.maxPoints, 0)} points</b></p>
${parts.join("\n")}
</body></html>
`;
}

export interface WrittenReports {
  readonly dir: string;
  readonly files: readonly string[];
}

/**
 * Writes results.json, junit.xml, feedback.md/html (student view), report.md (instructor view) and a
 * diagram page per failing test that has a trace, into outDir.
 */
export function writeReports(result: SubmissionResult, outDir: string, replay: ReplayCommand, kitRoot: string): WrittenReports {
  fs.mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, text: string) => {
    const file = path.join(outDir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    files.push(file);
  };
  const diagrams = new Map<TestResult, string>();
  for (const e of result.exercises) {
    for (const r of e.results) {
      if (r.trace === undefined || r.status === "passed") continue;
      const file = diagramFile(r);
      write(file, diagramPage(r.trace, `Exercise ${r.exerciseId}: ${r.test} (failing run)`, "../plotly.min.js", seedOfInput(r.counterexample)));
      diagrams.set(r, file);
    }
  }
  if (diagrams.size > 0) {
    const plotly = path.join(kitRoot, "node_modules", "plotly.js-dist-min", "plotly.min.js");
    if (fs.existsSync(plotly)) {
      fs.copyFileSync(plotly, path.join(outDir, "plotly.min.js"));
      files.push(path.join(outDir, "plotly.min.js"));
    }
  }
  write("results.json", `${JSON.stringify(gradescopeResults(result, replay, diagrams), null, 2)}\n`);
  write("junit.xml", junitXml(result, replay));
  write("feedback.md", feedbackMarkdown(result, replay, diagrams, "student"));
  write("feedback.html", feedbackHtml(result, replay, diagrams, "student"));
  write("report.md", feedbackMarkdown(result, replay, diagrams, "instructor"));
  return { dir: outDir, files };
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The gradebook: one row per submission, a column per exercise. */
export function gradebookCsv(results: readonly SubmissionResult[]): string {
  const ids = [...new Set(results.flatMap((r) => r.exercises.map((e) => e.exercise.id)))];
  const header = ["submission", "score", "max_score", ...ids.map((id) => `exercise ${id}`), "seconds", "notes"];
  const rows = results.map((r) => [
    path.basename(r.submission),
    String(r.points),
    String(r.maxPoints),
    ...ids.map((id) => String(r.exercises.find((e) => e.exercise.id === id)?.points ?? "")),
    (r.durationMs / 1000).toFixed(1),
    r.notes.join("; "),
  ]);
  return `${[header, ...rows].map((row) => row.map(csvField).join(",")).join("\n")}\n`;
}

/**
 * A result's message for a table row: for a test that is not implemented yet, only the stub's own
 * words ("Exercise 4.4 not implemented yet: init"), not the handler, node and time it was thrown at.
 */
export function shortMessage(r: TestResult): string {
  if (r.status !== "not-implemented") return r.message;
  const match = /Exercise \d+\.\d+ not implemented yet.*/.exec(r.message);
  return match === null ? r.message : match[0];
}
