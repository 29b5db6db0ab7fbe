/**
 * Plotly figures as plain data (what Plotly.newPlot takes), and small builders for the charts the
 * notebooks draw besides space-time diagrams: lines, scatters, bars, step plots.
 */

/** A plotly figure: what `Plotly.newPlot(div, data, layout, config)` takes, all plain JSON. */
export interface Figure {
  data: Record<string, unknown>[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/** A qualitative palette that stays legible for colour-blind readers (Okabe-Ito). */
export const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"];

export interface Series {
  name: string;
  x: readonly number[];
  y: readonly number[];
  /** "lines" (default), "markers", "lines+markers". */
  mode?: string;
  /** Draw as a step function (holds each value until the next x). */
  step?: boolean;
  dash?: "solid" | "dash" | "dot" | "dashdot";
  color?: string;
  /** Hover text per point. */
  text?: readonly string[];
}

export interface ChartOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  xLog?: boolean;
  yLog?: boolean;
  height?: number;
  /** Horizontal reference lines (e.g. an SLO or an error bound). */
  hlines?: readonly { y: number; label?: string; color?: string }[];
  /** Vertical reference lines (e.g. GST). */
  vlines?: readonly { x: number; label?: string; color?: string }[];
}

export function baseLayout(options: ChartOptions): Record<string, unknown> {
  const shapes: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  for (const h of options.hlines ?? []) {
    shapes.push({ type: "line", xref: "paper", x0: 0, x1: 1, y0: h.y, y1: h.y, line: { color: h.color ?? "#555", dash: "dash", width: 1 } });
    // Annotations on a log axis are placed in log10 units (shapes are not).
    if (h.label) annotations.push({ xref: "paper", x: 1, y: options.yLog ? Math.log10(h.y) : h.y, text: h.label, showarrow: false, xanchor: "right", yanchor: "bottom", font: { size: 11 } });
  }
  for (const v of options.vlines ?? []) {
    shapes.push({ type: "line", yref: "paper", y0: 0, y1: 1, x0: v.x, x1: v.x, line: { color: v.color ?? "#555", dash: "dash", width: 1 } });
    if (v.label) annotations.push({ yref: "paper", y: 1, x: options.xLog ? Math.log10(v.x) : v.x, text: v.label, showarrow: false, xanchor: "left", yanchor: "top", font: { size: 11 } });
  }
  return {
    title: options.title === undefined ? undefined : { text: options.title, x: 0.02, xanchor: "left" },
    height: options.height ?? 400,
    margin: { l: 70, r: 30, t: options.title === undefined ? 20 : 50, b: 55 },
    // Without a log scale the axis type is left to plotly, so category axes (bars, heat maps) work.
    xaxis: { title: { text: options.xTitle ?? "" }, ...(options.xLog ? { type: "log" } : {}), zeroline: false },
    yaxis: { title: { text: options.yTitle ?? "" }, ...(options.yLog ? { type: "log" } : {}), zeroline: false },
    legend: { orientation: "h", y: -0.2 },
    hovermode: "closest",
    shapes,
    annotations,
    template: undefined,
    plot_bgcolor: "#fff",
    paper_bgcolor: "#fff",
  };
}

/** A line (or scatter) chart of several series. */
export function lineChart(series: readonly Series[], options: ChartOptions = {}): Figure {
  return {
    data: series.map((s, k) => {
      if (s.x.length !== s.y.length) throw new Error(`lineChart: series "${s.name}" has ${s.x.length} x values but ${s.y.length} y values`);
      return {
        type: "scatter",
        name: s.name,
        x: s.x.slice(),
        y: s.y.slice(),
        mode: s.mode ?? "lines",
        line: { color: s.color ?? PALETTE[k % PALETTE.length], dash: s.dash ?? "solid", shape: s.step ? "hv" : "linear", width: 2 },
        marker: { color: s.color ?? PALETTE[k % PALETTE.length], size: 6 },
        text: s.text?.slice(),
        hoverinfo: s.text ? "text+name" : "x+y+name",
      };
    }),
    layout: baseLayout(options),
  };
}

/** A scatter chart: lineChart with markers only. */
export function scatterChart(series: readonly Series[], options: ChartOptions = {}): Figure {
  return lineChart(series.map((s) => ({ ...s, mode: s.mode ?? "markers" })), options);
}

/** A bar chart of labelled values, one group per series. */
export function barChart(categories: readonly string[], series: readonly { name: string; values: readonly number[]; color?: string }[], options: ChartOptions = {}): Figure {
  return {
    data: series.map((s, k) => {
      if (s.values.length !== categories.length) throw new Error(`barChart: series "${s.name}" has ${s.values.length} values for ${categories.length} categories`);
      return { type: "bar", name: s.name, x: categories.slice(), y: s.values.slice(), marker: { color: s.color ?? PALETTE[k % PALETTE.length] } };
    }),
    layout: { ...baseLayout(options), barmode: "group" },
  };
}

/** A heat map (e.g. a probability over two parameters). */
export function heatmap(x: readonly (number | string)[], y: readonly (number | string)[], z: readonly (readonly number[])[], options: ChartOptions & { zTitle?: string } = {}): Figure {
  if (z.length !== y.length || z.some((row) => row.length !== x.length)) throw new Error(`heatmap: z must have ${y.length} rows of ${x.length} values`);
  return {
    data: [{ type: "heatmap", x: x.slice(), y: y.slice(), z: z.map((r) => r.slice()), colorscale: "Viridis", colorbar: { title: { text: options.zTitle ?? "" } } }],
    layout: baseLayout(options),
  };
}
