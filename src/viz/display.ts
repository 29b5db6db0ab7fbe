// Displaying figures, tables, HTML and Markdown in a tslab notebook, offline.
//
// Plotly figures are HTML outputs whose script draws with plotly.js-dist-min read from
// node_modules (no CDN: lecture halls and these machines have no internet). The 4.8 MB library is
// inlined only into the first figure of each kernel session, which sets window.Plotly; later figures
// wait for it. If it never comes (the page was reloaded while the kernel lived on), a figure loads it
// from the Jupyter server's files endpoint, or says to re-run the notebook.
//
// Outputs are deterministic: div ids come from a per-kernel counter and a hash of the figure, never
// from randomness or the clock, so executing a notebook twice gives identical outputs.
//
// `tslab` is required lazily, so this module can be imported (and figureHtml tested) outside a kernel.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

import type { Figure } from "./figure";
import { formatValue } from "../sim/format";
export type { Figure } from "./figure";

export interface FigureHtmlOptions {
  /** The figure's div id; must be unique in the page. */
  divId: string;
  /** The plotly.js source to inline before the figure (the first figure of a session). */
  plotlySource?: string;
  /** How long a figure waits for window.Plotly before trying to load it itself (default 4000 ms). */
  waitMs?: number;
}

export const defaultLayout: Readonly<Record<string, unknown>> = { autosize: true };
export const defaultConfig: Readonly<Record<string, unknown>> = { displaylogo: false, responsive: true };

/** Marks the inlined library's script tag so an HTML export can swap it for one shared file. */
export const plotlyLibraryMarker = 'data-ds-kit="plotly-library"';

const plotlyPackageFile = "plotly.js-dist-min/plotly.min.js";
/** Path of the library under the Jupyter server root (the repository root, see scripts/start.mjs). */
const plotlyServerPath = `node_modules/${plotlyPackageFile}`;

/** JSON that is safe inside a <script> element (no `</script>`, no `<!--`, no U+2028/2029). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * Wraps the plotly.js UMD bundle so it always sets the global `Plotly`, even on pages that have an
 * AMD loader (classic notebook, nbconvert templates with require.js) or a CommonJS `module`.
 */
export function plotlyLibraryScript(plotlySource: string): string {
  if (/<\/script/i.test(plotlySource)) throw new Error("plotly.js source contains </script>: cannot inline it");
  return `(function (define, module, exports) {\n${plotlySource}\n}).call(window);`;
}

/** The HTML of one figure: a div and the script that draws it. Pure: same input, same output. */
export function figureHtml(figure: Figure, options: FigureHtmlOptions): string {
  if (!Array.isArray(figure.data)) throw new Error("figureHtml: figure.data must be an array of traces");
  if (!/^[A-Za-z][\w-]*$/.test(options.divId)) throw new Error(`figureHtml: bad divId ${JSON.stringify(options.divId)}`);
  const waitMs = options.waitMs ?? 4000;
  if (!(Number.isInteger(waitMs) && waitMs >= 0)) throw new Error(`figureHtml: bad waitMs ${waitMs}`);
  const spec = {
    data: figure.data,
    layout: { ...defaultLayout, ...figure.layout },
    config: { ...defaultConfig, ...figure.config },
  };
  const parts: string[] = [];
  parts.push(`<div id="${options.divId}" class="ds-kit-figure" style="width: 100%;"></div>`);
  if (options.plotlySource !== undefined) {
    parts.push(`<script ${plotlyLibraryMarker}>${plotlyLibraryScript(options.plotlySource)}</script>`);
  }
  parts.push(`<script>
(function () {
  var divId = ${scriptJson(options.divId)};
  var figure = ${scriptJson(spec)};
  var libraryPath = ${scriptJson(plotlyServerPath)};
  var waitMs = ${waitMs};
  function element() { return document.getElementById(divId); }
  function draw() { var el = element(); if (el) window.Plotly.newPlot(el, figure.data, figure.layout, figure.config); }
  function complain() {
    var el = element();
    if (el) el.innerHTML = '<p style="color: #b00020; font-weight: bold;">This figure needs the plotly library, ' +
      'which was not loaded (was the page reloaded after the notebook ran?). ' +
      'Re-run the notebook: Kernel &gt; Restart Kernel and Run All Cells.</p>';
  }
  function serverBaseUrl() {
    var config = document.getElementById("jupyter-config-data");
    if (!config) return null;
    try { return JSON.parse(config.textContent || "{}").baseUrl || null; } catch (e) { return null; }
  }
  function loadFromServer() {
    var base = serverBaseUrl();
    if (!base || typeof fetch !== "function") return Promise.reject(new Error("no Jupyter server"));
    if (!window.__dsKitPlotlyLoading) {
      window.__dsKitPlotlyLoading = fetch(base.replace(/\\/?$/, "/") + "files/" + libraryPath)
        .then(function (response) { if (!response.ok) throw new Error("HTTP " + response.status); return response.text(); })
        .then(function (source) { new Function("define", "module", "exports", source).call(window); });
    }
    return window.__dsKitPlotlyLoading;
  }
  var waitedMs = 0;
  (function waitForPlotly() {
    if (window.Plotly) { draw(); return; }
    if (waitedMs >= waitMs) { loadFromServer().then(function () { if (window.Plotly) draw(); else complain(); }, complain); return; }
    waitedMs += 50;
    setTimeout(waitForPlotly, 50);
  })();
})();
</script>`);
  return parts.join("\n");
}

