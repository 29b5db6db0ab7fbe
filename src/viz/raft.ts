/**
 * Figures for lecture 7 (consensus, Raft), built from real runs:
 *
 *   raftChanges(trace)          each node's Raft state over time, from the `{ raft }` snapshots that
 *                               withRaftSnapshots (src/checks/raft-snapshots.ts) leaves in a trace,
 *                               with crashes as "down"
 *   partitionWindows(trace)     the partitions of a run, to shade on a timeline
 *   raftRolesFigure(changes)    node roles (follower, candidate, leader, down) and terms over time:
 *                               one row per node, the term written in each segment
 *   raftLogFigure(changes)      each node's log length and commit point (commitLength) over time,
 *                               one panel per node
 *   raftLogGrid(rows)           logs at one moment as the Raft paper draws them: one row per log,
 *                               one cell per record, coloured and labelled by its term, the
 *                               committed prefix outlined
 *   describeRaftMessage(send)   short text of a Raft message for space-time diagrams' hovers
 *
 * Like every figure of the kit: plain plotly data, built by pure functions.
 */
import type { NodeId } from "../sim/protocol";
import type { TraceEvent } from "../sim/trace-events";
import { baseLayout, PALETTE, type Figure } from "./figure";

/** A node's Raft state as withRaftSnapshots records it (src/checks/raft-snapshots.ts). */
export interface RaftView {
  readonly term: number;
  readonly role: string;
  readonly votedFor?: NodeId | null;
  /** Each record as [term, msg as JSON]. */
  readonly log: readonly (readonly [number, string])[];
  readonly commitLength: number;
}

/** Node `node`'s state became `view` at time t (ms); view null: the node crashed. */
export interface RaftChange {
  readonly node: NodeId;
  readonly t: number;
  readonly view: RaftView | null;
}

interface TraceLike {
  readonly nodes?: readonly NodeId[];
  readonly events: readonly TraceEvent[];
}

/** The Raft states of a run, in trace order: every `{ raft }` annotation, and a null view at each crash. */
export function raftChanges(trace: TraceLike): RaftChange[] {
  const out: RaftChange[] = [];
  for (const e of trace.events) {
    if (!("node" in e)) continue;
    if (e.kind === "crash") {
      out.push({ node: e.node, t: e.t, view: null });
      continue;
    }
    const view = (e as { annotations?: { raft?: RaftView } }).annotations?.raft;
    if (view !== undefined && view !== null) out.push({ node: e.node, t: e.t, view });
  }
  if (out.length === 0) {
    throw new RangeError("raftChanges: the trace has no { raft } annotations: run the protocol wrapped in withRaftSnapshots (src/checks/raft-snapshots.ts)");
  }
  return out;
}

/** A time window to shade, e.g. a partition. */
export interface ShadedWindow {
  readonly fromMs: number;
  readonly untilMs: number;
  readonly label?: string;
}

/** The partitions of a run (healed or not by `endMs`), labelled with their groups. */
export function partitionWindows(trace: TraceLike, endMs?: number): ShadedWindow[] {
  const open = new Map<number, { fromMs: number; label: string }>();
  const out: ShadedWindow[] = [];
  let last = 0;
  for (const e of trace.events) {
    last = Math.max(last, e.t);
    if (e.kind === "partition") {
      const label = e.groups !== undefined ? e.groups.map((g) => g.join(" ")).join(" | ") : `${e.cut.length} links cut`;
      open.set(e.partitionId, { fromMs: e.t, label });
    } else if (e.kind === "heal") {
      const p = open.get(e.partitionId);
      if (p === undefined) continue;
      open.delete(e.partitionId);
      out.push({ fromMs: p.fromMs, untilMs: e.t, label: p.label });
    }
  }
  for (const p of open.values()) out.push({ fromMs: p.fromMs, untilMs: endMs ?? last, label: p.label });
  return out.sort((a, b) => a.fromMs - b.fromMs);
}

