/**
 * Quorum reads and writes without ABD's write-back (lecture 6, slide "Not linearizable, despite
 * quorum reads/writes"; the replicas are lecture 5's, "Read and write quorums"): a get reads a quorum
 * and returns the newest (t, v) it saw, a set is a blind write of (t, v) to a quorum, t being
 * (this node's count of its sets, nodeId). A get that overlaps a set may see the new value while a
 * later get, reaching a different quorum, still sees the old one: not linearizable. ABD
 * (./abd.ts) adds the write-back that rules that out.
 *
 * Same requests, messages and replies as ABD, so the two can be run on the same workload.
 */
import type { Context, NodeId, Protocol } from "../../sim/protocol";
import { compareAbdTimestamp, quorumSize, replicaRead, replicaWrite, storedFromStorage, type AbdMsg, type AbdRequest, type AbdStamped } from "./register-replica";

export interface QuorumRegisterState {
  stored: Record<string, AbdStamped>;
  /** How many sets this node has made (its timestamps' counter). */
  sets: number;
  pending: { request: AbdRequest; phase: "read" | "write"; replied: NodeId[]; newest: AbdStamped | null } | null;
}

type Ctx = Context<AbdMsg>;

function done(state: QuorumRegisterState, output: unknown, ctx: Ctx): void {
  const opId = state.pending!.request.opId;
  state.pending = null;
  ctx.label(output === null ? "ok" : `-> ${JSON.stringify(output)}`);
  ctx.deliver({ type: "ok", opId, output });
}

export function quorumRegister(): Protocol<QuorumRegisterState, AbdMsg, AbdRequest> {
  return {
    name: "quorum-register",
    init: () => ({ stored: {}, sets: 0, pending: null }),
    request: (state, req, ctx) => {
      if ((req?.type !== "get" && req?.type !== "set") || typeof req.opId !== "string" || typeof req.key !== "string") {
        throw new TypeError(`quorum register at ${ctx.nodeId}: expected { type: "get" | "set", opId, key[, value] }, got ${JSON.stringify(req)}`);
      }
      if (state.pending !== null) throw new RangeError(`quorum register at ${ctx.nodeId}: ${req.opId} requested while ${state.pending.request.opId} is still running`);
      if (req.type === "get") {
        state.pending = { request: req, phase: "read", replied: [], newest: null };
        for (const node of ctx.nodes) ctx.send(node, { type: "Read", opId: req.opId, key: req.key });
        return;
      }
      state.sets += 1;
      ctx.storage.set("sets", state.sets);
      state.pending = { request: req, phase: "write", replied: [], newest: null };
      const stamped: AbdStamped = { t: [state.sets, ctx.nodeId], v: req.value };
      for (const node of ctx.nodes) ctx.send(node, { type: "Write", opId: req.opId, key: req.key, stamped });
    },
    receive: {
      Read: (state, msg, from, ctx) => replicaRead(state.stored, msg, from, ctx),
      Write: (state, msg, from, ctx) => replicaWrite(state.stored, msg, from, ctx),
      ReadReply: (state, msg, from, ctx) => {
        const pending = state.pending;
        if (pending === null || pending.request.opId !== msg.opId || pending.phase !== "read" || pending.replied.includes(from)) return;
        pending.replied.push(from);
        if (msg.stamped !== null && (pending.newest === null || compareAbdTimestamp(msg.stamped.t, pending.newest.t) > 0)) pending.newest = msg.stamped;
        // No write-back: return what the quorum had.
        if (pending.replied.length >= quorumSize(ctx.nodes.length)) done(state, pending.newest?.v ?? null, ctx);
      },
      WriteAck: (state, msg, from, ctx) => {
        const pending = state.pending;
        if (pending === null || pending.request.opId !== msg.opId || pending.phase !== "write" || pending.replied.includes(from)) return;
        pending.replied.push(from);
        if (pending.replied.length >= quorumSize(ctx.nodes.length)) done(state, null, ctx);
      },
    },
    recover: (ctx) => ({ stored: storedFromStorage(ctx.storage), sets: ctx.storage.get<number>("sets") ?? 0, pending: null }),
  };
}