/** Per-kernel state, on globalThis so that re-importing this module (tslab recompiles) keeps it. */
interface SessionState {
  figureCount: number;
  libraryInlined: boolean;
}
const sessionKey = Symbol.for("ds-kit.viz.display.session");

function session(): SessionState {
  const holder = globalThis as unknown as { [sessionKey]?: SessionState };
  let state = holder[sessionKey];
  if (state === undefined) {
    state = { figureCount: 0, libraryInlined: false };
    holder[sessionKey] = state;
  }
  return state;
}

/** Short hash of the figure, part of its div id. */
export function figureHash(figure: Figure): string {
  return createHash("sha256").update(JSON.stringify(figure)).digest("hex").slice(0, 10);
}

let plotlySourceCache: string | undefined;
function plotlySource(): string {
  if (plotlySourceCache === undefined) plotlySourceCache = readFileSync(require.resolve(plotlyPackageFile), "utf8");
  return plotlySourceCache;
}

interface TslabDisplay {
  html(s: string): void;
  markdown(s: string): void;
}

function tslabDisplay(): TslabDisplay {
  try {
    return (require("tslab") as { display: TslabDisplay }).display;
  } catch (error) {
    throw new Error(`display helpers need the tslab kernel (could not load "tslab": ${String(error)})`);
  }
}

/** Displays a plotly figure in the notebook (offline). Returns nothing, so tslab prints nothing more. */
export function showFigure(figure: Figure): void {
  const state = session();
  state.figureCount += 1;
  const divId = `ds-kit-figure-${state.figureCount}-${figureHash(figure)}`;
  const html = figureHtml(figure, { divId, plotlySource: state.libraryInlined ? undefined : plotlySource() });
  tslabDisplay().html(html);
  state.libraryInlined = true;
}

export function showHtml(html: string): void {
  tslabDisplay().html(html);
}

export function showMarkdown(markdown: string): void {
  tslabDisplay().markdown(markdown);
}

export type TableRow = Readonly<Record<string, unknown>>;

/** Numbers in tables go through the kit's one formatter (src/sim/format.ts). */
const cellText = formatValue;

/** An HTML table of rows; columns default to every key, in order of first appearance. Pure. */
export function tableHtml(rows: readonly TableRow[], columns?: readonly string[]): string {
  const names: string[] = columns ? [...columns] : [];
  if (!columns) {
    const seen = new Set<string>();
    for (const row of rows) {
      for (const key of Object.keys(row)) {
        if (!seen.has(key)) {
          seen.add(key);
          names.push(key);
        }
      }
    }
  }
  const head = names.map((name) => `<th>${escapeHtml(name)}</th>`).join("");
  const body = rows
    .map((row) => `<tr>${names.map((name) => `<td>${escapeHtml(cellText(row[name]))}</td>`).join("")}</tr>`)
    .join("\n");
  return `<table class="ds-kit-table">\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

export function showTable(rows: readonly TableRow[], columns?: readonly string[]): void {
  tslabDisplay().html(tableHtml(rows, columns));
}
