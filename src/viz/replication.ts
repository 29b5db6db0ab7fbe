/**
 * Figures for lecture 5 (replication), built from real runs:
 *
 *   replicaTimeline(changes)   each replica's state over time, one row per replica, one colour per
 *                              distinct state: replicas converging after anti-entropy or a heal
 *   quorumPicture(...)         which replicas each operation reached (write quorum, read quorum)
 *                              and where they overlap: r + w > n as a picture
 *   quorumGrid(n, cell)        a value over every (r, w) for n replicas (availability, stale-read
 *                              rate), with the cells where r + w > n outlined
 *
 * Like every figure of the kit: plain plotly data, built by pure functions.
 */
import type { NodeId } from "../sim/protocol";
import type { TraceEvent } from "../sim/trace-events";
import { PALETTE, baseLayout, heatmap, type Figure, type HeatmapOptions } from "./figure";

/** A replica's state changed to `view` at time t (ms). */
export interface StateChange {
  readonly node: NodeId;
  readonly t: number;
  readonly view: unknown;
}

/** The state changes recorded in a trace as `ctx.annotate({ [key]: view })`, in order. */
export function stateChangesFromTrace(trace: { readonly events: readonly TraceEvent[] }, key = "view"): StateChange[] {
  const out: StateChange[] = [];
  for (const e of trace.events) {
    const annotations = (e as { annotations?: Record<string, unknown> }).annotations;
    if (annotations === undefined || !(key in annotations) || !("node" in e)) continue;
    out.push({ node: e.node, t: e.t, view: annotations[key] });
  }
  return out;
}

/**
 * Samples each replica's state every `everyMs` while a simulation runs (for protocols that do not
 * annotate their state): `run(untilMs)` advances the run, `read(node)` returns its state now (or
 * undefined while it is down). Only changes are kept.
 */
export function sampleStates(
  nodes: readonly NodeId[],
  options: { everyMs: number; untilMs: number; fromMs?: number },
  run: (untilMs: number) => void,
  read: (node: NodeId) => unknown,
): StateChange[] {
  const { everyMs, untilMs } = options;
  const fromMs = options.fromMs ?? 0;
  if (!(everyMs > 0)) throw new RangeError(`sampleStates: everyMs must be > 0, got ${everyMs}`);
  if (!(untilMs >= fromMs)) throw new RangeError(`sampleStates: untilMs (${untilMs}) must be >= fromMs (${fromMs})`);
  if ((untilMs - fromMs) / everyMs > 100_000) throw new RangeError(`sampleStates: ${(untilMs - fromMs) / everyMs} samples is more than the bound 100000`);
  const last = new Map<NodeId, string>();
  const out: StateChange[] = [];
  for (let t = fromMs; t <= untilMs; t += everyMs) {
    run(t);
    for (const node of nodes) {
      const view = read(node);
      const text = JSON.stringify(view, setsAsArrays) ?? "undefined";
      if (last.get(node) === text) continue;
      last.set(node, text);
      out.push({ node, t, view });
    }
  }
  return out;
}

function setsAsArrays(_key: string, value: unknown): unknown {
  if (value instanceof Set) return [...value].sort();
  if (value instanceof Map) return Object.fromEntries(value);
  return value;
}

export interface ReplicaTimelineOptions {
  title?: string;
  /** Rows, top to bottom (default: the nodes in the order they first appear). */
  nodes?: readonly NodeId[];
  fromMs?: number;
  /** The end of the last segment (default: the last change plus 10% of the span). */
  untilMs?: number;
  /** The legend text of a state (default: its JSON). */
  describe?: (view: unknown) => string;
  /** Vertical markers, e.g. "partition healed". */
  vlines?: readonly { x: number; label?: string; color?: string }[];
  height?: number;
  xTitle?: string;
}

/** Most distinct states a timeline colours (a legend longer than this is unreadable). */
export const TIMELINE_STATES_MAX = 16;

/**
 * Each replica's state over time: a horizontal bar per replica made of segments, one colour per
 * distinct state (named in the legend). Replicas that have converged show the same colour.
 */
