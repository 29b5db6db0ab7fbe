/**
 * Partitions on figures with a time axis (lecture 8, "The CAP theorem"): when a run's network was
 * partitioned, read from its trace, and a shaded band for each such window added to any figure
 * whose x axis is time in ms (e.g. historyFigure's timelines; spaceTimeDiagram shades its own).
 */
import type { TraceEvent } from "../sim/trace-events";
import type { Figure } from "./figure";

export interface PartitionWindow {
  readonly fromMs: number;
  /** When it healed; null if it never did within the trace. */
  readonly untilMs: number | null;
  /** The directed links cut, as "A→C". */
  readonly cut: readonly string[];
}

/** Each partition of the trace, from its start to its heal (null: still in force at the end). */
export function partitionWindows(trace: { readonly events: readonly TraceEvent[] }): PartitionWindow[] {
  const open = new Map<number, { fromMs: number; cut: string[] }>();
  const windows: PartitionWindow[] = [];
  for (const e of trace.events) {
    if (e.kind === "partition") open.set(e.partitionId, { fromMs: e.t, cut: e.cut.map(([a, b]) => `${a}→${b}`) });
    if (e.kind === "heal") {
      const w = open.get(e.partitionId);
      if (w === undefined) continue;
      open.delete(e.partitionId);
      windows.push({ ...w, untilMs: e.t });
    }
  }
  for (const w of open.values()) windows.push({ ...w, untilMs: null });
  return windows.sort((a, b) => a.fromMs - b.fromMs);
}

/**
 * The figure with each window shaded behind the data (to the right edge of the x range if it never
 * healed) and labelled at its top; `label` defaults to "partition".
 */
export function shadePartitions(figure: Figure, windows: readonly PartitionWindow[], options: { label?: string; rightEdgeMs?: number } = {}): Figure {
  const layout = { ...(figure.layout ?? {}) } as Record<string, unknown>;
  const range = (layout.xaxis as { range?: number[] } | undefined)?.range;
  const right = options.rightEdgeMs ?? range?.[1];
  const shapes = [...((layout.shapes as Record<string, unknown>[] | undefined) ?? [])];
  const annotations = [...((layout.annotations as Record<string, unknown>[] | undefined) ?? [])];
  for (const w of windows) {
    const until = w.untilMs ?? right;
    if (until === undefined) throw new RangeError("shadePartitions: a partition never healed, and the figure has no x range to end its band at (give rightEdgeMs)");
    shapes.push({ type: "rect", layer: "below", xref: "x", yref: "paper", x0: w.fromMs, x1: until, y0: 0, y1: 1, fillcolor: "rgba(230, 159, 0, 0.15)", line: { width: 0 } });
    annotations.push({ xref: "x", yref: "paper", x: (w.fromMs + until) / 2, y: 1, yanchor: "bottom", showarrow: false, text: options.label ?? "partition", font: { size: 11, color: "#8a5a00" } });
  }
  return { ...figure, layout: { ...layout, shapes, annotations } };
}
