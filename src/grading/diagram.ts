/**
 * The failing run's picture: a space-time diagram (src/viz/space-time.ts), with a plain trace dump
 * under it (and instead of it, should drawing fail).
 */
import { Trace } from "../sim/trace";
import type { TraceEvent } from "../sim/trace-events";
import { escapeHtml, figureHtml, type Figure } from "../viz/display";

export { escapeHtml };
import { spaceTimeDiagram } from "../viz/space-time";

/**
 * The seed of the run a failing input describes (a scenario's seed, or a run's with its scenario
 * inside), so the diagram names the run the student can replay; "grading" if there is none.
 */
export function seedOfInput(counterexample: string | undefined): string {
  if (counterexample === undefined) return "grading";
  try {
    const input = JSON.parse(counterexample) as { seed?: unknown; scenario?: { seed?: unknown } };
    const seed = input?.seed ?? input?.scenario?.seed;
    return typeof seed === "string" || typeof seed === "number" ? String(seed) : "grading";
  } catch {
    // a truncated counterexample is not JSON: look for the first seed in it
    const match = /"seed":"([^"]{1,80})"/.exec(counterexample);
    return match?.[1] ?? "grading";
  }
}

/** The space-time diagram of a trace's events, or undefined if it cannot be drawn. */
export function diagramFigure(trace: readonly TraceEvent[], title: string, seed = "grading"): Figure | undefined {
  try {
    const nodes: string[] = [];
    for (const event of trace) {
      if ("node" in event && !nodes.includes(event.node)) nodes.push(event.node);
    }
    nodes.sort();
    const whole = new Trace({ seed, nodes }, [...trace]);
    return spaceTimeDiagram(whole, { title, show: { deliveries: true, logs: true, sends: true } });
  } catch {
    return undefined;
  }
}

/** One line per event: what a diagram would show, as text. */
export function traceDump(trace: readonly TraceEvent[]): string {
  return trace
    .map((event) => {
      const { i, t, kind, ...rest } = event as TraceEvent & Record<string, unknown>;
      return `${String(i).padStart(4)} t=${t} ${kind} ${JSON.stringify(rest)}`;
    })
    .join("\n");
}


/**
 * An HTML fragment drawing the trace. `plotlyScript` is the src of plotly.min.js for standalone pages;
 * without it the figure waits for a page-level Plotly (the notebook's display helper provides one).
 */
export function diagramHtml(trace: readonly TraceEvent[], title: string, divId: string, seed?: string): string {
  const figure = diagramFigure(trace, title, seed);
  if (figure !== undefined) {
    try {
      return figureHtml(figure, { divId });
    } catch {
      // fall through to the dump
    }
  }
  return `<pre class="ds-kit-trace">${escapeHtml(traceDump(trace))}</pre>`;
}

/** A standalone page: the diagram, the trace as text under it, and plotly loaded from `plotlySrc`. */
export function diagramPage(trace: readonly TraceEvent[], title: string, plotlySrc: string, seed?: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<script src="${escapeHtml(plotlySrc)}"></script></head>
<body style="font-family: sans-serif">
<h2>${escapeHtml(title)}</h2>
${diagramHtml(trace, title, "diagram", seed)}
<details><summary>Trace as text</summary><pre>${escapeHtml(traceDump(trace))}</pre></details>
</body></html>
`;
}
