/**
 * Two-phase commit's blocking window (lecture 6, slide "The coordinator in two-phase commit"): for
 * one transaction, one row per node, from commitTimeline (src/checks/atomic-commit.ts). A
 * participant's row is drawn from its vote to its decision: orange while it has voted yes and waits
 * (it may neither commit nor abort on its own), red where it is still waiting when the run ends
 * (blocked), and a marker at its decision (green commit, dark grey abort).
 */
import type { TransactionTimeline } from "../checks/atomic-commit";
import { PALETTE, type Figure } from "./figure";

export interface CommitFigureOptions {
  title?: string;
  /** Vertical dashed lines, e.g. the coordinator's crash and recovery. */
  marks?: readonly { atMs: number; label: string }[];
  /** Draw up to this time (default: the end of the trace). */
  untilMs?: number;
}

const WAITING = PALETTE[1];
const BLOCKED = "#d62728";
const OUTCOME_COLOUR = { commit: PALETTE[2], abort: "#444444" } as const;

export function commitFigure(txn: TransactionTimeline, options: CommitFigureOptions = {}): Figure {
  const endMs = options.untilMs ?? txn.endMs;
  // A little room on the right for the last decision's marker and the marks' labels.
  const axisEndMs = Math.max(endMs, ...(options.marks ?? []).map((m) => m.atMs)) * 1.05;
  const rows = txn.nodes.map((n) => n.node);
  const y = (node: string) => rows.length - 1 - rows.indexOf(node);
  const data: Record<string, unknown>[] = [];
  const shown = new Set<string>();
  const legend = (name: string) => {
    const first = !shown.has(name);
    shown.add(name);
    return { name, legendgroup: name, showlegend: first };
  };
  for (const n of txn.nodes) {
    if (n.vote === true) {
      const until = n.decidedAtMs ?? endMs;
      data.push({
        type: "scatter", mode: "lines", x: [n.votedAtMs, until], y: [y(n.node), y(n.node)],
        line: { color: n.blocked ? BLOCKED : WAITING, width: 8 },
        ...legend(n.blocked ? "voted yes, blocked (no decision)" : "voted yes, waiting for the decision"),
        hovertext: `${n.node}: voted yes at ${n.votedAtMs} ms, ${n.blocked ? "still undecided" : `decided at ${n.decidedAtMs} ms`}`, hoverinfo: "text",
      });
    }
    if (n.vote === false) {
      data.push({ type: "scatter", mode: "markers", x: [n.votedAtMs], y: [y(n.node)], marker: { symbol: "x", size: 12, color: "#444444" }, ...legend("voted no"), hovertext: `${n.node}: voted no`, hoverinfo: "text" });
    }
    if (n.outcome !== null) {
      data.push({
        type: "scatter", mode: "markers", x: [n.decidedAtMs], y: [y(n.node)],
        marker: { symbol: n.outcome === "commit" ? "circle" : "square", size: 13, color: OUTCOME_COLOUR[n.outcome] },
        ...legend(n.outcome), hovertext: `${n.node}: ${n.outcome} at ${n.decidedAtMs} ms`, hoverinfo: "text",
      });
    }
  }
  const shapes = (options.marks ?? []).map((m) => ({ type: "line", xref: "x", yref: "paper", x0: m.atMs, x1: m.atMs, y0: 0, y1: 1, line: { color: "#555", dash: "dash", width: 1 } }));
  const annotations = (options.marks ?? []).map((m) => ({ xref: "x", yref: "paper", x: m.atMs, y: 1, text: m.label, showarrow: false, xanchor: m.atMs > axisEndMs * 0.7 ? "right" : "left", yanchor: "bottom", font: { size: 11 } }));
  const heightPx = 150 + 55 * rows.length;
  const margin = { l: 60, r: 20, t: 60, b: 100 };
  return {
    data,
    layout: {
      title: options.title === undefined ? undefined : { text: options.title, x: 0.02, xanchor: "left" },
      height: heightPx, width: 760, margin,
      xaxis: { title: { text: "time (ms)" }, range: [0, axisEndMs], zeroline: false },
      yaxis: { tickmode: "array", tickvals: rows.map(y), ticktext: rows, range: [-0.6, rows.length - 0.4], showgrid: false, zeroline: false },
      // Below the axis title: 50 px under the plot area, in the plot's fractions.
      legend: { orientation: "h", x: 0, y: -50 / (heightPx - margin.t - margin.b), yanchor: "top" },
      shapes, annotations, hovermode: "closest",
    },
  };
}
