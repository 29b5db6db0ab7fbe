// Hostile: a quorum client that never contacts a replica. It remembers the last value it wrote per
// key (in memory) and claims every write acknowledged and every read answered at once, with
// timestamps of its own. Its outputs look right for one client in a quiet run. Expect: the grader
// counts WriteAcks and ReadReplies in its own trace, so every test fails (0 points).
import type { NodeId, Protocol } from "../../../../src/sim/protocol";
import type { QuorumMessage, Stamped, Timestamp } from "../../../../src/protocols/replication/quorum-replica";

export type { QuorumMessage, Stamped, Timestamp };
export interface QuorumClientOptions { readonly replicas: readonly NodeId[]; readonly r: number; readonly w: number; readonly timeoutMs?: number }
export type QuorumRequest = { readonly type: "write"; readonly key: string; readonly value: unknown } | { readonly type: "read"; readonly key: string };
export type QuorumOutput =
  | { readonly op: "write"; readonly opId: string; readonly key: string; readonly value: unknown; readonly t: Timestamp }
  | { readonly op: "read"; readonly opId: string; readonly key: string; readonly found: true; readonly value: unknown; readonly t: Timestamp }
  | { readonly op: "read"; readonly opId: string; readonly key: string; readonly found: false; readonly t: null };
export interface QuorumOperation {
  readonly kind: "read" | "write";
  readonly key: string;
  readonly t?: Timestamp;
  readonly value?: unknown;
  answered: NodeId[];
  replies: Record<NodeId, Stamped | null>;
  result?: Stamped | null;
  done: boolean;
}
export interface QuorumClientState { counter: number; nextOp: number; ops: Record<string, QuorumOperation> }
export const QUORUM_DEFAULTS = { timeoutMs: 100 } as const;

export function quorumClient(_options: QuorumClientOptions): Protocol<QuorumClientState & { last: Record<string, Stamped> }, QuorumMessage, QuorumRequest> {
  return {
    name: "quorum-client",
    init: () => ({ counter: 0, nextOp: 0, ops: {}, last: {} }),
    request: (state, req, ctx) => {
      const opId = `${ctx.nodeId}.${state.nextOp++}`;
      if (req.type === "write") {
        const t: Timestamp = [++state.counter, ctx.nodeId];
        state.last[req.key] = { t, v: req.value };
        ctx.deliver({ op: "write", opId, key: req.key, value: req.value, t });
      } else {
        const last = state.last[req.key];
        ctx.deliver(last === undefined ? { op: "read", opId, key: req.key, found: false, t: null } : { op: "read", opId, key: req.key, found: true, value: last.v, t: last.t });
      }
    },
    receive: { Write: () => {}, WriteAck: () => {}, Read: () => {}, ReadReply: () => {} },
  };
}