/** Colours of the roles (follower calm, candidate warm, leader strong, down grey). */
export const ROLE_COLOURS: Readonly<Record<string, string>> = {
  follower: "#9ecae1",
  candidate: PALETTE[1]!,
  leader: PALETTE[2]!,
  down: "#bdbdbd",
};

export interface RaftTimelineOptions {
  title?: string;
  /** Rows, top to bottom (default: the nodes in the order they first appear). */
  nodes?: readonly NodeId[];
  fromMs?: number;
  /** The end of the last segment (default: the last change plus 10% of the span). */
  untilMs?: number;
  /** Windows to shade (e.g. partitionWindows(trace)); labelled in the hover and above the plot. */
  shaded?: readonly ShadedWindow[];
  /** Vertical markers, e.g. "faults stop". */
  vlines?: readonly { x: number; label?: string; color?: string }[];
  height?: number;
}

interface Span {
  readonly node: NodeId;
  readonly fromMs: number;
  readonly untilMs: number;
  readonly view: RaftView | null;
}

/** Each node's views as consecutive spans [fromMs, untilMs) clipped to the window; `same` merges neighbours. */
function spans(changes: readonly RaftChange[], nodes: readonly NodeId[], fromMs: number, untilMs: number, same: (a: RaftView | null, b: RaftView | null) => boolean): Span[] {
  const out: Span[] = [];
  for (const node of nodes) {
    const mine = changes.filter((c) => c.node === node).slice().sort((a, b) => a.t - b.t);
    const merged: RaftChange[] = [];
    for (const c of mine) {
      const previous = merged[merged.length - 1];
      if (previous !== undefined && previous.t === c.t) merged[merged.length - 1] = c; // the last state at an instant counts
      else if (previous === undefined || !same(previous.view, c.view)) merged.push(c);
    }
    merged.forEach((c, k) => {
      const start = Math.max(fromMs, c.t);
      const end = Math.min(untilMs, k + 1 < merged.length ? merged[k + 1]!.t : untilMs);
      if (end > start) out.push({ node, fromMs: start, untilMs: end, view: c.view });
    });
  }
  return out;
}

function windowOf(changes: readonly RaftChange[], options: { fromMs?: number; untilMs?: number }, name: string): [number, number] {
  if (changes.length === 0) throw new RangeError(`${name}: no Raft states to draw`);
  let first = Infinity;
  let lastChange = -Infinity;
  for (const c of changes) {
    first = Math.min(first, c.t);
    lastChange = Math.max(lastChange, c.t);
  }
  const fromMs = options.fromMs ?? first;
  const untilMs = options.untilMs ?? lastChange + Math.max(1, 0.1 * (lastChange - first));
  if (!(untilMs > fromMs)) throw new RangeError(`${name}: untilMs (${untilMs}) must be after fromMs (${fromMs})`);
  return [fromMs, untilMs];
}

function nodesOf(changes: readonly RaftChange[], nodes: readonly NodeId[] | undefined): NodeId[] {
  const all: NodeId[] = [];
  for (const c of changes) if (!all.includes(c.node)) all.push(c.node);
  if (nodes === undefined) return all;
  const unknown = nodes.filter((n) => !all.includes(n));
  if (unknown.length > 0) throw new RangeError(`raft figure: no Raft states of ${unknown.join(", ")} (nodes with states: ${all.join(", ")})`);
  return nodes.slice();
}

function shadingShapes(shaded: readonly ShadedWindow[], yref: string): { shapes: Record<string, unknown>[]; annotations: Record<string, unknown>[] } {
  const shapes = shaded.map((w) => ({
    type: "rect", xref: "x", yref, x0: w.fromMs, x1: w.untilMs, y0: 0, y1: 1, layer: "below",
    fillcolor: "rgba(230, 159, 0, 0.13)", line: { width: 0 },
  }));
  // Labels above the plot area, one line each, so that windows close together do not collide.
  const annotations = shaded.filter((w) => w.label !== undefined).map((w, k) => ({
    xref: "x", yref: "paper", x: w.fromMs, y: 1, yshift: 2 + 15 * k, xanchor: "left", yanchor: "bottom", showarrow: false,
    text: `partition ${w.label}`, font: { size: 11, color: "#8a5a00" },
  }));
  return { shapes, annotations };
}

