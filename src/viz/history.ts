/**
 * Histories drawn as timelines (lecture 6, slides "Linearizability" to "Not linearizable, despite
 * quorum reads/writes"): one row per client, each operation an interval from its invocation to its
 * response with its label above it. Given the checker's result:
 *  - linearizable: each operation's linearization point marked (a diamond inside its interval, in
 *    the order the checker found: the earliest instant consistent with that order);
 *  - not linearizable: the longest linearizable prefix in green (with its points), the operation
 *    that cannot follow it (the culprit) in red, the rest grey.
 * An operation that never responded is drawn dashed to the right edge.
 *
 * Plain plotly data, like every figure of the kit (src/viz/figure.ts).
 */
import type { History } from "../checks/linearizability/history";
import type { LinearizabilityResult } from "../checks/linearizability/check";
import type { Model } from "../checks/linearizability/models";
import { PALETTE, type Figure } from "./figure";
import { textWidthPx } from "./label-layout";

export interface HistoryFigureOptions {
  title?: string;
  /** The checker's verdict on this history (checkLinearizable(history, model)). */
  result?: LinearizabilityResult;
  /** Plot width in px (labels are laid out for it). Default 760. */
  widthPx?: number;
  /** Label of the time axis. Default "time". */
  xTitle?: string;
}

const COLOUR = { plain: PALETTE[0], prefix: PALETTE[2], culprit: "#d62728", other: "#9a9a9a", point: "#000000" };
const ROW_PX = 70;
const MARGIN = { l: 80, r: 30, t: 50, b: 100 };

/**
 * Linearization points for operations in a linearization order: each at the earliest instant after
 * its invocation and after the previous point (so they follow the order), nudged apart by `gap`.
 */
export function linearizationPoints(history: History<unknown, unknown>, order: readonly number[], gap: number): Map<number, number> {
  const points = new Map<number, number>();
  let last = -Infinity;
  for (const index of order) {
    const op = history[index];
    if (op === undefined) throw new RangeError(`linearizationPoints: order names operation ${index}, but the history has ${history.length}`);
    const end = op.ret ?? Infinity;
    const at = Math.min(Math.max(op.call, last + gap), end);
    points.set(index, at);
    last = at;
  }
  return points;
}

/** The linearization split by partition (key), each order on its own: points of different keys do not constrain each other. */
function pointsByPartition<I>(history: History<I, unknown>, order: readonly number[], model: Model<unknown, I, unknown> | undefined, gap: number): Map<number, number> {
  const parts = new Map<string, number[]>();
  for (const index of order) {
    const part = model?.partition ? model.partition(history[index].input) : "";
    const list = parts.get(part) ?? [];
    list.push(index);
    parts.set(part, list);
  }
  const points = new Map<number, number>();
  for (const list of parts.values()) for (const [i, t] of linearizationPoints(history, list, gap)) points.set(i, t);
  return points;
}

/**
 * A history as a timeline. `describe(op)` labels each operation (default: the model's description,
 * e.g. `write(1)`, `read -> 1`).
 */
export function historyFigure<I, O>(history: History<I, O>, model: Model<unknown, I, O>, options: HistoryFigureOptions = {}): Figure {
  if (history.length === 0) throw new RangeError("historyFigure: the history is empty");
  const widthPx = options.widthPx ?? 760;
  const clients = [...new Set(history.map((op) => String(op.client)))];
  const row = (client: string | number) => clients.length - 1 - clients.indexOf(String(client));
  const finite = history.flatMap((op) => (op.ret === null ? [op.call] : [op.call, op.ret]));
  const tMin = Math.min(...finite);
  const tMax = Math.max(...finite);
  const span = tMax - tMin || 1;
  const xMin = tMin - span * 0.04;
  const xMax = tMax + span * 0.08;
  const pxPerUnit = (widthPx - MARGIN.l - MARGIN.r) / (xMax - xMin);
  const result = options.result;
  const prefix = new Set(result?.counterexample?.prefix ?? []);
  const culprit = result?.counterexample?.culprit;
  const order = result?.ok ? result.linearization ?? [] : result?.counterexample?.prefix ?? [];
  const points = pointsByPartition(history, order, model as Model<unknown, I, unknown>, span * 0.004);

  const data: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  const legendShown = new Set<string>();
  // Labels of one row alternate above and below the bar when they would overlap.
  const lastLabelEnd = new Map<string, { above: number; below: number }>();
  history.forEach((op, index) => {
    const y = row(op.client);
    const end = op.ret ?? xMax;
    const kind = culprit === undefined ? "plain" : index === culprit ? "culprit" : prefix.has(index) ? "prefix" : "other";
    const colour = COLOUR[kind];
    const group = kind === "plain" ? "operation" : kind === "culprit" ? "cannot be linearized" : kind === "prefix" ? "longest linearizable prefix" : "not reached";
    const label = model.describe(op.input, op.output);
    const first = !legendShown.has(group);
    legendShown.add(group);
    data.push({
      type: "scatter", mode: "lines+markers", x: [op.call, end], y: [y, y],
      line: { color: colour, width: kind === "culprit" ? 6 : 4, dash: op.ret === null ? "dash" : "solid" },
      marker: { symbol: "line-ns", size: 14, line: { color: colour, width: 2 }, color: colour },
      name: group, legendgroup: group, showlegend: first && culprit !== undefined,
      hovertext: `${op.client}: ${label}<br>[${op.call}, ${op.ret ?? "no response"}]`, hoverinfo: "text",
    });
    const centre = (op.call + Math.min(end, xMax)) / 2;
    const halfPx = textWidthPx(label, 12) / 2 + 4;
    const left = centre * pxPerUnit - halfPx;
    const free = lastLabelEnd.get(String(op.client)) ?? { above: -Infinity, below: -Infinity };
    const above = left >= free.above || free.above <= free.below;
    if (above) free.above = centre * pxPerUnit + halfPx;
    else free.below = centre * pxPerUnit + halfPx;
    lastLabelEnd.set(String(op.client), free);
    annotations.push({
      x: centre, y, xref: "x", yref: "y", text: label, showarrow: false,
      yshift: above ? 15 : -15, font: { size: 12, color: kind === "culprit" ? COLOUR.culprit : "#222" },
    });
  });
  if (points.size > 0) {
    const entries = [...points.entries()];
    data.push({
      type: "scatter", mode: "markers", name: "linearization point",
      x: entries.map(([, t]) => t), y: entries.map(([i]) => row(history[i].client)),
      marker: { symbol: "diamond", size: 11, color: COLOUR.point, line: { color: "#ffffff", width: 1 } },
      hovertext: entries.map(([i], k) => `#${k + 1}: ${model.describe(history[i].input, history[i].output)}`), hoverinfo: "text",
      showlegend: true,
    });
  }
  const heightPx = MARGIN.t + MARGIN.b + ROW_PX * Math.max(clients.length, 2) + 40;
  return {
    data,
    layout: {
      title: options.title === undefined ? undefined : { text: options.title, x: 0.02, xanchor: "left" },
      width: widthPx, height: heightPx, margin: MARGIN,
      xaxis: { title: { text: options.xTitle ?? "time" }, range: [xMin, xMax], zeroline: false },
      yaxis: { tickmode: "array", tickvals: clients.map((c) => row(c)), ticktext: clients, range: [-0.7, clients.length - 0.3], zeroline: false, showgrid: false },
      // Below the axis title: 50 px under the plot area, in the plot's fractions.
      legend: { orientation: "h", x: 0, y: -50 / (heightPx - MARGIN.t - MARGIN.b), yanchor: "top" },
      annotations,
      hovermode: "closest",
    },
  };
}
