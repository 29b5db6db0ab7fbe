/**
 * Reference solution of the ABD exercise (lecture 6, slide "ABD: Making quorum reads/writes
 * linearizable", after Attiya, Bar-Noy and Dolev). The library re-exports this file
 * (src/protocols/consistency/abd.ts).
 *
 * Every node is a replica storing, per key, a value with its timestamp (t, v), in stable storage;
 * any node can also act as a client. With n nodes a quorum is any floor(n/2) + 1 of them.
 *
 *   get(x):  send (Read, x) to all; wait for a quorum of (t, v); take the newest (t, v);
 *            write-back: send (Write, x, t, v) to all; wait for a quorum of acks; return v
 *   set(x, v): send (Read, x) to all; wait for a quorum; t := (largest counter + 1, nodeId);
 *            send (Write, x, t, v) to all; wait for a quorum of acks; return
 *   on receiving (Write, x, t, v): if t is newer than stored[x] then stored[x] := (t, v); ack
 *
 * The write-back is what makes reads linearizable: when a get returns v, a quorum already stores v
 * (or something newer), so every later get sees it. The slide's set is a blind write with a
 * timestamp; here the timestamp comes from a quorum read first (multi-writer ABD), so that a set that
 * starts after another finished always carries a larger timestamp, whichever client made it.
 *
 * Requests: `{ type: "get", opId, key }`, `{ type: "set", opId, key, value }`; replies to the
 * application: `{ type: "ok", opId, output }` (the value read, or null for a set). One operation at
 * a time per node; an operation lost in a crash never replies.
 */
import type { Context, NodeId, Protocol } from "../src/sim/protocol";
import { compareAbdTimestamp, quorumSize, replicaRead, replicaWrite, storedFromStorage, type AbdMsg, type AbdRequest, type AbdStamped } from "../src/protocols/consistency/register-replica";

// The replica side (Read, Write, recovery) is the kit's, shared with the plain quorum register.
export type { AbdMsg, AbdRequest, AbdStamped };

/** The reply to the application. */
export interface OpResult {
  readonly type: "ok";
  readonly opId: string;
  readonly output: unknown;
}

/** The operation this node is running as a client. */
export interface AbdPending {
  readonly request: AbdRequest;
  phase: "read" | "write";
  /** Nodes that replied in the current phase. */
  replied: NodeId[];
  /** The newest (t, v) seen in the read phase. */
  newest: AbdStamped | null;
  /** In the write phase: what is being written (a get's result is its v). */
  writing: AbdStamped | null;
}

export interface AbdState {
  stored: Record<string, AbdStamped>;
  pending: AbdPending | null;
}

type Ctx = Context<AbdMsg>;

function sendToAll(msg: AbdMsg, ctx: Ctx): void {
  for (const node of ctx.nodes) ctx.send(node, msg);
}

function startWrite(pending: AbdPending, stamped: AbdStamped, ctx: Ctx): void {
  pending.phase = "write";
  pending.replied = [];
  pending.writing = stamped;
  sendToAll({ type: "Write", opId: pending.request.opId, key: pending.request.key, stamped }, ctx);
}

export function abd(): Protocol<AbdState, AbdMsg, AbdRequest> {
  return {
    name: "abd",
    init: () => ({ stored: {}, pending: null }),
    request: (state, req, ctx) => {
      if ((req?.type !== "get" && req?.type !== "set") || typeof req.opId !== "string" || typeof req.key !== "string") {
        throw new TypeError(`abd at ${ctx.nodeId}: expected { type: "get" | "set", opId, key[, value] }, got ${JSON.stringify(req)}`);
      }
      if (state.pending !== null) throw new RangeError(`abd at ${ctx.nodeId}: ${req.opId} requested while ${state.pending.request.opId} is still running (one operation at a time per node)`);
      state.pending = { request: req, phase: "read", replied: [], newest: null, writing: null };
      sendToAll({ type: "Read", opId: req.opId, key: req.key }, ctx);
    },
    receive: {
      // The replica's side (the kit's).
      Read: (state, msg, from, ctx) => replicaRead(state.stored, msg, from, ctx),
      Write: (state, msg, from, ctx) => replicaWrite(state.stored, msg, from, ctx),
      // The client's side.
      ReadReply: (state, msg, from, ctx) => {
        const pending = state.pending;
        if (pending === null || pending.request.opId !== msg.opId || pending.phase !== "read" || pending.replied.includes(from)) return;
        pending.replied.push(from);
        if (msg.stamped !== null && (pending.newest === null || compareAbdTimestamp(msg.stamped.t, pending.newest.t) > 0)) pending.newest = msg.stamped;
        if (pending.replied.length < quorumSize(ctx.nodes.length)) return;
        const req = pending.request;
        if (req.type === "get") {
          // Nothing written yet: nothing to write back.
          if (pending.newest === null) return finish(state, null, ctx);
          startWrite(pending, pending.newest, ctx);
        } else {
          const counter = pending.newest === null ? 0 : pending.newest.t[0];
          startWrite(pending, { t: [counter + 1, ctx.nodeId], v: req.value }, ctx);
        }
      },
      WriteAck: (state, msg, from, ctx) => {
        const pending = state.pending;
        if (pending === null || pending.request.opId !== msg.opId || pending.phase !== "write" || pending.replied.includes(from)) return;
        pending.replied.push(from);
        if (pending.replied.length < quorumSize(ctx.nodes.length)) return;
        finish(state, pending.request.type === "get" ? (pending.writing as AbdStamped).v : null, ctx);
      },
    },
    // A crash loses the operation in progress; the stored values come back from stable storage.
    recover: (ctx) => ({ stored: storedFromStorage(ctx.storage), pending: null }),
  };
}

function finish(state: AbdState, output: unknown, ctx: Ctx): void {
  const opId = (state.pending as AbdPending).request.opId;
  state.pending = null;
  ctx.label(output === null ? "ok" : `-> ${JSON.stringify(output)}`);
  ctx.deliver({ type: "ok", opId, output } satisfies OpResult);
}
