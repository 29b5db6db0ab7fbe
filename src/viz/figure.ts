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
  /** Draw against a second y axis on the right (ChartOptions.y2Title names it). */
  rightAxis?: boolean;
  /** Symmetric error bars: half-width per point, in y units. */
  errorY?: readonly number[];
}

/** Tick positions on an axis and, optionally, their text (same length). */
export interface Ticks {
  values: readonly number[];
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
  /** Where the ticks go (default: plotly's choice; log axes print powers of ten as 10⁻³). */
  xTicks?: Ticks;
  yTicks?: Ticks;
  /** Title of the right-hand y axis (series with rightAxis: true). */
  y2Title?: string;
}

function axisTicks(ticks: Ticks | undefined, name: string): Record<string, unknown> {
  if (ticks === undefined) return {};
  if (ticks.text !== undefined && ticks.text.length !== ticks.values.length) throw new Error(`${name}: ${ticks.values.length} tick values but ${ticks.text.length} tick texts`);
  return { tickmode: "array", tickvals: ticks.values.slice(), ...(ticks.text === undefined ? {} : { ticktext: ticks.text.slice() }) };
}

export function baseLayout(options: ChartOptions): Record<string, unknown> {
  const shapes: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  for (const h of options.hlines ?? []) {
    shapes.push({ type: "line", xref: "paper", x0: 0, x1: 1, y0: h.y, y1: h.y, line: { color: h.color ?? "#555", dash: "dash", width: 1 } });
    // Annotations on a log axis are placed in log10 units (shapes are not).
    // In the right margin, beside the line's end, where no data point can hide it.
    if (h.label) annotations.push({ xref: "paper", x: 1, xshift: 4, y: options.yLog ? Math.log10(h.y) : h.y, text: h.label, showarrow: false, xanchor: "left", yanchor: "middle", font: { size: 11 } });
  }
  for (const v of options.vlines ?? []) {
    shapes.push({ type: "line", yref: "paper", y0: 0, y1: 1, x0: v.x, x1: v.x, line: { color: v.color ?? "#555", dash: "dash", width: 1 } });
    // Above the plot area, where no data line can cross it.
    if (v.label) annotations.push({ yref: "paper", y: 1, x: options.xLog ? Math.log10(v.x) : v.x, text: v.label, showarrow: false, xanchor: "left", yanchor: "bottom", font: { size: 11 } });
  }
  return {
    title: options.title === undefined ? undefined : { text: options.title, x: 0.02, xanchor: "left" },
    height: options.height ?? 400,
    margin: { l: 70, r: Math.max(options.y2Title === undefined ? 30 : 75, ...(options.hlines ?? []).map((h) => (h.label ? 14 + Math.ceil(6.6 * h.label.length) : 0))), t: (options.title === undefined ? 20 : 50) + ((options.vlines ?? []).some((v) => v.label) ? 16 : 0), b: 55 },
    // Without a log scale the axis type is left to plotly, so category axes (bars, heat maps) work.
    xaxis: { title: { text: options.xTitle ?? "" }, ...(options.xLog ? { type: "log", exponentformat: "power" } : {}), zeroline: false, ...axisTicks(options.xTicks, "xTicks") },
    yaxis: { title: { text: options.yTitle ?? "" }, ...(options.yLog ? { type: "log", exponentformat: "power" } : {}), zeroline: false, ...axisTicks(options.yTicks, "yTicks") },
    ...(options.y2Title === undefined ? {} : { yaxis2: { title: { text: options.y2Title }, overlaying: "y", side: "right", showgrid: false, zeroline: false } }),
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
      if (s.errorY !== undefined && s.errorY.length !== s.y.length) throw new Error(`lineChart: series "${s.name}" has ${s.y.length} y values but ${s.errorY.length} error bars`);
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
        ...(s.rightAxis ? { yaxis: "y2" } : {}),
        ...(s.errorY === undefined ? {} : { error_y: { type: "data", array: s.errorY.slice(), color: s.color ?? PALETTE[k % PALETTE.length], thickness: 1, width: 3 } }),
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

export interface HeatmapOptions extends ChartOptions {
  zTitle?: string;
  /** Text printed in each cell (same shape as z). */
  cellText?: readonly (readonly string[])[];
  /** Colour range (default: the data's). */
  zMin?: number;
  zMax?: number;
  colorscale?: string;
  /** Put the column names above the grid (a table read top-down), rows top to bottom. */
  tableLike?: boolean;
}

/** A heat map (e.g. a probability over two parameters). Named rows and columns get category axes. */
export function heatmap(x: readonly (number | string)[], y: readonly (number | string)[], z: readonly (readonly number[])[], options: HeatmapOptions = {}): Figure {
  if (z.length !== y.length || z.some((row) => row.length !== x.length)) throw new Error(`heatmap: z must have ${y.length} rows of ${x.length} values`);
  if (options.cellText !== undefined && (options.cellText.length !== y.length || options.cellText.some((row) => row.length !== x.length))) {
    throw new Error(`heatmap: cellText must have ${y.length} rows of ${x.length} strings`);
  }
  const layout = baseLayout(options) as Record<string, Record<string, unknown>>;
  const category = (values: readonly (number | string)[]) => (values.some((v) => typeof v === "string") ? { type: "category" } : {});
  layout.xaxis = { ...layout.xaxis, ...category(x), ...(options.tableLike ? { side: "top" } : {}) };
  layout.yaxis = { ...layout.yaxis, ...category(y), ...(options.tableLike ? { autorange: "reversed" } : {}) };
  if (options.tableLike) {
    // Row names on the left need room; the column names sit above the grid, under the title.
    const longest = Math.max(0, ...y.map((v) => String(v).length));
    layout.margin = { l: Math.min(320, 20 + 7 * longest), r: 30, t: options.title === undefined ? 50 : 95, b: 20 };
    layout.title = { ...layout.title, y: 0.98, yanchor: "top" } as Record<string, unknown>;
  }
  return {
    data: [{
      type: "heatmap", x: x.slice(), y: y.slice(), z: z.map((r) => r.slice()), colorscale: options.colorscale ?? "Viridis",
      // The colour bar's title sits on its side, clear of its tick labels.
      colorbar: { title: { text: options.zTitle ?? "", side: "right" } },
      ...(options.zMin === undefined ? {} : { zmin: options.zMin }),
      ...(options.zMax === undefined ? {} : { zmax: options.zMax }),
      ...(options.cellText === undefined ? {} : { text: options.cellText.map((r) => r.slice()), texttemplate: "%{text}" }),
    }],
    layout,
  };
}
