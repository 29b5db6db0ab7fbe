/**
 * Exercise 6.3: ABD, linearizable quorum reads and writes (lecture 6, slides "Not linearizable,
 * despite quorum reads/writes" and "ABD: Making quorum reads/writes linearizable").
 *
 * Write `abd()`. Every node is a replica and may also act as a client. The replica side is the
 * kit's (src/protocols/consistency/register-replica.ts): call `replicaRead(state.stored, msg, from,
 * ctx)` and `replicaWrite(state.stored, msg, from, ctx)` in your Read and Write handlers, and rebuild
 * `stored` with `storedFromStorage(ctx.storage)` on recovery. Yours is the client side. With n nodes a
 * quorum is `quorumSize(n)` = floor(n/2) + 1 of them (send to every node, yourself included, and
 * count distinct repliers):
 *
 *   get(key):  send (Read, opId, key) to all; wait for a quorum of ReadReply; take the newest (t, v)
 *              (compareAbdTimestamp); if there is none, return null; otherwise write back: send
 *              (Write, opId, key, (t, v)) to all, wait for a quorum of WriteAck, then return v
 *   set(key, value): send (Read, opId, key) to all; wait for a quorum; t := [largest counter seen + 1,
 *              your node id]; send (Write, opId, key, (t, value)) to all; wait for a quorum of
 *              WriteAck; return null
 *
 * What the tests observe:
 *  - Requests `{ type: "get", opId, key }` and `{ type: "set", opId, key, value }`, at most one at a
 *    time per node. Answer each with `ctx.deliver({ type: "ok", opId, output })` (output: the value
 *    read, or null for a set), exactly once, at the requesting node.
 *  - Replies to an earlier phase or operation (same sender, late) must be ignored.
 *  - The runs become a history that the kit's linearizability checker judges, on reliable networks
 *    with up to two of five nodes crashing (a crashed node's operation in progress may stay
 *    unanswered; the others must complete).
 */
import type { NodeId, Protocol } from "../src/sim/protocol";
import type { AbdMsg, AbdRequest, AbdStamped } from "../src/protocols/consistency/register-replica";

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

export function abd(): Protocol<AbdState, AbdMsg, AbdRequest> {
  return {
    name: "abd",
    init: () => {
      throw new Error("Exercise 6.3 not implemented yet: init");
    },
    request: (state, req, ctx) => {
      throw new Error("Exercise 6.3 not implemented yet: request");
    },
    receive: {
      Read: (state, msg, from, ctx) => {
        throw new Error("Exercise 6.3 not implemented yet: receive Read");
      },
      Write: (state, msg, from, ctx) => {
        throw new Error("Exercise 6.3 not implemented yet: receive Write");
      },
      ReadReply: (state, msg, from, ctx) => {
        throw new Error("Exercise 6.3 not implemented yet: receive ReadReply");
      },
      WriteAck: (state, msg, from, ctx) => {
        throw new Error("Exercise 6.3 not implemented yet: receive WriteAck");
      },
    },
    recover: (ctx) => {
      throw new Error("Exercise 6.3 not implemented yet: recover");
    },
  };
}
