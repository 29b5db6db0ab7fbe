/**
 * Network and timing models (lecture 2, "System model: network behaviour" and "timing assumptions").
 *
 * - reliable links: every message sent is received exactly once (maybe reordered by latency);
 * - fair-loss links: messages may be lost or duplicated (and reordered), with given probabilities;
 * - arbitrary links: an adversary sees each message and decides what arrives, when, from whom.
 * Partitions (in the simulation's fault schedule) cut directed links on top of any of these.
 */
import type { Message, NodeId, Random } from "./protocol";
import { SimulationInputError } from "./errors";
import {
  rejectUnknownKeys,
  requireFiniteNumber,
  requireFunction,
  requireNonNegative,
  requireOneOf,
  requirePositive,
  requireProbability,
} from "./validate";

/**
 * A latency distribution: draws the one-way delay of a message in ms, sent from -> to at simulated
 * time nowMs (most distributions ignore the time; latency.congested changes with it).
 */
export interface Latency {
  /** Description for reports, e.g. "uniform(5, 15) ms". */
  readonly description: string;
  draw(random: Random, from: NodeId, to: NodeId, nowMs: number): number;
}

/** A user's distribution, with each draw checked (the built-in ones cannot go wrong). */
function checked(description: string, draw: (random: Random, from: NodeId, to: NodeId, nowMs: number) => number): Latency {
  return {
    description,
    draw(random, from, to, nowMs) {
      const ms = draw(random, from, to, nowMs);
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
        throw new SimulationInputError(`latency ${description} for ${from}->${to}`, ms, "expected a finite delay >= 0 ms");
      }
      return ms;
    },
  };
}

/** Latency distributions, with the lecture's figures as presets ("Latency and bandwidth"). */
export const latency = {
  constant(ms: number): Latency {
    requireNonNegative("latency.constant(ms)", ms);
    return { description: `constant ${ms} ms`, draw: () => ms };
  },
  uniform(minMs: number, maxMs: number): Latency {
    requireNonNegative("latency.uniform(minMs)", minMs);
    requireNonNegative("latency.uniform(maxMs)", maxMs);
    if (maxMs < minMs) throw new SimulationInputError("latency.uniform(maxMs)", maxMs, `expected >= minMs (${minMs})`);
    const width = maxMs - minMs;
    return { description: `uniform(${minMs}, ${maxMs}) ms`, draw: (r) => minMs + width * r.next() };
  },
  /** minMs plus an exponential with the given mean: a long tail of slow messages. */
  exponential(meanMs: number, minMs = 0): Latency {
    requirePositive("latency.exponential(meanMs)", meanMs);
    requireNonNegative("latency.exponential(minMs)", minMs);
    return { description: `${minMs} + exponential(mean ${meanMs}) ms`, draw: (r) => minMs + r.exponential(meanMs) };
  },
  /** Log-normal with the given median and shape sigma: what measured network latencies look like. */
  logNormal(medianMs: number, sigma: number): Latency {
    requirePositive("latency.logNormal(medianMs)", medianMs);
    requireNonNegative("latency.logNormal(sigma)", sigma);
    return { description: `log-normal(median ${medianMs} ms, sigma ${sigma})`, draw: (r) => r.logNormal(medianMs, sigma) };
  },
  /** A user-supplied distribution (nowMs: the simulated time of the send). */
  fn(draw: (random: Random, from: NodeId, to: NodeId, nowMs: number) => number, description = "custom"): Latency {
    requireFunction("latency.fn(draw)", draw);
    return checked(description, draw);
  },
  /**
   * Links that are sometimes congested ("congestion/contention causing queueing", lecture 2): each
   * directed link alternates between fast periods (1-3 ms) and congested ones (within 5 ms of
   * boundMs), each a little longer than the bound. At the start of each congested period messages
   * stop arriving for about the bound: the longest gap a failure detector sees, and it sees it again
   * and again, so a detector that adapts its timeout does so within a few periods. Stateful (each
   * link's current period): make one per simulation.
   */
  congested(boundMs: number): Latency {
    requirePositive("latency.congested(boundMs)", boundMs);
    const periods = new Map<string, { congested: boolean; untilMs: number }>();
    return {
      description: `congested links (bound ${boundMs} ms)`,
      draw(random, from, to, nowMs) {
        const link = `${from}\u0000${to}`;
        let period = periods.get(link);
        if (period === undefined) {
          period = { congested: false, untilMs: nowMs + random.exponential(300) };
          periods.set(link, period);
        }
        // Bounded: each step moves untilMs forward by more than the bound.
        for (let steps = 0; nowMs >= period.untilMs; steps++) {
          if (steps > 1e6) throw new Error("latency.congested: period bound exceeded");
          period.congested = !period.congested;
          // A fast period outlasts the bound, so a congested period's messages have all arrived before the next one.
          period.untilMs += boundMs + (period.congested ? random.uniform(100, 300) : 50 + random.exponential(300));
        }
        return period.congested ? random.uniform(Math.max(0, boundMs - 5), boundMs) : random.uniform(1, 3);
      },
    };
  },
  /** Same datacentre: about 100 microseconds. */
  get sameDatacentre(): Latency {
    return { description: "same datacentre, log-normal(median 0.1 ms)", draw: (r) => r.logNormal(0.1, 0.3) };
  },
  /** One continent to another: about 100 ms. */
  get intercontinental(): Latency {
    return { description: "intercontinental, 80 + log-normal(median 20 ms)", draw: (r) => 80 + r.logNormal(20, 0.5) };
  },
};