/**
 * Roles and terms over time: one horizontal bar per node made of segments coloured by role
 * (follower, candidate, leader, down), the term written inside each segment wide enough for it.
 */
export function raftRolesFigure(changes: readonly RaftChange[], options: RaftTimelineOptions = {}): Figure {
  const [fromMs, untilMs] = windowOf(changes, options, "raftRolesFigure");
  const nodes = nodesOf(changes, options.nodes);
  const roleOf = (v: RaftView | null) => (v === null ? "down" : v.role);
  const all = spans(changes, nodes, fromMs, untilMs, (a, b) => roleOf(a) === roleOf(b) && (a === null || b === null || a.term === b.term));
  const roles = ["follower", "candidate", "leader", "down"];
  for (const s of all) if (!roles.includes(roleOf(s.view))) throw new RangeError(`raftRolesFigure: unknown role ${JSON.stringify(roleOf(s.view))} of node ${s.node} at ${s.fromMs} ms`);
  const shaded = options.shaded ?? [];
  const layout = baseLayout({ title: options.title, xTitle: "time (ms)", yTitle: "node", vlines: options.vlines });
  const labelled = shaded.filter((w) => w.label !== undefined).length;
  const margin = layout.margin as { t: number; b: number; l: number; r: number };
  const top = margin.t + 15 * labelled;
  const height = options.height ?? top + 110 + 48 * nodes.length;
  const { shapes, annotations } = shadingShapes(shaded, "paper");
  return {
    data: roles.map((role) => {
      const mine = all.filter((s) => roleOf(s.view) === role);
      return {
        type: "bar", orientation: "h", name: role,
        y: mine.map((s) => s.node), base: mine.map((s) => s.fromMs), x: mine.map((s) => s.untilMs - s.fromMs),
        text: mine.map((s) => (s.view === null ? "" : String(s.view.term))),
        textposition: "inside", insidetextanchor: "middle", textangle: 0, textfont: { size: 11, color: role === "leader" ? "#ffffff" : "#222222" },
        hovertext: mine.map((s) => `${s.node}: ${role}${s.view === null ? "" : `, term ${s.view.term}`}<br>${Math.round(s.fromMs)}-${Math.round(s.untilMs)} ms`),
        hoverinfo: "text",
        marker: { color: ROLE_COLOURS[role], line: { color: "#ffffff", width: 1 } },
        showlegend: true,
      };
    }),
    layout: {
      ...layout,
      barmode: "overlay",
      bargap: 0.3,
      // Segments too narrow for their term's digits show none (the hover has it).
      uniformtext: { mode: "hide", minsize: 10 },
      height,
      margin: { ...margin, t: top },
      xaxis: { ...(layout.xaxis as object), range: [fromMs, untilMs] },
      yaxis: { ...(layout.yaxis as object), type: "category", categoryorder: "array", categoryarray: nodes, autorange: "reversed" },
      legend: { orientation: "h", x: 0, y: -0.18 - 0.5 / Math.max(1, nodes.length), yanchor: "top", title: { text: "role (the number: the term)  " } },
      shapes: [...(layout.shapes as unknown[]), ...shapes],
      annotations: [...(layout.annotations as unknown[]), ...annotations],
    },
  };
}

/**
 * Each node's log over time: one panel per node, its log length (a step line) and its commit point
 * commitLength (the filled area below it), with a marker where the commit point moves; down times
 * shaded grey.
 */
