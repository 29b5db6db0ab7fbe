/**
 * Network transmission: what happens to a message between its send and its receipt. The network
 * model decides its fate (lost, delayed, duplicated, tampered with by an adversary), partitions cut
 * links, and the timing model stretches delays before GST. The simulator owns time and the queue;
 * this module only tells it when (and whether) each copy arrives.
 *
 * Nodes are named by their index in the simulation's node list (what a send effect carries): the
 * hot path compares and looks up numbers, not node-id strings (hashing a string means reading it,
 * and with many nodes that is a cache miss per message). Names are looked up only where a user's
 * function (a latency distribution, an adversary) or a partition asks for them.
 */
import type { Message, NodeId, Random } from "./protocol";
import type { DropReason } from "./trace-events";
import { SimulationInputError } from "./errors";
import type { Arrival, ResolvedNetwork, ResolvedTiming } from "./network";
import { copyPlain, requireNonNegative } from "./validate";

/** What transmission needs from the simulator. Nodes are indices into the simulation's node list. */
export interface TransmissionHost {
  /** The simulated time now, ms. */
  now(): number;
  /** Schedule the receipt of a copy of a message at `timeMs` (copy 0 is the original). */
  arriveAt(timeMs: number, toIndex: number, msgId: number, fromIndex: number, msg: Message, copy: number, tampered: boolean): void;
  drop(msgId: number, fromIndex: number, toIndex: number, msg: Message, reason: DropReason): void;
  duplicated(msgId: number, fromIndex: number, toIndex: number): void;
  /** The node's index; throws a SimulationInputError naming `field` if `id` is not a node. */
  requireNode(id: NodeId, field: string): number;
}

/** A partition: directed links cut from its start until it heals. */
export interface Cut {
  readonly id: number;
  readonly links: readonly (readonly [NodeId, NodeId])[];
  readonly groups: readonly (readonly NodeId[])[] | undefined;
}

export class Transmission {
  private readonly cuts = new Map<number, Cut>();
  /** Directed links cut now: fromIndex * nodeCount + toIndex -> number of partitions cutting it. */
  private readonly cutLinks = new Map<number, number>();
  private readonly nodeCount: number;
  /** network.model === "arbitrary", decided once (a string comparison per message showed in profiles). */
  private readonly adversarialNetwork: boolean;

  constructor(
    private readonly host: TransmissionHost,
    /** The simulation's nodes: index -> id. */
    private readonly nodeIds: readonly NodeId[],
    private readonly network: ResolvedNetwork,
    private readonly timing: ResolvedTiming | undefined,
    private readonly networkRandom: Random,
    private readonly timingRandom: Random,
  ) {
    this.nodeCount = nodeIds.length;
    this.adversarialNetwork = network.model === "arbitrary";
  }

  /** Whether a partition cuts the link fromIndex -> toIndex now. */
  isCut(fromIndex: number, toIndex: number): boolean {
    return this.cutLinks.size > 0 && this.cutLinks.has(fromIndex * this.nodeCount + toIndex);
  }

  startPartition(cut: Cut): void {
    this.cuts.set(cut.id, cut);
    for (const key of this.linkKeys(cut)) this.cutLinks.set(key, (this.cutLinks.get(key) ?? 0) + 1);
  }

  /** Heals a partition; false if it was not in force. */
  heal(id: number): boolean {
    const cut = this.cuts.get(id);
    if (cut === undefined) return false;
    this.cuts.delete(id);
    for (const key of this.linkKeys(cut)) {
      const n = (this.cutLinks.get(key) ?? 1) - 1;
      if (n <= 0) this.cutLinks.delete(key);
      else this.cutLinks.set(key, n);
    }
    return true;
  }

  private linkKeys(cut: Cut): number[] {
    return cut.links.map(([a, b], k) =>
      this.host.requireNode(a, `partition ${cut.id} link ${k} from`) * this.nodeCount + this.host.requireNode(b, `partition ${cut.id} link ${k} to`));
  }

