/**
 * Space-time diagrams (the lectures' pictures of executions): one horizontal line per node, time
 * flowing left to right, an arrow for each message from its send to its receipt. Lost messages end
 * in a cross, duplicated copies are dashed, tampered ones (arbitrary links) are red; crashes,
 * pauses and partitions are shaded; events can carry labels (e.g. Lamport or vector timestamps),
 * and a set of events can be highlighted (a checker's violation). Built from any Trace.
 */
import type { Trace } from "../sim/trace";
import type { NodeId } from "../sim/protocol";
import type { ReceiveEvent, SendEvent, TraceEvent } from "../sim/trace-events";
import { PALETTE, type Figure } from "./figure";
import { formatNumber } from "../sim/format";
import { placeLabels, type Box, type LabelRequest, type Segment } from "./label-layout";

export interface SpaceTimeOptions {
  title?: string;
  /** Which nodes to draw, top to bottom (default: all, in the trace's order). */
  nodes?: readonly NodeId[];
  /**
   * Time window to draw, in ms of global time. By default the window is fitted to the events the
   * figure is about (see `fit`); these override it.
   */
  fromMs?: number;
  untilMs?: number;
  /**
   * What the default time window covers: "events" (default) the drawn point events (deliveries,
   * requests, crashes, labelled and highlighted events); "highlight" only the highlighted events
   * (and the arrows between them); "all" the whole run.
   */
  fit?: "events" | "highlight" | "all";
  /** Extra label for an event (shown next to it); the handler's ctx.label is shown too. */
  label?: (event: TraceEvent) => string | undefined;
  /** Event indices (TraceEvent.i) to highlight in red, e.g. a checker's violation. */
  highlight?: Iterable<number>;
  /** Which local events get a marker (default: deliveries, requests, crashes, clock steps). */
  show?: { deliveries?: boolean; requests?: boolean; timers?: boolean; logs?: boolean; sends?: boolean };
  /** Text for a message arrow's hover (default: the message as JSON). */
  describeMessage?: (send: SendEvent) => string;
  /** Text for a delivery marker (default: the value as JSON). */
  describeDelivery?: (value: unknown) => string;
  height?: number;
  /**
   * The plot width (px) the label layout assumes; the figure is drawn at the page's width, and a
   * wider plot only moves labels further apart (default 890: a notebook page 1100 px wide, as in the lint).
   */
  layoutWidthPx?: number;
}

/** Height (px) of a node's row when the figure's height is not given. */
const ROW_PX = 62;
const MARGIN_BOTTOM_PX = 95;
const marginTopPx = (title: string | undefined) => (title === undefined ? 25 : 55);

const COLOURS = {
  line: "#9aa0a6",
  message: PALETTE[0],
  duplicate: PALETTE[1],
  lost: "#8c8c8c",
  tampered: PALETTE[3],
  deliver: PALETTE[2],
  request: PALETTE[4],
  timer: "#7f7f7f",
  crash: "#d62728",
  highlight: "#e41a1c",
  partition: "rgba(230, 159, 0, 0.12)",
  down: "rgba(214, 39, 40, 0.12)",
  pause: "rgba(127, 127, 127, 0.15)",
};

