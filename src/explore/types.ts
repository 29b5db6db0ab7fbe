/**
 * The explorer's nouns: the options of a search, the global state it searches over, the steps
 * between states, and its result.
 */
import type { AnyProtocol, Message, NodeId, TimerId } from "../sim/protocol";
import type { Trace } from "../sim/trace";

/** A request the scenario makes ("on request to broadcast m at node A"). Each node's are issued in order. */
export interface ExploreRequest {
  readonly node: NodeId;
  readonly request: unknown;
}

export interface ExploreNetwork {
  /**
   * "reliable": every message is received exactly once, in any order. "fair-loss": messages may also
   * be lost or duplicated, within the budgets below (default reliable).
   */
  readonly model?: "reliable" | "fair-loss";
  /** Most messages lost in one run (fair-loss only; default 1). */
  readonly maxLosses?: number;
  /** Most messages duplicated in one run (fair-loss only; default 0). */
  readonly maxDuplicates?: number;
}

export interface ExploreFailures {
  /** "none" (default), "crash-stop" or "crash-recovery" (memory lost, stable storage kept). */
  readonly model?: "none" | "crash-stop" | "crash-recovery";
  /** Most crashes in one run (default 1 when crashes are on). */
  readonly maxCrashes?: number;
  /** Most recoveries in one run (crash-recovery; default maxCrashes). */
  readonly maxRecoveries?: number;
}

export interface ExploreTimers {
  /**
   * When a pending timer may fire: "any-time" (asynchronous: a timeout may beat any message),
   * "when-idle" (only when no message is in flight: timeouts outlast every message delay, as in a
   * synchronous system), "never". Default "any-time". Either way a node's timers fire in the order
   * they would on its clock: a timer cannot fire before one set earlier with a delay no longer.
   */
  readonly fire?: "any-time" | "when-idle" | "never";
  /** Most timer firings (periodic tasks included) in one run (default unbounded: the depth bounds it). */
  readonly maxFirings?: number;
}

export interface ExploreBounds {
  /** States deeper than this are not expanded (default 40). */
  readonly maxDepth?: number;
  /** Most distinct states visited (default 200,000). */
  readonly maxStates?: number;
  /** Most messages in flight in one state: more is an error (a protocol that floods; default 10,000). */
  readonly maxInFlight?: number;
}

/** A property every reachable state must have. Returns true, or false / a sentence saying what broke. */
export interface Invariant {
  readonly name: string;
  holds(state: ExploreState): boolean | string;
}

/** A state the search is looking for ("some run reaches a decision"). */
export interface Goal {
  readonly name: string;
  reached(state: ExploreState): boolean;
}

export interface ExploreOptions {
  /** One protocol for every node, or one per node. */
  readonly protocol: AnyProtocol | Readonly<Record<NodeId, AnyProtocol>>;
  readonly nodes: readonly NodeId[];
  /** Seeds the nodes' random streams (default "explore"). */
  readonly seed?: string;
  readonly requests?: readonly ExploreRequest[];
  /**
   * "choice" (default): issuing each node's next request is a step the search chooses, so requests
   * interleave with everything else; "start": all are issued, in order, right after initialisation.
   */
  readonly issueRequests?: "choice" | "start";
  readonly network?: ExploreNetwork;
  readonly failures?: ExploreFailures;
  readonly timers?: ExploreTimers;
  readonly invariants?: readonly Invariant[];
  readonly goals?: readonly Goal[];
  /** "bfs" (default): the first violation found has a shortest path; "dfs": less memory, deep runs first. */
  readonly strategy?: "bfs" | "dfs";
  readonly bounds?: ExploreBounds;
  /**
   * Called for every terminal state (nothing left to happen) when first visited, with its path:
   * every distinct way a run can end.
   */
  readonly onTerminal?: (state: ExploreState, path: readonly Step[]) => void;
  /** A description for the trace header of replayed runs. */
  readonly description?: string;
}