export function raftLogFigure(changes: readonly RaftChange[], options: RaftTimelineOptions = {}): Figure {
  const [fromMs, untilMs] = windowOf(changes, options, "raftLogFigure");
  const nodes = nodesOf(changes, options.nodes);
  const data: Record<string, unknown>[] = [];
  const shapes: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  const gap = 0.04;
  const panel = (1 - gap * (nodes.length - 1)) / nodes.length;
  let maxLength = 1;
  for (const c of changes) if (c.view !== null) maxLength = Math.max(maxLength, c.view.log.length);
  const axes: Record<string, unknown> = {};
  nodes.forEach((node, k) => {
    const axis = k === 0 ? "y" : `y${k + 1}`;
    const top = 1 - k * (panel + gap);
    axes[k === 0 ? "yaxis" : `yaxis${k + 1}`] = {
      domain: [top - panel, top], range: [-0.3, maxLength + 0.8], zeroline: false, title: { text: node, font: { size: 12 } },
      // No tick at 0: it would meet the time axis' first tick in the corner of the bottom panel.
      tickmode: "array", tickvals: [...new Set([Math.ceil(maxLength / 2), maxLength])], anchor: "x",
    };
    const mine = spans(changes, [node], fromMs, untilMs, (a, b) => JSON.stringify(a) === JSON.stringify(b));
    // One pair of traces per stretch of time the node is up: a crashed node has no line and no fill.
    const runs: Span[][] = [];
    let current: Span[] = [];
    for (const s of mine) {
      if (s.view === null) {
        shapes.push({ type: "rect", xref: "x", yref: `${axis} domain`, x0: s.fromMs, x1: s.untilMs, y0: 0, y1: 1, layer: "below", fillcolor: "rgba(127, 127, 127, 0.2)", line: { width: 0 } });
        if (current.length > 0) runs.push(current);
        current = [];
      } else current.push(s);
    }
    if (current.length > 0) runs.push(current);
    const commitX: number[] = [];
    const commitY: number[] = [];
    const commitText: string[] = [];
    let lastCommit = 0;
    runs.forEach((run, r) => {
      const x: number[] = [];
      const length: number[] = [];
      const committed: number[] = [];
      for (const s of run) {
        const view = s.view!;
        x.push(s.fromMs, s.untilMs);
        length.push(view.log.length, view.log.length);
        committed.push(view.commitLength, view.commitLength);
        if (view.commitLength > lastCommit) {
          commitX.push(s.fromMs);
          commitY.push(view.commitLength);
          const last = view.log[view.commitLength - 1];
          commitText.push(`${node} commits up to index ${view.commitLength} at ${Math.round(s.fromMs)} ms${last === undefined ? "" : `<br>last committed: ${last[1]} (term ${last[0]})`}`);
        }
        lastCommit = view.commitLength;
      }
      const legend = k === 0 && r === 0;
      data.push({
        type: "scatter", mode: "lines", name: "committed (commitLength)", legendgroup: "committed", showlegend: legend, x, y: committed, yaxis: axis,
        line: { color: PALETTE[2], width: 1, shape: "hv" }, fill: "tozeroy", fillcolor: "rgba(0, 158, 115, 0.25)", hoverinfo: "skip",
      });
      data.push({
        type: "scatter", mode: "lines", name: "log length", legendgroup: "log", showlegend: legend, x, y: length, yaxis: axis,
        line: { color: PALETTE[0], width: 2, shape: "hv" }, hovertemplate: `${node}: log length %{y}<extra></extra>`,
      });
    });
    data.push({
      type: "scatter", mode: "markers", name: "commit point moves", legendgroup: "commit", showlegend: k === 0, x: commitX, y: commitY, yaxis: axis,
      marker: { color: PALETTE[2], size: 7, symbol: "diamond" }, text: commitText, hoverinfo: "text",
    });
  });
  const shaded = options.shaded ?? [];
  const shading = shadingShapes(shaded, "paper");
  const layout = baseLayout({ title: options.title, xTitle: "time (ms)", vlines: options.vlines });
  const margin = layout.margin as { t: number; b: number; l: number; r: number };
  const top = margin.t + 15 * shaded.filter((w) => w.label !== undefined).length;
  return {
    data,
    layout: {
      ...layout,
      ...axes,
      // The time axis sits under the bottom panel.
      xaxis: { ...(layout.xaxis as object), range: [fromMs, untilMs], anchor: nodes.length === 1 ? "y" : `y${nodes.length}` },
      height: options.height ?? top + 120 + 75 * nodes.length,
      margin: { ...margin, t: top, b: 95 },
      legend: { orientation: "h", x: 0, y: -60 / Math.max(150, 75 * nodes.length), yanchor: "top" },
      shapes: [...(layout.shapes as unknown[]), ...shapes, ...shading.shapes],
      annotations: [...(layout.annotations as unknown[]), ...annotations, ...shading.annotations],
    },
  };
}

