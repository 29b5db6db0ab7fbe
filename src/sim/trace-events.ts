/**
 * The events a run records. Every event has its index `i` in the trace, the global (true) time `t`
 * in ms, and where it happened at a node, `local`: that node's time-of-day clock reading then.
 * Events are plain JSON data, so a trace can be saved, reloaded, hashed, checked and drawn.
 */
import type { Message, NodeId } from "./protocol";

interface At {
  /** Index of the event in its trace (0, 1, 2, ...). */
  readonly i: number;
  /** Global simulated time in ms (the "true" time no node can read). */
  readonly t: number;
}
interface AtNode extends At {
  readonly node: NodeId;
  /** The node's time-of-day clock at t (ms). */
  readonly local: number;
  /** Optional annotation set by the handler with ctx.label (e.g. a Lamport timestamp). */
  label?: string;
  /** Structured annotations set by the handler with ctx.annotate (e.g. { lamport: 3 }). */
  annotations?: Readonly<Record<string, unknown>>;
}

export interface InitEvent extends AtNode { readonly kind: "init"; readonly protocol: string }
export interface SendEvent extends AtNode {
  readonly kind: "send";
  /** Unique per sent message; the matching receive, drop and duplicate events carry it too. */
  readonly msgId: number;
  readonly to: NodeId;
  readonly msg: Message;
  /** The protocol layer that sent it. */
  readonly layer: string;
}
export interface ReceiveEvent extends AtNode {
  readonly kind: "receive";
  readonly msgId: number;
  readonly from: NodeId;
  readonly msg: Message;
  /** 0 for the first copy received, 1, 2, ... for duplicates (fair-loss or adversarial links). */
  readonly copy: number;
  /** True when an adversary changed the message or its sender on the way. */
  readonly tampered?: boolean;
}
export interface DeliverEvent extends AtNode {
  readonly kind: "deliver";
  readonly value: unknown;
  /** The original sender, when the layer says so. */
  readonly from?: NodeId;
  /** The layer that delivered it. */
  readonly layer: string;
  /** True when delivered to the application (the top layer), false when to a layer above. */
  readonly app: boolean;
}
export type DropReason = "loss" | "partition" | "crashed" | "adversary" | "paused-crash";
export interface DropEvent extends At {
  readonly kind: "drop";
  /** The node the message was addressed to. */
  readonly node: NodeId;
  readonly msgId: number;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msg: Message;
  readonly reason: DropReason;
}
export interface DuplicateEvent extends At {
  readonly kind: "duplicate";
  /** The sending node. */
  readonly node: NodeId;
  readonly msgId: number;
  readonly from: NodeId;
  readonly to: NodeId;
}
export interface TimerEvent extends AtNode {
  readonly kind: "timer";
  readonly name: string;
  readonly timerId: number;
}
export interface RequestEvent extends AtNode { readonly kind: "request"; readonly request: unknown }
export interface CrashEvent extends AtNode { readonly kind: "crash" }
export interface RecoverEvent extends AtNode { readonly kind: "recover" }
export interface PauseEvent extends AtNode { readonly kind: "pause"; readonly untilMs: number }
export interface PartitionEvent extends At {
  readonly kind: "partition";
  readonly partitionId: number;
  /** Directed links that are cut, as [from, to] pairs. */
  readonly cut: readonly (readonly [NodeId, NodeId])[];
  /** For a symmetric partition, its groups. */
  readonly groups?: readonly (readonly NodeId[])[];
}
export interface HealEvent extends At { readonly kind: "heal"; readonly partitionId: number }
export interface ClockStepEvent extends AtNode { readonly kind: "clock-step"; readonly deltaMs: number }
export interface ClockSlewEvent extends AtNode {
  readonly kind: "clock-slew";
  readonly deltaMs: number;
  readonly ratePpm: number;
}
export interface LogEvent extends AtNode { readonly kind: "log"; readonly text: string }

export type TraceEvent =
  | InitEvent
  | SendEvent
  | ReceiveEvent
  | DeliverEvent
  | DropEvent
  | DuplicateEvent
  | TimerEvent
  | RequestEvent
  | CrashEvent
  | RecoverEvent
  | PauseEvent
  | PartitionEvent
  | HealEvent
  | ClockStepEvent
  | ClockSlewEvent
  | LogEvent;

export type TraceEventKind = TraceEvent["kind"];
export type EventOfKind<K extends TraceEventKind> = Extract<TraceEvent, { kind: K }>;
