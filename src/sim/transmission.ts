/**
 * Network transmission: what happens to a message between its send and its receipt. The network
 * model decides its fate (lost, delayed, duplicated, tampered with by an adversary), partitions cut
 * links, and the timing model stretches delays before GST. The simulator owns time and the queue;
 * this module only tells it when (and whether) each copy arrives.
 */
import type { Message, NodeId, Random } from "./protocol";
import type { DropReason } from "./trace-events";
import { SimulationInputError } from "./errors";
import type { Arrival, ResolvedNetwork, ResolvedTiming } from "./network";
import { copyPlain, requireNonNegative } from "./validate";

/** What transmission needs from the simulator. */
export interface TransmissionHost {
  /** The simulated time now, ms. */
  now(): number;
  /** Schedule the receipt of a copy of a message at `timeMs` (copy 0 is the original). */
  arriveAt(timeMs: number, to: NodeId, msgId: number, from: NodeId, msg: Message, copy: number, tampered: boolean): void;
  drop(msgId: number, from: NodeId, to: NodeId, msg: Message, reason: DropReason): void;
  duplicated(msgId: number, from: NodeId, to: NodeId): void;
  /** Throws a SimulationInputError naming `field` if `id` is not a node. */
  requireNode(id: NodeId, field: string): NodeId;
}

/** A partition: directed links cut from its start until it heals. */
export interface Cut {
  readonly id: number;
  readonly links: readonly (readonly [NodeId, NodeId])[];
  readonly groups: readonly (readonly NodeId[])[] | undefined;
}

export class Transmission {
  private readonly cuts = new Map<number, Cut>();
  /** Directed links cut now: "from\0to" -> number of partitions cutting it. */
  private readonly cutLinks = new Map<string, number>();

  constructor(
    private readonly host: TransmissionHost,
    private readonly network: ResolvedNetwork,
    private readonly timing: ResolvedTiming | undefined,
    private readonly networkRandom: Random,
    private readonly timingRandom: Random,
  ) {}

  /** Whether a partition cuts the link from -> to now. */
  isCut(from: NodeId, to: NodeId): boolean {
    return this.cutLinks.size > 0 && this.cutLinks.has(`${from}\u0000${to}`);
  }

  startPartition(cut: Cut): void {
    this.cuts.set(cut.id, cut);
    for (const [a, b] of cut.links) {
      const key = `${a}\u0000${b}`;
      this.cutLinks.set(key, (this.cutLinks.get(key) ?? 0) + 1);
    }
  }

  /** Heals a partition; false if it was not in force. */
  heal(id: number): boolean {
    const cut = this.cuts.get(id);
    if (cut === undefined) return false;
    this.cuts.delete(id);
    for (const [a, b] of cut.links) {
      const key = `${a}\u0000${b}`;
      const n = (this.cutLinks.get(key) ?? 1) - 1;
      if (n <= 0) this.cutLinks.delete(key);
      else this.cutLinks.set(key, n);
    }
    return true;
  }

  /** Sends msg (already copied) from -> to: the network decides whether and when copies arrive. */
  transmit(msgId: number, from: NodeId, to: NodeId, msg: Message): void {
    const host = this.host;
    if (to === from) {
      // Loopback: a node's message to itself is never lost or delayed.
      host.arriveAt(host.now(), to, msgId, from, msg, 0, false);
      return;
    }
    if (this.isCut(from, to)) {
      host.drop(msgId, from, to, msg, "partition");
      return;
    }
    const link = this.network.hasLinkOverrides ? this.network.link(from, to) : this.network.defaultLink;
    const random = this.networkRandom;
    if (this.network.model === "arbitrary") {
      this.adversarial(msgId, from, to, msg, link.latency.draw(random, from, to, host.now()));
      return;
    }
    if (link.loss > 0 && random.bernoulli(link.loss)) {
      host.drop(msgId, from, to, msg, "loss");
      return;
    }
    host.arriveAt(host.now() + this.adjustLatency(link.latency.draw(random, from, to, host.now())), to, msgId, from, msg, 0, false);
    if (link.duplicate > 0 && random.bernoulli(link.duplicate)) {
      host.duplicated(msgId, from, to);
      host.arriveAt(host.now() + this.adjustLatency(link.latency.draw(random, from, to, host.now())), to, msgId, from, msg, 1, false);
    }
  }

  private adversarial(msgId: number, from: NodeId, to: NodeId, msg: Message, latencyMs: number): void {
    const host = this.host;
    const sentAtMs = host.now();
    const injected: { to: NodeId; arrival: Arrival }[] = [];
    const arrivals = (this.network.adversary as NonNullable<ResolvedNetwork["adversary"]>)(
      { msgId, from, to, msg, sentAtMs, latencyMs },
      {
        random: this.networkRandom,
        nowMs: sentAtMs,
        inject: (injectTo, injectFrom, m, delayMs) => {
          host.requireNode(injectTo, "adversary inject(to)");
          host.requireNode(injectFrom, "adversary inject(from)");
          injected.push({ to: injectTo, arrival: { msg: m, from: injectFrom, delayMs } });
        },
      },
    );
    const list = arrivals === undefined ? [{}] : arrivals;
    if (!Array.isArray(list)) throw new SimulationInputError("network.adversary result", arrivals, "expected an array of arrivals or undefined");
    if (list.length === 0) host.drop(msgId, from, to, msg, "adversary");
    list.forEach((a: Arrival, k: number) => {
      if (k === 1) host.duplicated(msgId, from, to);
      this.arrive(to, msgId, a, from, msg, latencyMs, k, `network.adversary result[${k}]`);
    });
    injected.forEach(({ to: target, arrival }, k) => this.arrive(target, msgId, arrival, arrival.from as NodeId, msg, 0, 1 + k, `adversary inject[${k}]`));
  }

  private arrive(to: NodeId, msgId: number, a: Arrival, realFrom: NodeId, original: Message, latencyMs: number, copy: number, field: string): void {
    const delay = a.delayMs === undefined ? latencyMs : requireNonNegative(`${field}.delayMs`, a.delayMs);
    const from = a.from === undefined ? realFrom : this.host.requireNode(a.from, `${field}.from`);
    const msg = a.msg === undefined ? original : copyPlain(a.msg, `${field}.msg`);
    if (typeof msg.type !== "string") throw new SimulationInputError(`${field}.msg.type`, msg.type, "expected a string");
    const tampered = from !== realFrom || a.msg !== undefined;
    this.host.arriveAt(this.host.now() + delay, to, msgId, from, msg, copy, tampered);
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