/** Fill colours of terms 1, 2, ... in a log grid (light, so the black term number stays readable). */
export const TERM_COLOURS = ["#a6cee3", "#fdbf6f", "#b2df8a", "#fb9a99", "#cab2d6", "#ffff99", "#8dd3c7", "#fccde5", "#d9d9d9", "#bc80bd"];

/** One row of a log grid: a log (records as [term, msg] or { term, msg }) and its commit point. */
export interface LogGridRow {
  readonly name: string;
  readonly log: readonly (readonly [number, unknown] | { readonly term: number; readonly msg: unknown })[];
  readonly commitLength?: number;
}

export interface LogGridOptions {
  title?: string;
  height?: number;
  /** Cells to mark with a red outline, as [row name, index (1-based)]. */
  highlight?: readonly (readonly [string, number])[];
  /** What a cell says: its term (default, as in the Raft paper) or its record, "msg (tN)". */
  cellText?: "term" | "record";
  /** Draw at least this many columns, so that short logs keep cells of a usual width. Default 8. */
  minColumns?: number;
}

/**
 * Logs side by side, as in the Raft paper's figures: one row per log, column i the record at index
 * i (1-based), coloured and labelled by its term; each row's committed prefix outlined in black.
 */
export function raftLogGrid(rows: readonly LogGridRow[], options: LogGridOptions = {}): Figure {
  if (rows.length === 0) throw new RangeError("raftLogGrid: no logs to draw");
  const names = rows.map((r) => r.name);
  if (new Set(names).size !== names.length) throw new RangeError(`raftLogGrid: row names must differ, got ${names.join(", ")}`);
  const records = rows.map((r) => r.log.map((e) => (Array.isArray(e) ? { term: e[0] as number, msg: e[1] } : e as { term: number; msg: unknown })));
  records.forEach((log, k) => log.forEach((e, i) => {
    if (!Number.isSafeInteger(e.term) || e.term < 1) throw new RangeError(`raftLogGrid: row ${names[k]} index ${i + 1} has term ${String(e.term)} (terms are integers >= 1)`);
  }));
  const width = Math.max(1, ...records.map((l) => l.length));
  const terms = [...new Set(records.flatMap((l) => l.map((e) => e.term)))].sort((a, b) => a - b);
  const band = (term: number) => terms.indexOf(term);
  const columns = Array.from({ length: width }, (_, i) => i + 1);
  const z = records.map((log) => columns.map((i) => (i <= log.length ? band(log[i - 1]!.term) : null)));
  const cellText = options.cellText ?? "term";
  if (cellText !== "term" && cellText !== "record") throw new RangeError(`raftLogGrid: cellText must be "term" or "record", got ${JSON.stringify(cellText)}`);
  const show = (e: { term: number; msg: unknown }) => (cellText === "term" ? String(e.term) : `${typeof e.msg === "string" ? e.msg : JSON.stringify(e.msg)} (t${e.term})`);
  const text = records.map((log) => columns.map((i) => (i <= log.length ? show(log[i - 1]!) : "")));
  const hover = records.map((log, k) => columns.map((i) => {
    const e = log[i - 1];
    if (e === undefined) return `${names[k]}: no record at index ${i}`;
    const committed = i <= (rows[k]!.commitLength ?? 0) ? ", committed" : "";
    return `${names[k]}[${i}]: ${typeof e.msg === "string" ? e.msg : JSON.stringify(e.msg)}, term ${e.term}${committed}`;
  }));
  // One flat colour band per distinct term.
  const n = Math.max(1, terms.length);
  const colorscale: [number, string][] = [];
  terms.forEach((term, k) => {
    const colour = TERM_COLOURS[(term - 1) % TERM_COLOURS.length]!;
    colorscale.push([k / n, colour], [(k + 1) / n, colour]);
  });
  if (colorscale.length === 0) colorscale.push([0, "#ffffff"], [1, "#ffffff"]);
  const shapes: Record<string, unknown>[] = [];
  rows.forEach((r, k) => {
    const c = r.commitLength ?? 0;
    if (c < 0 || c > records[k]!.length) throw new RangeError(`raftLogGrid: row ${r.name} has commitLength ${c}, outside [0, ${records[k]!.length}]`);
    if (c > 0) shapes.push({ type: "rect", xref: "x", yref: "y", x0: 0.5, x1: c + 0.5, y0: k - 0.45, y1: k + 0.45, line: { color: "#000000", width: 2.5 } });
  });
  for (const [name, index] of options.highlight ?? []) {
    const k = names.indexOf(name);
    if (k < 0) throw new RangeError(`raftLogGrid: highlight names row ${name}, not among ${names.join(", ")}`);
    shapes.push({ type: "rect", xref: "x", yref: "y", x0: index - 0.5, x1: index + 0.5, y0: k - 0.5, y1: k + 0.5, line: { color: "#d62728", width: 3 } });
  }
  const longest = Math.max(...names.map((s) => s.length));
  const titled = options.title !== undefined;
  const drawn = Math.max(width, options.minColumns ?? 8);
  return {
    data: [{
      type: "heatmap", x: columns, y: names, z, text, texttemplate: "%{text}", textfont: { size: 12, color: "#111111" },
      hovertext: hover, hoverinfo: "text", colorscale, zmin: -0.5, zmax: Math.max(1, terms.length) - 0.5, showscale: false, xgap: 3, ygap: 3,
    }],
    layout: {
      ...baseLayout({ title: options.title }),
      height: options.height ?? (titled ? 50 : 20) + 55 + 36 * rows.length,
      margin: { l: Math.min(320, 24 + 7 * longest), r: 20, t: titled ? 50 : 20, b: 55 },
      xaxis: { title: { text: "log index" }, tickmode: "array", tickvals: columns, zeroline: false, showgrid: false, range: [0.5, drawn + 0.5] },
      yaxis: { type: "category", categoryorder: "array", categoryarray: names, autorange: "reversed", showgrid: false, zeroline: false },
      shapes,
      showlegend: false,
    },
  };
}