/** A pending timer of a node. */
export interface PendingTimer {
  readonly id: TimerId;
  readonly name: string;
  readonly data: unknown;
  readonly delayMs: number;
  /** The periodic task it runs, for the timers of periodic tasks. */
  readonly periodic: string | undefined;
}

/** One delivery to the application. */
export interface Delivery {
  readonly value: unknown;
  readonly from: NodeId | undefined;
}

/** A node in a global state. Never changed once built: a step builds a new one. */
export interface NodeState {
  readonly up: boolean;
  /** The protocol's state (undefined while crashed). */
  readonly state: unknown;
  readonly storage: ReadonlyMap<string, unknown>;
  readonly timers: readonly PendingTimer[];
  readonly nextTimerId: number;
  /** What the node delivered to the application, in order (kept across crashes: it happened). */
  readonly deliveries: readonly Delivery[];
}

/** Identical messages in flight between the same nodes: delivering either is the same step. */
export interface InFlight {
  /** from, to and the message's canonical form. */
  readonly key: string;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly msg: Message;
  /** How many copies are in flight. */
  readonly count: number;
}

/** A global state: every node, the network, and what the run has used of its budgets. */
export interface ExploreState {
  readonly nodes: Readonly<Record<NodeId, NodeState>>;
  /** Sorted by key. */
  readonly inFlight: readonly InFlight[];
  /** Requests issued so far, per node, in order. */
  readonly issued: Readonly<Record<NodeId, readonly unknown[]>>;
  readonly used: { readonly losses: number; readonly duplicates: number; readonly crashes: number; readonly recoveries: number; readonly firings: number };
}

/** One step of a run: the choice made in a state. */
export type Step =
  | { readonly kind: "request"; readonly node: NodeId }
  | { readonly kind: "deliver"; readonly key: string; readonly from: NodeId; readonly to: NodeId; readonly msg: Message }
  | { readonly kind: "lose"; readonly key: string; readonly from: NodeId; readonly to: NodeId; readonly msg: Message }
  | { readonly kind: "duplicate"; readonly key: string; readonly from: NodeId; readonly to: NodeId; readonly msg: Message }
  | { readonly kind: "timer"; readonly node: NodeId; readonly id: TimerId; readonly name: string }
  | { readonly kind: "crash"; readonly node: NodeId }
  | { readonly kind: "recover"; readonly node: NodeId };

/** A run the search found: its steps, the state it ends in, and the run as a trace. */
export interface FoundRun {
  /** Number of steps from the initial state. */
  readonly depth: number;
  readonly path: readonly Step[];
  readonly state: ExploreState;
  /** The run replayed into a trace (event times are step numbers): draw it, check it, save it. */
  readonly trace: Trace;
}

export interface ExploreResult {
  /**
   * "violation": an invariant fails in a reachable state; "goal": a goal state was reached;
   * "exhausted": every reachable state was visited (within the budgets), no violation; "bounded": a
   * bound stopped the search first, no violation among the states visited.
   */
  readonly verdict: "violation" | "goal" | "exhausted" | "bounded";
  /** One sentence: "violation of FIFO order found at depth 3 ...", "bounded: explored N states to depth D, no violation". */
  readonly summary: string;
  readonly strategy: "bfs" | "dfs";
  /** Distinct states visited. */
  readonly states: number;
  /** Steps taken (edges), including those to states already visited. */
  readonly transitions: number;
  /** New states first reached at each depth (index = depth). */
  readonly statesAtDepth: readonly number[];
  readonly terminalStates: number;
  readonly maxDepthReached: number;
  /** The bound that stopped the search, for "bounded". */
  readonly bound?: "maxDepth" | "maxStates";
  readonly violation?: FoundRun & { readonly invariant: string; readonly message: string };
  readonly goal?: FoundRun & { readonly name: string };
  /** Goals never reached in the states visited. */
  readonly goalsNotReached: readonly string[];
}