  /** Sends msg (already copied) from -> to: the network decides whether and when copies arrive. */
  transmit(msgId: number, fromIndex: number, toIndex: number, msg: Message): void {
    const host = this.host;
    const nowMs = host.now();
    if (toIndex === fromIndex) {
      // Loopback: a node's message to itself is never lost or delayed.
      host.arriveAt(nowMs, toIndex, msgId, fromIndex, msg, 0, false);
      return;
    }
    if (this.isCut(fromIndex, toIndex)) {
      host.drop(msgId, fromIndex, toIndex, msg, "partition");
      return;
    }
    const from = this.nodeIds[fromIndex];
    const to = this.nodeIds[toIndex];
    const link = this.network.hasLinkOverrides ? this.network.link(from, to) : this.network.defaultLink;
    const random = this.networkRandom;
    if (this.adversarialNetwork) {
      this.adversarial(msgId, fromIndex, toIndex, msg, link.latency.draw(random, from, to, nowMs));
      return;
    }
    if (link.loss > 0 && random.bernoulli(link.loss)) {
      host.drop(msgId, fromIndex, toIndex, msg, "loss");
      return;
    }
    host.arriveAt(nowMs + this.adjustLatency(link.latency.draw(random, from, to, nowMs)), toIndex, msgId, fromIndex, msg, 0, false);
    if (link.duplicate > 0 && random.bernoulli(link.duplicate)) {
      host.duplicated(msgId, fromIndex, toIndex);
      // A copy of its own: each receipt's handler may change the message it is handed.
      host.arriveAt(nowMs + this.adjustLatency(link.latency.draw(random, from, to, nowMs)), toIndex, msgId, fromIndex, copyPlain(msg, "message"), 1, false);
    }
  }

  private adversarial(msgId: number, fromIndex: number, toIndex: number, msg: Message, latencyMs: number): void {
    const from = this.nodeIds[fromIndex];
    const to = this.nodeIds[toIndex];
    const host = this.host;
    const sentAtMs = host.now();
    const injected: { toIndex: number; fromIndex: number; arrival: Arrival }[] = [];
    const arrivals = (this.network.adversary as NonNullable<ResolvedNetwork["adversary"]>)(
      { msgId, from, to, msg, sentAtMs, latencyMs },
      {
        random: this.networkRandom,
        nowMs: sentAtMs,
        inject: (injectTo, injectFrom, m, delayMs) => {
          const injectToIndex = host.requireNode(injectTo, "adversary inject(to)");
          const injectFromIndex = host.requireNode(injectFrom, "adversary inject(from)");
          injected.push({ toIndex: injectToIndex, fromIndex: injectFromIndex, arrival: { msg: m, from: injectFrom, delayMs } });
        },
      },
    );
    const list = arrivals === undefined ? [{}] : arrivals;
    if (!Array.isArray(list)) throw new SimulationInputError("network.adversary result", arrivals, "expected an array of arrivals or undefined");
    if (list.length === 0) host.drop(msgId, fromIndex, toIndex, msg, "adversary");
    list.forEach((a: Arrival, k: number) => {
      if (k === 1) host.duplicated(msgId, fromIndex, toIndex);
      this.arrive(toIndex, msgId, a, fromIndex, msg, latencyMs, k, `network.adversary result[${k}]`);
    });
    injected.forEach((injection, k) =>
      this.arrive(injection.toIndex, msgId, injection.arrival, injection.fromIndex, msg, 0, 1 + k, `adversary inject[${k}]`));
  }

  private arrive(toIndex: number, msgId: number, a: Arrival, realFromIndex: number, original: Message, latencyMs: number, copy: number, field: string): void {
    const delay = a.delayMs === undefined ? latencyMs : requireNonNegative(`${field}.delayMs`, a.delayMs);
    const fromIndex = a.from === undefined ? realFromIndex : this.host.requireNode(a.from, `${field}.from`);
    // Every arrival after the first gets a copy of its own (a handler may change what it is handed).
    const msg = a.msg !== undefined ? copyPlain(a.msg, `${field}.msg`) : copy === 0 ? original : copyPlain(original, `${field}.msg`);
    if (typeof msg.type !== "string") throw new SimulationInputError(`${field}.msg.type`, msg.type, "expected a string");
    const tampered = fromIndex !== realFromIndex || a.msg !== undefined;
    this.host.arriveAt(this.host.now() + delay, toIndex, msgId, fromIndex, msg, copy, tampered);
  }

  /** Applies the timing model to a drawn latency. */
  private adjustLatency(latencyMs: number): number {
    const timing = this.timing;
    if (timing === undefined) return latencyMs;
    const now = this.host.now();
    if (now >= timing.gstMs) return Math.min(latencyMs, timing.latencyMsMax);
    let delay = latencyMs;
    if (timing.delayProbability > 0 && this.timingRandom.bernoulli(timing.delayProbability)) {
      delay += this.timingRandom.exponential(timing.delayMeanMs);
    }
    // Partial synchrony: whatever happened before GST, the message arrives within the bound after it.
    if (Number.isFinite(timing.gstMs)) delay = Math.min(delay, timing.gstMs + timing.latencyMsMax - now);
    return delay;
  }
}
