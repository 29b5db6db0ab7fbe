/**
 * The notebook check cell: runs an exercise's visible tests on the student's own code, in this
 * process (the same specs and checks the grader uses), and shows a table of results and the first
 * failure's space-time diagram.
 *
 *   import * as mine from "./exercises/lamport-clock";
 *   import { checkExercise } from "./src/grading/notebook";
 *   await checkExercise("4.2", mine);
 *
 * Replay one failing case with the options a failure prints: { test, seed, path }.
 */
import * as path from "node:path";
import { inspect } from "node:util";
import { showFigure } from "../viz/display";
import { diagramFigure, escapeHtml, seedOfInput } from "./diagram";
import { findExercise, kitRoot, loadExercises } from "./registry";
import { notebookReplay, resultsTableHtml } from "./reports";
import { inProcessExecutor, runExercise, type ExerciseResult } from "./run";

export interface CheckOptions {
  /** Only this test (by name). */
  readonly test?: string;
  /** With `test`: the failing case's fast-check seed and path, as printed. */
  readonly seed?: number;
  readonly path?: string;
  /** Show the results in the notebook (default: true when running in tslab). */
  readonly display?: boolean;
}

interface Display {
  html(html: string): void;
}

function tslabDisplay(): Display | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("tslab") as { display: Display }).display;
  } catch {
    return undefined;
  }
}

/**
 * Runs exercise `id`'s visible tests on `student` (the module from exercises/, imported by the
 * cell; loaded from exercises/ when omitted). Returns the results; displays them in a notebook.
 */
export async function checkExercise(id: string, student?: unknown, options: CheckOptions = {}): Promise<ExerciseResult> {
  const exercise = findExercise(loadExercises({ hidden: false }), id);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = student ?? require(path.join(kitRoot, "exercises", exercise.module));
  const replay = options.test !== undefined && options.seed !== undefined ? { seed: options.seed, ...(options.path === undefined ? {} : { path: options.path }) } : undefined;
  const result = await runExercise(exercise, inProcessExecutor(exercise, module), {
    ...(options.test === undefined ? {} : { only: [options.test] }),
    ...(replay === undefined ? {} : { replay }),
  });
  const display = options.display === false ? undefined : tslabDisplay();
  if (display !== undefined) {
    display.html(checkHtml(result));
    showFirstFailureDiagram(result);
  }
  // As a cell's last expression, the result prints as one line, not as the whole object.
  Object.defineProperty(result, inspect.custom, {
    enumerable: false,
    value: () => `Exercise ${result.exercise.id}: ${result.points} / ${result.maxPoints} points`,
  });
  return result;
}

/** The check cell's output: the table, then the first failure with its replay call and diagram. */
export function checkHtml(result: ExerciseResult): string {
  const parts = [resultsTableHtml(result, "student")];
  const failure = result.results.find((r) => r.status === "failed" || r.status === "error");
  if (failure !== undefined) {
    parts.push(`<h4>First failure: ${escapeHtml(failure.test)}</h4><pre>${escapeHtml(failure.message)}${
      failure.counterexample === undefined ? "" : `\ninput: ${escapeHtml(readable(failure.counterexample))}`
    }\nreplay: ${escapeHtml(notebookReplay(failure))}</pre>`);
  }
  return parts.join("\n");
}

/** Draws the first failing test's run (when it has a trace and the viz layer is there). */
function showFirstFailureDiagram(result: ExerciseResult): void {
  const failure = result.results.find((r) => (r.status === "failed" || r.status === "error") && r.trace !== undefined);
  if (failure?.trace === undefined) return;
  const figure = diagramFigure(failure.trace, `Failing run: ${failure.test}`, seedOfInput(failure.counterexample));
  if (figure === undefined) return;
  try {
    showFigure(figure);
  } catch {
    // not in a kernel: the table is enough
  }
}

/** A failing input as JSON laid out on several lines (when it is JSON and not too long to read). */
function readable(counterexample: string): string {
  if (counterexample.length > 4000) return counterexample;
  try {
    return layout(JSON.parse(counterexample), "");
  } catch {
    return counterexample;
  }
}

/** JSON that stays on one line up to 90 characters, and otherwise opens one line per item. */
function layout(value: unknown, indent: string): string {
  const flat = JSON.stringify(value);
  if (flat.length <= 90 || typeof value !== "object" || value === null) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) return `[\n${value.map((v) => `${inner}${layout(v, inner)}`).join(",\n")}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${layout(v, inner)}`);
  return `{\n${entries.join(",\n")}\n${indent}}`;
}