/** Short text for a Raft message on a space-time diagram (heartbeats are LogRequests with no records). */
export function describeRaftMessage(send: { readonly msg: unknown }): string {
  const m = send.msg as { type: string } & Record<string, unknown>;
  switch (m.type) {
    case "VoteRequest":
      return `VoteRequest(cId ${m.cId}, cTerm ${m.cTerm}, cLogLength ${m.cLogLength}, cLogTerm ${m.cLogTerm})`;
    case "VoteResponse":
      return `VoteResponse(${m.voterId}, term ${m.term}, ${m.granted ? "granted" : "refused"})`;
    case "LogRequest": {
      const suffix = (m.suffix as readonly { term: number }[] | undefined) ?? [];
      const records = suffix.length === 0 ? "heartbeat" : `suffix terms [${suffix.map((e) => e.term).join(" ")}]`;
      return `LogRequest(term ${m.term}, prefixLen ${m.prefixLen}, prefixTerm ${m.prefixTerm}, leaderCommit ${m.leaderCommit}, ${records})`;
    }
    case "LogResponse":
      return `LogResponse(${m.follower}, term ${m.term}, ack ${m.ack}, ${m.success ? "success" : "failure"})`;
    case "ForwardRequest":
      return `ForwardRequest(${JSON.stringify((m.request as { msg?: unknown } | undefined)?.msg)})`;
    default:
      return JSON.stringify(m);
  }
}
