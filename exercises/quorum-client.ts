/**
 * Exercise 5.4: a quorum client with read repair (lecture 5, slides "Quorum (2 out of 3)", "Read and
 * write quorums", "Read repair").
 *
 * n replicas (the kit's quorumReplica, src/protocols/replication/quorum-replica.ts) store, per key,
 * (t, v): a value and the timestamp of the write that stored it; a replica applies a Write only if
 * its t is newer than the stored one, and answers every Write with a WriteAck and every Read with a
 * ReadReply carrying its (t, v) or null. Timestamps are [counter, nodeId], compared counter first.
 * Messages (QuorumMessage):
 *   { type: "Write", opId, key, t, v }      client -> replica
 *   { type: "WriteAck", opId, key }         replica -> client
 *   { type: "Read", opId, key }             client -> replica
 *   { type: "ReadReply", opId, key, stamped: { t, v } | null }   replica -> client
 *
 * Write quorumClient({ replicas, r, w, timeoutMs }), run at client nodes:
 *   on request { type: "write", key, value } do
 *     opId := "<this node>.<k>" (k-th operation of this client)
 *     counter := counter + 1; t := [counter, this node]        // counter: largest counter used or seen
 *     send (Write, opId, key, t, value) to every replica
 *     when w distinct replicas have sent WriteAck for opId:
 *       ctx.deliver({ op: "write", opId, key, value, t })    // acknowledged, once
 *   on request { type: "read", key } do
 *     send (Read, opId, key) to every replica
 *     when r distinct replicas have replied for opId:
 *       (t, v) := the reply with the newest timestamp among those received
 *       ctx.deliver({ op: "read", opId, key, found: true, value: v, t })   // or found: false, t: null if all were null
 *       read repair: send (Write, <any opId>, key, t, v) to every replica that replied with an older (t, v) or null
 *   every timeoutMs until the quorum is reached: send the request again to the replicas that have not answered
 * A replica counts once, however many copies of its answer arrive (the network duplicates messages).
 * Replies that arrive after the read returned may be repaired too (not required).
 *
 * What the tests observe (the trace, written by the grader; each node runs in a process of its own):
 * 1-2 clients and n = 3 or 5 replicas with several (r, w), operations at random times over a network
 * that loses, duplicates and reorders messages, with replica crashes (and recoveries: replicas keep
 * their (t, v) in stable storage) and partitions that heal. They check:
 *   - a write is delivered only after w distinct replicas acknowledged it (WriteAcks for its opId
 *     that the client received), and a replica stored its t;
 *   - a read is delivered only after r distinct replicas' ReadReplies for its opId arrived, and it
 *     returns the newest of the replies received (never a value no replica sent);
 *   - with r + w > n: read-after-write: a read that starts after a write was acknowledged returns
 *     that write's timestamp or a newer one, under crashes and partitions;
 *   - read repair: each replica that replied older than the read's result gets a Write of it;
 *   - every operation completes once faults heal, if at most n - max(r, w) replicas are down;
 *   - search: the explorer tries every order of the messages of one write and one read (n = 3,
 *     r = w = 2, the read sent once the write is delivered): in every state an acknowledged write is
 *     stored at w replicas and the read returns it or a newer value. Keep your handlers functions of
 *     (state, event, ctx): the search repeats some calls and compares the results.
 *
 * Check it in the notebook:
 *   import { checkExercise } from "./src/grading/notebook";
 *   import * as myQuorum from "./exercises/quorum-client";
 *   const quorumResults = await checkExercise("5.4", myQuorum);
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

/** One operation in progress (a suggestion: change the members as you like, keep the name). */
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

/** The client's state (a suggestion). */
export interface QuorumClientState {
  /** The largest timestamp counter this client has used or seen. */
  counter: number;
  nextOp: number;
  ops: Record<string, QuorumOperation>;
}

export const QUORUM_DEFAULTS = { timeoutMs: 100 } as const;

export function quorumClient(options: QuorumClientOptions): Protocol<QuorumClientState, QuorumMessage, QuorumRequest> {
  return {
    name: "quorum-client",
    init: () => ({ counter: 0, nextOp: 0, ops: {} }),
    request: (state, req, ctx) => {
      throw new Error("Exercise 5.4 not implemented yet: quorumClient, on request (write, read)");
    },
    receive: {
      WriteAck: (state, msg, from, ctx) => {
        throw new Error("Exercise 5.4 not implemented yet: quorumClient, on receiving WriteAck");
      },
      ReadReply: (state, msg, from, ctx) => {
        throw new Error("Exercise 5.4 not implemented yet: quorumClient, on receiving ReadReply");
      },
      // A client never receives Writes or Reads; ignore any.
      Write: () => {},
      Read: () => {},
    },
    timers: {
      retry: (state, data, ctx) => {
        throw new Error("Exercise 5.4 not implemented yet: quorumClient, on timeout");
      },
    },
  };
}
