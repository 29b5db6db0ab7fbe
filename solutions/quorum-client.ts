/**
 * Reference solution of Exercise 5.4 (the contract is in exercises/quorum-client.ts): a quorum
 * client over replicas that store (t, v) (lecture 5, slides "Quorum (2 out of 3)", "Read and write
 * quorums", "Read repair"). The replicas are the kit's (src/protocols/replication/quorum-replica.ts).
 */
import type { NodeId, Protocol } from "../src/sim/protocol";
import type { QuorumMessage, Stamped, Timestamp } from "../src/protocols/replication/quorum-replica";

export type { QuorumMessage, Stamped, Timestamp };

export interface QuorumClientOptions {
  /** The n replicas (node ids). */
  readonly replicas: readonly NodeId[];
  /** Read quorum: a read returns once r distinct replicas have replied. */
  readonly r: number;
  /** Write quorum: a write is acknowledged once w distinct replicas have acknowledged it. */
  readonly w: number;
  /** Resend to the replicas that have not answered yet after this long (ms). Default 100. */
  readonly timeoutMs?: number;
}

export type QuorumRequest =
  | { readonly type: "write"; readonly key: string; readonly value: unknown }
  | { readonly type: "read"; readonly key: string };

/** What the client delivers when an operation completes. */
export type QuorumOutput =
  | { readonly op: "write"; readonly opId: string; readonly key: string; readonly value: unknown; readonly t: Timestamp }
  | { readonly op: "read"; readonly opId: string; readonly key: string; readonly found: true; readonly value: unknown; readonly t: Timestamp }
  | { readonly op: "read"; readonly opId: string; readonly key: string; readonly found: false; readonly t: null };

export interface QuorumOperation {
  readonly kind: "read" | "write";
  readonly key: string;
  /** A write's timestamp and value. */
  readonly t?: Timestamp;
  readonly value?: unknown;
  /** Replicas that acknowledged the write, or replied to the read (each counted once). */
  answered: NodeId[];
  /** A read's replies by replica. */
  replies: Record<NodeId, Stamped | null>;
  /** What the read returned, once it has (for repairing replicas that reply late). */
  result?: Stamped | null;
  done: boolean;
}

export interface QuorumClientState {
  /** The largest timestamp counter this client has used or seen. */
  counter: number;
  nextOp: number;
  ops: Record<string, QuorumOperation>;
}

export const QUORUM_DEFAULTS = { timeoutMs: 100 } as const;

function newer(a: Stamped | null, b: Stamped | null): boolean {
  if (a === null) return false;
  if (b === null) return true;
  return a.t[0] !== b.t[0] ? a.t[0] > b.t[0] : a.t[1] > b.t[1];
}