function json(value: unknown): string {
  const text = JSON.stringify(value, (_k, v) => (v instanceof Map ? Object.fromEntries(v) : v instanceof Set ? Array.from(v) : v));
  return text === undefined ? String(value) : text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

const fmt = formatNumber;

export function spaceTimeDiagram(trace: Trace, options: SpaceTimeOptions = {}): Figure {
  const nodes = options.nodes ?? trace.nodes;
  const row = new Map<NodeId, number>();
  nodes.forEach((n, k) => row.set(n, k));
  const highlight = new Set(options.highlight ?? []);
  const show = { deliveries: true, requests: true, timers: false, logs: false, sends: false, ...options.show };
  const events = trace.events;
  const [from, until] = timeWindow(trace, options, highlight, show);
  const inWindow = (t: number) => t >= from && t <= until;

  // Typical latency, to draw lost messages as short stubs.
  const sends = new Map<number, SendEvent>();
  const received = new Set<number>();
  const latencies: number[] = [];
  for (const e of events) {
    if (e.kind === "send") sends.set(e.msgId, e);
    else if (e.kind === "receive") {
      const s = sends.get(e.msgId);
      if (s !== undefined && e.copy === 0 && s.node !== e.node) latencies.push(e.t - s.t);
      received.add(e.msgId);
    }
  }
  latencies.sort((a, b) => a - b);
  const stubMs = latencies.length > 0 ? latencies[Math.floor(latencies.length / 2)] * 0.6 : (until - from) / 50;

  const describeMessage = options.describeMessage ?? ((s: SendEvent) => json(s.msg));
  const describeDelivery = options.describeDelivery ?? json;

  // Arrow traces: x/y with nulls between arrows; marker size 0 at the tail, an arrowhead at the head.
  type Arrows = { x: (number | null)[]; y: (number | null)[]; size: number[]; text: (string | null)[]; symbol: string[] };
  const newArrows = (): Arrows => ({ x: [], y: [], size: [], text: [], symbol: [] });
  const normal = newArrows();
  const duplicate = newArrows();
  const tampered = newArrows();
  const lost = newArrows();
  const hot = newArrows();
  const addArrow = (a: Arrows, x0: number, y0: number, x1: number, y1: number, text: string, head = "arrow") => {
    a.x.push(x0, x1, null);
    a.y.push(y0, y1, null);
    a.size.push(0, 11, 0);
    a.symbol.push("circle", head, "circle");
    a.text.push(text, text, null);
  };

  for (const e of events) {
    if (e.kind === "receive") {
      const s = sends.get(e.msgId);
      const yTo = row.get(e.node);
      if (s === undefined || yTo === undefined) continue;
      const yFrom = row.get(e.from) ?? row.get(s.node);
      if (yFrom === undefined || !(inWindow(s.t) || inWindow(e.t))) continue;
      const text = `${describeMessage({ ...s, msg: e.msg } as SendEvent)}<br>${e.from} → ${e.node}` +
        `<br>sent ${fmt(s.t)} ms, received ${fmt(e.t)} ms${e.copy > 0 ? ` (copy ${e.copy + 1})` : ""}${e.tampered ? " (tampered)" : ""}`;
      const target = highlight.has(e.i) || highlight.has(s.i) ? hot : e.tampered ? tampered : e.copy > 0 ? duplicate : normal;
      addArrow(target, s.t, yFrom, e.t, yTo, text);
    } else if (e.kind === "drop") {
      const s = sends.get(e.msgId);
      const yFrom = s === undefined ? undefined : row.get(s.node);
      const yTo = row.get(e.to);
      if (s === undefined || yFrom === undefined || yTo === undefined || !inWindow(s.t)) continue;
      const text = `${describeMessage(s)}<br>${s.node} → ${e.to}<br>sent ${fmt(s.t)} ms, lost at ${fmt(e.t)} ms (${e.reason})`;
      const target = highlight.has(e.i) || highlight.has(s.i) ? hot : lost;
      // A lost message ends in a cross inside the window: at its destination when it was lost in
      // flight, as a short stub when it was lost at once (or the window ends first).
      if (e.t > s.t && e.t <= until) addArrow(target, s.t, yFrom, e.t, yTo, text, "x-thin-open");
      else {
        const endMs = Math.min(s.t + stubMs, s.t + (until - s.t) * 0.9);
        const fraction = e.t > s.t ? Math.min(0.45, (endMs - s.t) / (e.t - s.t)) : 0.45;
        addArrow(target, s.t, yFrom, Math.max(endMs, s.t), yFrom + (yTo - yFrom) * fraction, text, "x-thin-open");
      }
    }
  }

  const arrowTrace = (a: Arrows, name: string, color: string, dash: string, width = 1.6): Record<string, unknown> => ({
    type: "scatter",
    mode: "lines+markers",
    name,
    x: a.x,
    y: a.y,
    text: a.text,
    hoverinfo: "text",
    line: { color, width, dash },
    marker: { size: a.size, symbol: a.symbol, angleref: "previous", color, line: { color, width: 1.5 } },
    connectgaps: false,
    showlegend: a.x.length > 0,
  });

  const data: Record<string, unknown>[] = [
    arrowTrace(normal, "message", COLOURS.message, "solid"),
    arrowTrace(duplicate, "duplicate copy", COLOURS.duplicate, "dash"),
    arrowTrace(lost, "lost", COLOURS.lost, "dot"),
    arrowTrace(tampered, "tampered", COLOURS.tampered, "solid"),
    arrowTrace(hot, "highlighted", COLOURS.highlight, "solid", 3),
  ];

  // Point events at nodes.
  type Points = { x: number[]; y: number[]; text: string[] };
  const points = new Map<string, Points>();
  const addPoint = (group: string, e: TraceEvent & { node: NodeId }, text: string) => {
    const y = row.get(e.node);
    if (y === undefined || !inWindow(e.t)) return;
    let p = points.get(group);
    if (p === undefined) points.set(group, (p = { x: [], y: [], text: [] }));
    p.x.push(e.t);
    p.y.push(y);
    p.text.push(`${text}<br>${e.node} at ${fmt(e.t)} ms${"local" in e ? ` (its clock: ${fmt(e.local)})` : ""}`);
  };
  const labels: Points = { x: [], y: [], text: [] };
  const shapes: Record<string, unknown>[] = [];
  const annotations: Record<string, unknown>[] = [];
  const downSince = new Map<NodeId, number>();
  const partitionsOpen = new Map<number, { t: number; text: string }>();

  for (const e of events) {
    if ("node" in e && "local" in e) {
      const custom = options.label?.(e);
      const text = [e.label, custom].filter((s) => s !== undefined && s !== "").join(" ");
      const y = row.get(e.node);
      if (text !== "" && y !== undefined && inWindow(e.t)) {
        labels.x.push(e.t);
        labels.y.push(y);
        labels.text.push(text);
      }
    }
    if (highlight.has(e.i) && "node" in e) addPoint("highlighted event", e as TraceEvent & { node: NodeId }, `${e.kind} (highlighted)`);
    switch (e.kind) {
      case "deliver":
        if (show.deliveries && e.app) addPoint("deliver", e, `deliver ${describeDelivery(e.value)}${e.from ? ` from ${e.from}` : ""}`);
        break;
      case "request":
        if (show.requests) addPoint("request", e, `request ${json(e.request)}`);
        break;
      case "timer":
        if (show.timers) addPoint("timer", e, `timer ${e.name}`);
        break;
      case "log":
        if (show.logs) addPoint("log", e, e.text);
        break;
      case "send":
        if (show.sends) addPoint("send", e, `send ${describeMessage(e)} to ${e.to}`);
        break;
      case "crash":
        addPoint("crash", e, "crash");
        downSince.set(e.node, e.t);
        break;
      case "recover": {
        addPoint("recover", e, "recover");
        const since = downSince.get(e.node);
        if (since !== undefined) shapes.push(nodeBand(row.get(e.node), since, e.t, COLOURS.down));
        downSince.delete(e.node);
        break;
      }
      case "pause":
        shapes.push(nodeBand(row.get(e.node), e.t, Math.min(e.untilMs, until), COLOURS.pause));
        break;
      case "clock-step":
        addPoint("clock step", e, `clock stepped by ${fmt(e.deltaMs)} ms`);
        break;
      case "clock-slew":
        addPoint("clock slew", e, `clock slewing by ${fmt(e.deltaMs)} ms at ${e.ratePpm} ppm`);
        break;
      case "partition": {
        const text = e.groups ? e.groups.map((g) => `{${g.join(", ")}}`).join(" | ") : e.cut.map(([a, b]) => `${a}↛${b}`).join(", ");
        partitionsOpen.set(e.partitionId, { t: e.t, text });
        break;
      }
      case "heal": {
        const p = partitionsOpen.get(e.partitionId);
        if (p !== undefined) {
          shapes.push(timeBand(p.t, e.t));
          annotations.push(bandLabel(p.t, `partition ${p.text}`));
          partitionsOpen.delete(e.partitionId);
        }
        break;
      }
    }
  }
  for (const [node, since] of downSince) shapes.push(nodeBand(row.get(node), since, until, COLOURS.down));
  for (const p of partitionsOpen.values()) {
    shapes.push(timeBand(p.t, until));
    annotations.push(bandLabel(p.t, `partition ${p.text}`));
  }

  const pointStyle: Record<string, { symbol: string; color: string; size: number }> = {
    deliver: { symbol: "diamond", color: COLOURS.deliver, size: 9 },
    request: { symbol: "star", color: COLOURS.request, size: 11 },
    timer: { symbol: "circle-open", color: COLOURS.timer, size: 8 },
    log: { symbol: "square-open", color: COLOURS.timer, size: 7 },
    send: { symbol: "circle", color: COLOURS.message, size: 5 },
    crash: { symbol: "x", color: COLOURS.crash, size: 13 },
    recover: { symbol: "triangle-up", color: COLOURS.deliver, size: 11 },
    "clock step": { symbol: "line-ns-open", color: PALETTE[4], size: 14 },
    "clock slew": { symbol: "triangle-right-open", color: PALETTE[4], size: 10 },
    "highlighted event": { symbol: "circle-open", color: COLOURS.highlight, size: 18 },
  };
  for (const [group, p] of points) {
    const style = pointStyle[group];
    data.push({
      type: "scatter",
      mode: "markers",
      name: group,
      x: p.x,
      y: p.y,
      text: p.text,
      hoverinfo: "text",
      marker: { symbol: style.symbol, color: style.color, size: style.size, line: { color: style.color, width: group === "highlighted event" ? 2.5 : 1 } },
    });
  }
  // Node lines, drawn under everything.
  nodes.forEach((_n, k) => {
    shapes.unshift({ type: "line", layer: "below", x0: from, x1: until, y0: k, y1: k, line: { color: COLOURS.line, width: 2 } });
  });

  // Every diagram says which run it shows: the seed replays it.
  annotations.push({ xref: "paper", yref: "paper", x: 1, y: 1, xanchor: "right", yanchor: "bottom", showarrow: false, text: `seed=${trace.seed}`, font: { size: 10, color: "#777" } });

  const span = until - from;
  const xRange: [number, number] = [from - span * 0.03, until + span * 0.03];
  const marginTop = marginTopPx(options.title);
  // With labels, rows need room for a label above and below each line: a smaller height is raised.
  const heightForRowsPx = (rowPx: number) => marginTop + MARGIN_BOTTOM_PX + Math.round(rowPx * (nodes.length + 0.2));
  const height = Math.max(options.height ?? Math.max(220, heightForRowsPx(ROW_PX)), labels.x.length > 0 ? heightForRowsPx(ROW_PX) : 0);

  // Labels: merged when at one node and instant, then placed clear of each other, of markers and of
  // arrows, inside the plot area (estimated in pixels; see label-layout.ts).
  const plotHeightPx = height - marginTop - MARGIN_BOTTOM_PX;
  const plotWidthPx = options.layoutWidthPx ?? 890;
  const xPx = (t: number) => ((t - xRange[0]) / (xRange[1] - xRange[0])) * plotWidthPx;
  const yPx = (y: number) => ((y + 0.6) / (nodes.length + 0.2)) * plotHeightPx;
  const segments: Segment[] = [];
  const markers: Box[] = [];
  const radiusAt = new Map<string, number>();
  const addMarker = (t: number, y: number, radiusPx: number) => {
    const x = xPx(t);
    const yy = yPx(y);
    markers.push({ left: x - radiusPx, top: yy - radiusPx, right: x + radiusPx, bottom: yy + radiusPx });
    const key = `${y}|${t}`;
    radiusAt.set(key, Math.max(radiusAt.get(key) ?? 0, radiusPx));
  };
  for (const a of [normal, duplicate, tampered, lost, hot]) {
    for (let k = 0; k + 1 < a.x.length; k += 3) {
      const [x0, y0, x1, y1] = [a.x[k], a.y[k], a.x[k + 1], a.y[k + 1]];
      if (x0 === null || y0 === null || x1 === null || y1 === null) continue;
      segments.push({ x0: xPx(x0), y0: yPx(y0), x1: xPx(x1), y1: yPx(y1) });
      addMarker(x1, y1, 6.5);
    }
  }
  for (const [group, p] of points) {
    const radiusPx = pointStyle[group].size / 2 + (group === "highlighted event" ? 2.5 : 1);
    p.x.forEach((t, k) => addMarker(t, p.y[k], radiusPx));
  }
  const merged = new Map<string, { t: number; y: number; texts: string[] }>();
  labels.x.forEach((t, k) => {
    const key = `${labels.y[k]}|${t}`;
    const entry = merged.get(key);
    if (entry === undefined) merged.set(key, { t, y: labels.y[k], texts: [labels.text[k]] });
    else if (!entry.texts.includes(labels.text[k])) entry.texts.push(labels.text[k]);
  });
  const labelList = [...merged.values()].sort((a, b) => a.t - b.t || a.y - b.y);
  const requests: LabelRequest[] = labelList.map((l) => ({ x: xPx(l.t), y: yPx(l.y), text: l.texts.join(", "), markerRadiusPx: radiusAt.get(`${l.y}|${l.t}`) ?? 0 }));
  const placements = placeLabels({
    labels: requests,
    area: { left: 0, top: 0, right: plotWidthPx, bottom: plotHeightPx },
    segments,
    markers,
    rails: nodes.map((_n, k) => yPx(k)),
  });
  placements.forEach((place, k) => {
    annotations.push({
      xref: "x", yref: "y", x: labelList[k].t, y: labelList[k].y, text: requests[k].text, showarrow: false,
      xanchor: place.xanchor, yanchor: place.yanchor, xshift: place.xshift, yshift: place.yshift,
      font: { size: 11, color: "#333" }, captureevents: false,
    });
  });

  return {
    data,
    layout: {
      title: options.title === undefined ? undefined : { text: options.title, x: 0.02, xanchor: "left" },
      height,
      margin: { l: 60, r: 20, t: marginTop, b: MARGIN_BOTTOM_PX },
      xaxis: { title: { text: "time (ms)" }, range: xRange, zeroline: false, showgrid: true, gridcolor: "#eee" },
      yaxis: {
        tickmode: "array",
        tickvals: nodes.map((_n, k) => k),
        ticktext: nodes.slice(),
        autorange: false,
        range: [nodes.length - 0.4, -0.6],
        zeroline: false,
        showgrid: false,
        fixedrange: true,
      },
      showlegend: true,
      legend: { orientation: "h", x: 0, y: 0, yref: "container", yanchor: "bottom" },
      hovermode: "closest",
      dragmode: "zoom",
      shapes,
      annotations,
      plot_bgcolor: "#fff",
      paper_bgcolor: "#fff",
    },
    config: { scrollZoom: true },
  };
}

/**
 * The time window drawn: fromMs/untilMs when given, otherwise fitted to the events the figure is
 * about (options.fit), from 0 (or the first event, if earlier) to the last of them.
 */
function timeWindow(
  trace: Trace,
  options: SpaceTimeOptions,
  highlight: ReadonlySet<number>,
  show: { deliveries: boolean; requests: boolean; timers: boolean; logs: boolean; sends: boolean },
): [number, number] {
  const fit = options.fit ?? "events";
  const times: number[] = [];
  const sendTimes = new Map<number, number>();
  for (const e of trace.events) {
    if (e.kind === "send") sendTimes.set(e.msgId, e.t);
    if (fit === "all") {
      times.push(e.t);
      continue;
    }
    if (fit === "highlight") {
      if (highlight.has(e.i)) times.push(e.t);
      continue;
    }
    const labelled = "node" in e && "local" in e && ((e.label !== undefined && e.label !== "") || (options.label?.(e) ?? "") !== "");
    const drawn =
      (e.kind === "deliver" && show.deliveries && e.app) ||
      (e.kind === "request" && show.requests) ||
      (e.kind === "timer" && show.timers) ||
      (e.kind === "log" && show.logs) ||
      (e.kind === "send" && show.sends) ||
      e.kind === "crash" || e.kind === "recover" || e.kind === "clock-step" || e.kind === "clock-slew";
    if (labelled || drawn || highlight.has(e.i)) times.push(e.t);
  }
  if (fit === "highlight") {
    // A highlighted receipt brings its send into view.
    for (const e of trace.events) if (highlight.has(e.i) && (e.kind === "receive" || e.kind === "drop")) times.push(sendTimes.get(e.msgId) ?? e.t);
  }
  if (times.length === 0) for (const e of trace.events) times.push(e.t);
  let first = Math.min(...times);
  let last = Math.max(...times);
  if (!Number.isFinite(first)) [first, last] = [0, Math.max(trace.endMs, 1)];
  const from = options.fromMs ?? (fit === "highlight" ? Math.max(0, first - (last - first) * 0.05) : Math.min(0, first));
  let until = options.untilMs ?? last;
  if (!(until > from)) until = from + Math.max(1, Math.abs(from) * 0.01);
  return [from, until];
}

function nodeBand(y: number | undefined, t0: number, t1: number, color: string): Record<string, unknown> {
  if (y === undefined) return { type: "rect", visible: false, x0: t0, x1: t1, y0: 0, y1: 0 };
  return { type: "rect", layer: "below", x0: t0, x1: t1, y0: y - 0.18, y1: y + 0.18, fillcolor: color, line: { width: 0 } };
}

function timeBand(t0: number, t1: number): Record<string, unknown> {
  return { type: "rect", layer: "below", xref: "x", yref: "paper", x0: t0, x1: t1, y0: 0, y1: 1, fillcolor: COLOURS.partition, line: { width: 0 } };
}

function bandLabel(t: number, text: string): Record<string, unknown> {
  return { xref: "x", yref: "paper", x: t, y: 1, text, showarrow: false, xanchor: "left", yanchor: "bottom", font: { size: 11, color: "#8a5a00" } };
}

/** Message pairs of a trace, for code that wants the arrows without the figure. */
export function messageArrows(trace: Trace): { send: SendEvent; receive: ReceiveEvent }[] {
  const out: { send: SendEvent; receive: ReceiveEvent }[] = [];
  for (const e of trace.events) {
    if (e.kind !== "receive") continue;
    const s = trace.send(e.msgId);
    if (s !== undefined) out.push({ send: s, receive: e });
  }
  return out;
}