export function replicaTimeline(changes: readonly StateChange[], options: ReplicaTimelineOptions = {}): Figure {
  if (changes.length === 0) throw new RangeError("replicaTimeline: no state changes to draw");
  const describe = options.describe ?? ((view: unknown) => (typeof view === "string" ? view : JSON.stringify(view, setsAsArrays) ?? String(view)));
  const nodes = options.nodes ?? [...new Set(changes.map((c) => c.node))];
  const times = changes.map((c) => c.t);
  const first = Math.min(...times);
  const lastChange = Math.max(...times);
  const fromMs = options.fromMs ?? first;
  const untilMs = options.untilMs ?? lastChange + Math.max(1, 0.1 * (lastChange - first));
  if (!(untilMs > fromMs)) throw new RangeError(`replicaTimeline: untilMs (${untilMs}) must be after fromMs (${fromMs})`);
  // The states in order of first appearance, each with a colour.
  const states: string[] = [];
  for (const c of changes) {
    const text = describe(c.view);
    if (!states.includes(text)) states.push(text);
  }
  if (states.length > TIMELINE_STATES_MAX) throw new RangeError(`replicaTimeline: ${states.length} distinct states, more than ${TIMELINE_STATES_MAX} colours; pass describe() to group them`);
  const segments = new Map<string, { y: NodeId[]; base: number[]; x: number[] }>(states.map((s) => [s, { y: [], base: [], x: [] }]));
  for (const node of nodes) {
    // Consecutive reports of the same state (e.g. from polling) make one segment.
    const mine = changes.filter((c) => c.node === node).slice().sort((a, b) => a.t - b.t)
      .filter((c, k, all) => k === 0 || describe(c.view) !== describe(all[k - 1].view));
    mine.forEach((c, k) => {
      const start = Math.max(fromMs, c.t);
      const end = Math.min(untilMs, k + 1 < mine.length ? mine[k + 1].t : untilMs);
      if (end <= start) return;
      const s = segments.get(describe(c.view))!;
      s.y.push(node);
      s.base.push(start);
      s.x.push(end - start);
    });
  }
  // The legend goes below the x axis title: its rows (about 900 px wide, 22 px high) get their own margin.
  const legendRows = Math.max(1, Math.ceil(states.reduce((sum, text) => sum + 7 * text.length + 45, 60) / 900));
  const marginBottomPx = 80 + 22 * legendRows;
  const layout = baseLayout({ title: options.title, xTitle: options.xTitle ?? "time (ms)", yTitle: "replica", vlines: options.vlines });
  const heightPx = options.height ?? (layout.margin as { t: number }).t + marginBottomPx + 60 * nodes.length + 20;
  const plotHeightPx = heightPx - (layout.margin as { t: number }).t - marginBottomPx;
  if (plotHeightPx < 40) throw new RangeError(`replicaTimeline: height ${heightPx} px leaves ${plotHeightPx} px for ${nodes.length} replicas; pass a larger height`);
  return {
    data: states.map((state, k) => {
      const s = segments.get(state)!;
      return {
        type: "bar", orientation: "h", name: state, y: s.y, base: s.base, x: s.x,
        marker: { color: PALETTE[k % PALETTE.length], line: { color: "#ffffff", width: 1 } },
        hovertemplate: `%{y}: ${state.replace(/%/g, "%%")}<br>from %{base} ms for %{x} ms<extra></extra>`,
      };
    }),
    layout: {
      ...layout,
      barmode: "overlay",
      bargap: 0.35,
      xaxis: { ...(layout.xaxis as object), range: [fromMs, untilMs] },
      yaxis: { ...(layout.yaxis as object), type: "category", categoryorder: "array", categoryarray: nodes.slice(), autorange: "reversed" },
      height: heightPx,
      margin: { ...(layout.margin as object), b: marginBottomPx },
      legend: { orientation: "h", x: 0, y: -58 / plotHeightPx, yanchor: "top", title: { text: "state: " } },
    },
  };
}