export function quorumClient(options: QuorumClientOptions): Protocol<QuorumClientState, QuorumMessage, QuorumRequest> {
  const replicas = options?.replicas;
  if (!Array.isArray(replicas) || replicas.length === 0 || replicas.some((x) => typeof x !== "string") || new Set(replicas).size !== replicas.length) {
    throw new TypeError(`quorumClient: replicas must be a non-empty list of distinct node ids, got ${JSON.stringify(replicas)}`);
  }
  const n = replicas.length;
  const { r, w } = options;
  for (const [name, q] of [["r", r], ["w", w]] as const) {
    if (!Number.isInteger(q) || q < 1 || q > n) throw new RangeError(`quorumClient: ${name} must be an integer from 1 to n = ${n}, got ${String(q)}`);
  }
  const timeoutMs = options.timeoutMs ?? QUORUM_DEFAULTS.timeoutMs;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new RangeError(`quorumClient: timeoutMs must be a number > 0, got ${String(timeoutMs)}`);

  /** Slide "Read repair": send the newest (t, v) to a replica that replied with an older one. */
  function repair(opId: string, op: QuorumOperation, replica: NodeId, ctx: { send(to: NodeId, m: QuorumMessage): void; label(s: string): void }): void {
    const best = op.result;
    if (best === undefined || best === null || !newer(best, op.replies[replica] ?? null)) return;
    ctx.send(replica, { type: "Write", opId: `${opId}/repair`, key: op.key, t: best.t, v: best.v });
  }

  return {
    name: "quorum-client",
    init: () => ({ counter: 0, nextOp: 0, ops: {} }),
    request: (state, req, ctx) => {
      if (req === null || typeof req !== "object" || typeof req.key !== "string" || (req.type !== "write" && req.type !== "read")) {
        throw new TypeError(`quorumClient ${ctx.nodeId}: expected { type: "write", key, value } or { type: "read", key }, got ${JSON.stringify(req)}`);
      }
      const opId = `${ctx.nodeId}.${state.nextOp}`;
      state.nextOp += 1;
      if (req.type === "write") {
        // A timestamp larger than any this client has seen, unique by its node id.
        state.counter += 1;
        const t: Timestamp = [state.counter, ctx.nodeId];
        state.ops[opId] = { kind: "write", key: req.key, t, value: req.value, answered: [], replies: {}, done: false };
        for (const replica of replicas) ctx.send(replica, { type: "Write", opId, key: req.key, t, v: req.value });
      } else {
        state.ops[opId] = { kind: "read", key: req.key, answered: [], replies: {}, done: false };
        for (const replica of replicas) ctx.send(replica, { type: "Read", opId, key: req.key });
      }
      ctx.startTimer("retry", timeoutMs, { opId });
    },
    receive: {
      // A write is acknowledged once w distinct replicas have acknowledged it.
      WriteAck: (state, msg, from, ctx) => {
        const op = state.ops[msg.opId];
        if (op === undefined || op.kind !== "write" || op.answered.includes(from)) return;
        op.answered.push(from);
        if (!op.done && op.answered.length >= w) {
          op.done = true;
          ctx.label(`write ok (${op.answered.join(", ")})`);
          ctx.deliver({ op: "write", opId: msg.opId, key: op.key, value: op.value, t: op.t! } satisfies QuorumOutput);
        }
      },
      // A read returns once r distinct replicas have replied: the reply with the newest timestamp.
      ReadReply: (state, msg, from, ctx) => {
        const op = state.ops[msg.opId];
        if (op === undefined || op.kind !== "read" || op.answered.includes(from)) return;
        op.answered.push(from);
        op.replies[from] = msg.stamped;
        if (msg.stamped !== null) state.counter = Math.max(state.counter, msg.stamped.t[0]);
        if (op.done) {
          repair(msg.opId, op, from, ctx);
          return;
        }
        if (op.answered.length < r) return;
        let best: Stamped | null = null;
        for (const replica of op.answered) if (newer(op.replies[replica] ?? null, best)) best = op.replies[replica]!;
        op.result = best;
        op.done = true;
        ctx.label(`read ok (${op.answered.join(", ")})`);
        ctx.deliver((best === null
          ? { op: "read", opId: msg.opId, key: op.key, found: false, t: null }
          : { op: "read", opId: msg.opId, key: op.key, found: true, value: best.v, t: best.t }) satisfies QuorumOutput);
        for (const replica of op.answered) repair(msg.opId, op, replica, ctx);
      },
      Write: (_state, _msg, from, ctx) => ctx.log(`quorum client: ignored a Write from ${from}`),
      Read: (_state, _msg, from, ctx) => ctx.log(`quorum client: ignored a Read from ${from}`),
    },
    timers: {
      // Until the quorum is reached: ask again the replicas that have not answered.
      retry: (state, data, ctx) => {
        const { opId } = data as { opId: string };
        const op = state.ops[opId];
        if (op === undefined || op.done) return;
        for (const replica of replicas) {
          if (op.answered.includes(replica)) continue;
          ctx.send(replica, op.kind === "write"
            ? { type: "Write", opId, key: op.key, t: op.t!, v: op.value }
            : { type: "Read", opId, key: op.key });
        }
        ctx.startTimer("retry", timeoutMs, { opId });
      },
    },
  };
}