/** A message in flight, as the adversary of an arbitrary link sees it. */
export interface InFlight {
  readonly msgId: number;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msg: Message;
  readonly sentAtMs: number;
  /** The latency the link would have given it. */
  readonly latencyMs: number;
}

/** One copy the adversary lets arrive: maybe later, maybe changed, maybe from someone else. */
export interface Arrival {
  delayMs?: number;
  msg?: Message;
  /** Spoofed sender. */
  from?: NodeId;
}

export interface AdversaryTools {
  readonly random: Random;
  readonly nowMs: number;
  /** Make any node appear to receive msg from `from` after delayMs (a replay or a forgery). */
  inject(to: NodeId, from: NodeId, msg: Message, delayMs: number): void;
}

/**
 * Decides the fate of each message on an arbitrary link: return the arrivals (an empty array
 * drops the message, two entries duplicate it), or undefined to let it through unchanged.
 */
export type Adversary = (message: InFlight, tools: AdversaryTools) => readonly Arrival[] | undefined;

export type NetworkModel = "reliable" | "fair-loss" | "arbitrary";

export interface LinkOptions {
  latency?: Latency;
  /** fair-loss: probability that a message is lost. */
  loss?: number;
  /** fair-loss: probability that a message arrives twice. */
  duplicate?: number;
}

export interface NetworkOptions extends LinkOptions {
  model?: NetworkModel;
  /** arbitrary: the adversary. */
  adversary?: Adversary;
  /** Overrides for directed links. */
  links?: readonly (LinkOptions & { from: NodeId; to: NodeId })[];
}

export interface ResolvedLink {
  latency: Latency;
  loss: number;
  duplicate: number;
}

export interface ResolvedNetwork {
  model: NetworkModel;
  adversary: Adversary | undefined;
  defaultLink: ResolvedLink;
  /** Whether any directed link has options of its own (if not, every link is defaultLink). */
  hasLinkOverrides: boolean;
  link(from: NodeId, to: NodeId): ResolvedLink;
}

const DEFAULT_LATENCY = latency.uniform(1, 10);

function resolveLink(field: string, model: NetworkModel, options: LinkOptions, base: ResolvedLink): ResolvedLink {
  const loss = options.loss === undefined ? base.loss : requireProbability(`${field}.loss`, options.loss);
  const duplicate = options.duplicate === undefined ? base.duplicate : requireProbability(`${field}.duplicate`, options.duplicate);
  if (model === "reliable" && (loss > 0 || duplicate > 0)) {
    throw new SimulationInputError(`${field}.${loss > 0 ? "loss" : "duplicate"}`, loss > 0 ? loss : duplicate,
      'reliable links neither lose nor duplicate messages; use model "fair-loss"');
  }
  const lat = options.latency ?? base.latency;
  if (typeof lat !== "object" || lat === null || typeof (lat as Latency).draw !== "function") {
    throw new SimulationInputError(`${field}.latency`, lat, "expected a latency model such as latency.uniform(5, 15)");
  }
  return { latency: lat, loss, duplicate };
}

export function resolveNetwork(options: NetworkOptions | undefined, nodes: ReadonlySet<NodeId>): ResolvedNetwork {
  const o = options ?? {};
  if (typeof o !== "object" || o === null) throw new SimulationInputError("network", o, "expected an object");
  rejectUnknownKeys("network", o, ["model", "latency", "loss", "duplicate", "adversary", "links"]);
  const model = requireOneOf("network.model", o.model ?? "reliable", ["reliable", "fair-loss", "arbitrary"] as const);
  if (model === "arbitrary") requireFunction("network.adversary", o.adversary);
  else if (o.adversary !== undefined) {
    throw new SimulationInputError("network.adversary", o.adversary, 'an adversary needs network.model "arbitrary"');
  }
  const defaultLink = resolveLink("network", model, o, { latency: DEFAULT_LATENCY, loss: 0, duplicate: 0 });
  const overrides = new Map<string, ResolvedLink>();
  (o.links ?? []).forEach((l, k) => {
    const field = `network.links[${k}]`;
    rejectUnknownKeys(field, l, ["from", "to", "latency", "loss", "duplicate"]);
    for (const end of ["from", "to"] as const) {
      if (!nodes.has(l[end])) throw new SimulationInputError(`${field}.${end}`, l[end], "expected a known node id");
    }
    overrides.set(`${l.from}\u0000${l.to}`, resolveLink(field, model, l, defaultLink));
  });
  return {
    model,
    adversary: o.adversary,
    defaultLink,
    hasLinkOverrides: overrides.size > 0,
    link: overrides.size === 0 ? () => defaultLink : (from, to) => overrides.get(`${from}\u0000${to}`) ?? defaultLink,
  };
}