/** One operation of a quorum picture: which replicas it reached, and what each said (optional). */
export interface QuorumOperation {
  /** e.g. "write (t₁, v₁)" or "read". */
  readonly name: string;
  readonly reached: readonly NodeId[];
  /** Text per replica, e.g. the (t, v) a read returned. */
  readonly detail?: Readonly<Record<NodeId, string>>;
}

/**
 * Rows: operations; columns: replicas. A cell is filled when the operation reached that replica;
 * columns reached by every operation (the quorums' intersection) are drawn darker.
 */
export function quorumPicture(replicas: readonly NodeId[], operations: readonly QuorumOperation[], options: { title?: string; height?: number } = {}): Figure {
  if (replicas.length === 0 || operations.length === 0) throw new RangeError("quorumPicture: needs at least one replica and one operation");
  for (const op of operations) {
    const unknown = op.reached.filter((r) => !replicas.includes(r));
    if (unknown.length > 0) throw new RangeError(`quorumPicture: operation "${op.name}" reached ${unknown.join(", ")}, not among the replicas ${replicas.join(", ")}`);
  }
  const shared = replicas.filter((r) => operations.every((op) => op.reached.includes(r)));
  const z = operations.map((op) => replicas.map((r) => (!op.reached.includes(r) ? 0 : shared.includes(r) ? 2 : 1)));
  const text = operations.map((op) => replicas.map((r) => (op.reached.includes(r) ? (op.detail?.[r] ?? "✓") : "–")));
  const figure = heatmap(replicas.map((r) => `replica ${r}`), operations.map((op) => op.name), z, {
    title: options.title, height: options.height ?? 150 + 60 * operations.length, tableLike: true, cellText: text, zMin: 0, zMax: 2,
    colorscale: undefined,
  });
  const trace = figure.data[0];
  // Three discrete colours: not reached, reached, reached by every operation (the overlap).
  trace.colorscale = [[0, "#f2f2f2"], [0.33, "#f2f2f2"], [0.33, "#9ecae1"], [0.66, "#9ecae1"], [0.66, "#3182bd"], [1, "#3182bd"]];
  trace.showscale = false;
  trace.xgap = 3;
  trace.ygap = 3;
  trace.hoverinfo = "text";
  return figure;
}

/** Options of quorumGrid: heatmap options plus how cells print. */
export interface QuorumGridOptions extends HeatmapOptions {
  /** Cell text (default: the value as a percentage). */
  format?: (value: number) => string;
}

/**
 * A value for every read quorum r (rows) and write quorum w (columns), 1..n, as a heat map; the
 * cells with r + w > n (reads see the last write) are outlined.
 */
export function quorumGrid(n: number, cell: (r: number, w: number) => number, options: QuorumGridOptions = {}): Figure {
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new RangeError(`quorumGrid: n must be an integer in [1, 20], got ${n}`);
  const sizes = Array.from({ length: n }, (_, k) => k + 1);
  const z = sizes.map((r) => sizes.map((w) => {
    const value = cell(r, w);
    if (!Number.isFinite(value)) throw new RangeError(`quorumGrid: the value for r = ${r}, w = ${w} is ${value}`);
    return value;
  }));
  const format = options.format ?? ((v: number) => `${Math.round(100 * v)}%`);
  const figure = heatmap(sizes.map((w) => `w = ${w}`), sizes.map((r) => `r = ${r}`), z, {
    zMin: 0, zMax: 1, colorscale: "Cividis", ...options, tableLike: true, cellText: z.map((row) => row.map(format)),
  });
  const layout = figure.layout as Record<string, unknown>;
  // Category axes: cell (w, r) spans [w - 1.5, w - 0.5] on x and [r - 1.5, r - 0.5] on y (0-based categories).
  const outline = sizes.flatMap((r) => sizes.filter((w) => r + w > n).map((w) => ({
    type: "rect", xref: "x", yref: "y", x0: w - 1.5, x1: w - 0.5, y0: r - 1.5, y1: r - 0.5, line: { color: "#d62728", width: 2 },
  })));
  layout.shapes = [...((layout.shapes as unknown[]) ?? []), ...outline];
  return figure;
}
