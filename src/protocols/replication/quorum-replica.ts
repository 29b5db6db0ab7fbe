/**
 * The replica side of quorum reads and writes (lecture 5, slides "Quorum (2 out of 3)", "Read and
 * write quorums", "Read repair"): each replica stores, per key, a value with the timestamp of the
 * write that put it there, (t, v), and keeps it in stable storage. A write is applied only if its
 * timestamp is newer than the stored one, so replicas never go back in time, whatever order writes
 * (and read repairs) arrive in.
 *
 *   on receiving (Write, opId, key, t, v) from client c do
 *       if t > stored[key].t then stored[key] := (t, v)
 *       send (WriteAck, opId, key) to c
 *   on receiving (Read, opId, key) from client c do
 *       send (ReadReply, opId, key, stored[key]) to c
 *
 * The client side (Exercise 5.4, ./quorum-client.ts) sends to replicas and counts replies.
 * Timestamps are [counter, node] pairs, compared counter first.
 */
import type { NodeId, Protocol } from "../../sim/protocol";

export type Timestamp = readonly [number, NodeId];

/** A stored value and the timestamp of the write that stored it: the slides' (t, v). */
export interface Stamped {
  readonly t: Timestamp;
  readonly v: unknown;
}

export type QuorumMessage =
  | { readonly type: "Write"; readonly opId: string; readonly key: string; readonly t: Timestamp; readonly v: unknown }
  | { readonly type: "WriteAck"; readonly opId: string; readonly key: string }
  | { readonly type: "Read"; readonly opId: string; readonly key: string }
  | { readonly type: "ReadReply"; readonly opId: string; readonly key: string; readonly stamped: Stamped | null };

/** Counter first, then node. */
export function compareTimestamp(a: Timestamp, b: Timestamp): number {
  if (a[0] !== b[0]) return a[0] - b[0];
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

function checkTimestamp(t: unknown, node: NodeId): asserts t is Timestamp {
  if (!Array.isArray(t) || t.length !== 2 || !Number.isFinite(t[0]) || typeof t[1] !== "string") {
    throw new TypeError(`quorum replica ${node}: a timestamp must be [counter, node], got ${JSON.stringify(t)}`);
  }
}

export interface QuorumReplicaState {
  stored: Record<string, Stamped>;
}

export function quorumReplica(): Protocol<QuorumReplicaState, QuorumMessage> {
  return {
    name: "quorum-replica",
    init: () => ({ stored: {} }),
    receive: {
      Write: (state, msg, from, ctx) => {
        checkTimestamp(msg.t, ctx.nodeId);
        if (typeof msg.key !== "string") throw new TypeError(`quorum replica ${ctx.nodeId}: a key must be a string, got ${JSON.stringify(msg.key)}`);
        const current = state.stored[msg.key];
        if (current === undefined || compareTimestamp(msg.t, current.t) > 0) {
          state.stored[msg.key] = { t: msg.t, v: msg.v };
          ctx.storage.set(`stored/${msg.key}`, state.stored[msg.key]);
          ctx.annotate({ stored: { key: msg.key, t: msg.t, v: msg.v } });
        }
        ctx.send(from, { type: "WriteAck", opId: msg.opId, key: msg.key });
      },
      Read: (state, msg, from, ctx) => {
        ctx.send(from, { type: "ReadReply", opId: msg.opId, key: msg.key, stamped: state.stored[msg.key] ?? null });
      },
      WriteAck: (_state, _msg, from, ctx) => ctx.log(`quorum replica: ignored a WriteAck from ${from}`),
      ReadReply: (_state, _msg, from, ctx) => ctx.log(`quorum replica: ignored a ReadReply from ${from}`),
    },
    // on recovery from crash: the stored values come back from stable storage
    recover: (ctx) => {
      const stored: Record<string, Stamped> = {};
      for (const name of ctx.storage.keys()) {
        if (name.startsWith("stored/")) stored[name.slice("stored/".length)] = ctx.storage.get<Stamped>(name)!;
      }
      return { stored };
    },
  };
}
