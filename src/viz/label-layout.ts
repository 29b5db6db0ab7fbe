/**
 * Label placement for space-time diagrams: each label goes next to its event, in the first of a
 * few candidate positions (above, above-right, above-left, below, ..., then further up) that
 * overlaps no label already placed, stays inside the plot area, and crosses the fewest arrows and
 * markers. Geometry is estimated in pixels from the figure's height and an assumed plot width
 * (plotly draws the figure at the width of the page: wider only moves labels further apart).
 * Pure: same input, same output.
 */

/** A rectangle in pixels, y growing downwards (as on screen). */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface LabelRequest {
  /** Where the label belongs, in pixels. */
  x: number;
  y: number;
  text: string;
  /** Radius of the largest marker drawn at the point (px): the label keeps clear of it. */
  markerRadiusPx: number;
}

export interface Segment {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PlacedLabel {
  /** Anchor for a plotly annotation at the label's point. */
  xanchor: "left" | "center" | "right";
  yanchor: "top" | "bottom";
  xshift: number;
  /** Positive is up (plotly's convention). */
  yshift: number;
  box: Box;
}

export interface LabelLayoutInput {
  labels: readonly LabelRequest[];
  /** The plot area (labels must stay inside). */
  area: Box;
  /** Lines labels should not be crossed by (arrows). */
  segments: readonly Segment[];
  /** Markers (as boxes) labels should not cover. */
  markers: readonly Box[];
  /** Horizontal lines labels must not straddle (other nodes' time lines), as y in pixels. */
  rails: readonly number[];
  fontSizePx?: number;
}

/** Estimated width of `text` in pixels at `fontSizePx` (plotly's sans-serif; a little generous). */
export function textWidthPx(text: string, fontSizePx = 11): number {
  let em = 0;
  for (const ch of text) {
    if (" ,.:;'!|()[]".includes(ch) || ch === "i" || ch === "l" || ch === "j" || ch === "t" || ch === "f") em += 0.3;
    else if ("mwMW@%".includes(ch)) em += 0.86;
    else if (/[A-Z0-9<>=+~#&]/.test(ch)) em += 0.64;
    else em += 0.53;
  }
  return Math.ceil(em * fontSizePx * 1.08) + 4;
}

const overlaps = (a: Box, b: Box, slackPx = 0): boolean =>
  a.left < b.right + slackPx && b.left < a.right + slackPx && a.top < b.bottom + slackPx && b.top < a.bottom + slackPx;

/** Does the segment cross the box? (Liang-Barsky clipping.) */
export function segmentHitsBox(s: Segment, b: Box): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = s.x1 - s.x0;
  const dy = s.y1 - s.y0;
  const edges: [number, number][] = [
    [-dx, s.x0 - b.left],
    [dx, b.right - s.x0],
    [-dy, s.y0 - b.top],
    [dy, b.bottom - s.y0],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const r = q / p;
      if (p < 0) {
        if (r > t1) return false;
        if (r > t0) t0 = r;
      } else {
        if (r < t0) return false;
        if (r < t1) t1 = r;
      }
    }
  }
  return t0 <= t1;
}

const LEVELS_MAX = 4;
/** Horizontal candidates: centred on the point, or starting/ending next to it, slid by 0, 1/2 or 1 width. */
const CANDIDATE_SLIDES: readonly (readonly ["center" | "right" | "left", number])[] = [
  ["center", 0], ["right", 0], ["left", 0], ["right", 0.5], ["left", 0.5], ["right", 1], ["left", 1],
];

/** Places every label; the result is in the order of `input.labels`. */
export function placeLabels(input: LabelLayoutInput): PlacedLabel[] {
  const fontSizePx = input.fontSizePx ?? 11;
  const heightPx = Math.ceil(fontSizePx * 1.25) + 2;
  const placed: Box[] = [];
  const out: PlacedLabel[] = [];
  for (const label of input.labels) {
    const widthPx = textWidthPx(label.text, fontSizePx);
    const gapPx = Math.max(4, label.markerRadiusPx + 2);
    let best: { cost: number; place: PlacedLabel } | undefined;
    for (let level = 0; level < LEVELS_MAX; level++) {
      const lift = gapPx + level * (heightPx + 1);
      for (const vertical of ["above", "below"] as const) {
        for (const [horizontal, slide] of CANDIDATE_SLIDES) {
          // Slid candidates move the label sideways along its line, by a fraction of its width.
          const shiftX = horizontal === "center" ? 0 : (horizontal === "right" ? 1 : -1) * (2 + slide * widthPx);
          const left = horizontal === "center" ? label.x - widthPx / 2 : horizontal === "right" ? label.x + shiftX : label.x + shiftX - widthPx;
          const top = vertical === "above" ? label.y - lift - heightPx : label.y + lift;
          const box = { left, top, right: left + widthPx, bottom: top + heightPx };
          let cost = level * 4 + (vertical === "below" ? 2 : 0) + (horizontal === "center" ? 0 : 1) + slide * 6;
          if (box.left < input.area.left || box.right > input.area.right || box.top < input.area.top || box.bottom > input.area.bottom) cost += 1000;
          for (const other of placed) if (overlaps(box, other, 1)) cost += 1000;
          for (const rail of input.rails) if (box.top - 1 < rail && rail < box.bottom + 1) cost += 60;
          for (const marker of input.markers) if (overlaps(box, marker)) cost += 12;
          for (const segment of input.segments) if (segmentHitsBox(segment, box)) cost += 10;
          if (best === undefined || cost < best.cost) {
            best = {
              cost,
              place: {
                xanchor: horizontal === "center" ? "center" : horizontal === "right" ? "left" : "right",
                yanchor: vertical === "above" ? "bottom" : "top",
                xshift: shiftX,
                yshift: vertical === "above" ? lift : -lift,
                box,
              },
            };
          }
        }
      }
      if (best !== undefined && best.cost < 4 * (level + 1)) break; // nothing in the way: do not look further out
    }
    if (best === undefined) throw new Error("placeLabels: no candidate position (unreachable)");
    placed.push(best.place.box);
    out.push(best.place);
  }
  return out;
}