/** Timing assumptions (lecture 2, "System model: timing assumptions"). */
export type TimingOptions =
  | {
      model: "synchronous";
      /** The known upper bound on message latency; latencies above it are clamped. Default 100. */
      latencyMsMax?: number;
    }
  | {
      model: "partially-synchronous";
      /** Global stabilisation time: asynchronous before it, synchronous after. Nodes do not know it. */
      gstMs: number;
      /** The bound that holds after GST. Default 100. */
      latencyMsMax?: number;
      /** Before GST: probability that a message gets an extra, unbounded delay. Default 0.2. */
      delayProbability?: number;
      /** Before GST: mean of that extra delay (exponential). Default 10 * latencyMsMax. */
      delayMeanMs?: number;
      /** Before GST: rate of process pauses per node per second of global time. Default 0.5. */
      pausesPerSecond?: number;
      /** Mean pause length (exponential). Default 5 * latencyMsMax. */
      pauseMeanMs?: number;
    }
  | {
      model: "asynchronous";
      /** Probability that a message gets an extra, unbounded delay. Default 0.1. */
      delayProbability?: number;
      /** Mean of that extra delay (exponential), ms. Default 200. */
      delayMeanMs?: number;
      /** Process pauses (e.g. garbage collection) per node per second. Default 0.2. */
      pausesPerSecond?: number;
      /** Mean pause length, ms. Default 200. */
      pauseMeanMs?: number;
    };

export interface ResolvedTiming {
  model: "synchronous" | "partially-synchronous" | "asynchronous";
  /** Latency bound in force when the model is (or has become) synchronous. */
  latencyMsMax: number;
  /** GST: 0 for synchronous, Infinity for asynchronous. */
  gstMs: number;
  delayProbability: number;
  delayMeanMs: number;
  pausesPerSecond: number;
  pauseMeanMs: number;
}

export function resolveTiming(options: TimingOptions | undefined): ResolvedTiming | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== "object" || options === null) throw new SimulationInputError("timing", options, "expected an object");
  const model = requireOneOf("timing.model", options.model, ["synchronous", "partially-synchronous", "asynchronous"] as const);
  switch (options.model) {
    case "synchronous": {
      rejectUnknownKeys("timing", options, ["model", "latencyMsMax"]);
      const latencyMsMax = requirePositive("timing.latencyMsMax", options.latencyMsMax ?? 100);
      return { model, latencyMsMax, gstMs: 0, delayProbability: 0, delayMeanMs: 0, pausesPerSecond: 0, pauseMeanMs: 0 };
    }
    case "partially-synchronous": {
      rejectUnknownKeys("timing", options, ["model", "gstMs", "latencyMsMax", "delayProbability", "delayMeanMs", "pausesPerSecond", "pauseMeanMs"]);
      const latencyMsMax = requirePositive("timing.latencyMsMax", options.latencyMsMax ?? 100);
      return {
        model,
        latencyMsMax,
        gstMs: requireNonNegative("timing.gstMs", options.gstMs),
        delayProbability: requireProbability("timing.delayProbability", options.delayProbability ?? 0.2),
        delayMeanMs: requirePositive("timing.delayMeanMs", options.delayMeanMs ?? 10 * latencyMsMax),
        pausesPerSecond: requireNonNegative("timing.pausesPerSecond", options.pausesPerSecond ?? 0.5),
        pauseMeanMs: requirePositive("timing.pauseMeanMs", options.pauseMeanMs ?? 5 * latencyMsMax),
      };
    }
    case "asynchronous": {
      rejectUnknownKeys("timing", options, ["model", "delayProbability", "delayMeanMs", "pausesPerSecond", "pauseMeanMs"]);
      return {
        model,
        latencyMsMax: Infinity,
        gstMs: Infinity,
        delayProbability: requireProbability("timing.delayProbability", options.delayProbability ?? 0.1),
        delayMeanMs: requirePositive("timing.delayMeanMs", options.delayMeanMs ?? 200),
        pausesPerSecond: requireNonNegative("timing.pausesPerSecond", options.pausesPerSecond ?? 0.2),
        pauseMeanMs: requirePositive("timing.pauseMeanMs", options.pauseMeanMs ?? 200),
      };
    }
  }
  return requireFiniteNumber("timing.model", Number.NaN) as never;
}
