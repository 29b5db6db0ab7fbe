/**
 * A stacked protocol's run drawn at the level a lecture talks about: "Receiving versus delivering"
 * for a broadcast layer, the broadcast messages rather than the reliable links' retransmissions and
 * acknowledgements. Built on trace.atLayer (src/sim/trace-layers.ts): each message the layer below
 * hands up is one arrow, from its first transmission to its receipt. A view keeps what the lecture's
 * pictures show (those arrows, requests, deliveries to the application, crashes, recoveries and
 * pauses) and marks with ✗ the events a checker named (their indices in the full trace).
 */
import type { NodeId } from "../sim/protocol";
import { Trace } from "../sim/trace";
import { layersOf, viewAtLayer } from "../sim/trace-layers";
import type { TraceEvent } from "../sim/trace-events";
import { spaceTimeDiagram, type SpaceTimeOptions } from "./space-time";
import type { Figure } from "./display";

export interface LayerViewOptions {
  /**
   * The layer whose view it is. Default: the layer just above the bottom of the stack (the links
   * abstracted away): for FIFO broadcast over eager reliable broadcast over reliable links, the
   * messages of eager reliable broadcast.
   */
  readonly layer?: string;
  /**
   * Instead of `layer`: the layer below it, whose deliveries the view shows as receipts ("Receiving
   * versus delivering": what "eager-reliable-broadcast" hands to the FIFO layer above it).
   */
  readonly receivedFrom?: string;
  /** Events (indices in the full trace) to mark with ✗, e.g. a checker's violation. */
  readonly marked?: Iterable<number>;
  /** Keep only the events this accepts (after the view is made). */
  readonly keep?: (event: TraceEvent) => boolean;
}

const kept = new Set(["send", "receive", "request", "crash", "recover", "pause", "partition", "heal"]);

/** The run as `layer` sees it (see the file's comment); a Trace, so any figure or checker can use it. */
export function layerView(trace: Trace, options: LayerViewOptions = {}): Trace {
  const layer = options.layer ?? (options.receivedFrom === undefined ? defaultLayer(trace) : layerAbove(trace, options.receivedFrom));
  const marked = new Set(options.marked ?? []);
  const view = viewAtLayer(trace.events, layer);
  const events: TraceEvent[] = [];
  view.events.forEach((e, k) => {
    const shown = kept.has(e.kind) || (e.kind === "deliver" && e.app);
    if (!shown || (options.keep !== undefined && !options.keep(e))) return;
    events.push(marked.has(view.origin[k] as number) ? ({ ...e, label: `✗ ${describe(e)}` } as TraceEvent) : e);
  });
  return new Trace({ seed: trace.seed, nodes: trace.nodes, description: trace.description }, events);
}

/** A space-time diagram of the run as `layer` sees it; deliveries to the application labelled with their value. */
export function layerDiagram(trace: Trace, options: LayerViewOptions & SpaceTimeOptions = {}): Figure {
  const { layer, receivedFrom, marked, keep, ...figure } = options;
  const view = layerView(trace, { layer, receivedFrom, marked, keep });
  return spaceTimeDiagram(view, { label: deliveryLabel, height: 300, ...figure });
}

/** The layers of the first node's stack, top first. */
function stackOf(trace: Trace): string[] {
  const init = trace.events.find((e): e is TraceEvent & { kind: "init"; node: NodeId; protocol: string } => e.kind === "init");
  if (init === undefined) throw new Error("layerView: the trace has no init event, so its layers are unknown");
  return layersOf(init.protocol);
}

/** The layer just above the bottom of the stack (or the only layer). */
function defaultLayer(trace: Trace): string {
  const layers = stackOf(trace);
  return layers[Math.max(0, layers.length - 2)] as string;
}

/** The layer directly above `below`. */
export function layerAbove(trace: Trace, below: string): string {
  const layers = stackOf(trace);
  const k = layers.indexOf(below);
  if (k < 1) throw new Error(`layerView: no layer above ${JSON.stringify(below)} (layers, top first: ${layers.join(", ")})`);
  return layers[k - 1] as string;
}

/** A delivery to the application is labelled with what was delivered (unless it has a label). */
export function deliveryLabel(e: TraceEvent): string | undefined {
  return e.kind === "deliver" && e.app && e.label === undefined ? shortText(e.value) : undefined;
}

function describe(e: TraceEvent): string {
  switch (e.kind) {
    case "request":
      return `bcast ${shortText((e.request as { m?: unknown } | null)?.m ?? e.request)}`;
    case "deliver":
      return shortText(e.value);
    case "receive":
      return "received";
    default:
      return e.kind;
  }
}

function shortText(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? String(value));
  return text.length > 12 ? `${text.slice(0, 11)}…` : text;
}
