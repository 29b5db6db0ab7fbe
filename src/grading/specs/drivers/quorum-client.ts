/** Drivers of Exercise 5.4 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/quorum-client";
import { compareTimestamp, quorumReplica } from "../../../protocols/replication/quorum-replica";
import type { AnyProtocol, Context, Message } from "../../../sim/protocol";
import { explore, type ExploreResult, type Goal, type Invariant } from "../../../explore/index";
import { searchDriver, type SearchInput, type SearchSetup } from "../../explore";
import { simulate, type Scenario } from "../../../sim/index";

export interface QuorumRun {
  readonly scenario: Scenario;
  /** The replicas (the kit's quorumReplica); every other node runs your client. */
  readonly replicas: readonly string[];
  readonly r: number;
  readonly w: number;
  readonly timeoutMs: number;
}


type Ctx = Context<Message, unknown>;
interface Deferring { inner: unknown; writing: number; queued: unknown[] }

/**
 * For the search: the client with its application's discipline "read only after my writes are
 * acknowledged". Writes go to the client at once; a read waits until every write before it has been
 * delivered, so every read starts after the writes it follows were acknowledged, and read-after-write
 * can be judged on each state of the search without clocks.
 */
export function readsAfterWrites(inner: AnyProtocol): AnyProtocol {
  const proxies = new WeakMap<object, Ctx>();
  let current: Deferring | undefined;
  const proxy = (ctx: Ctx): Ctx => {
    let p = proxies.get(ctx);
    if (p === undefined) {
      p = Object.create(ctx) as Ctx;
      p.deliver = (value: unknown, from?: string) => {
        if (current !== undefined && (value as { op?: unknown } | null)?.op === "write") current.writing -= 1;
        ctx.deliver(value, from);
      };
      proxies.set(ctx, p);
    }
    return p;
  };
  /** Runs one of the inner handlers, then hands over the reads that may now start. */
  const run = (state: Deferring, ctx: Ctx, call: (c: Ctx) => void) => {
    current = state;
    try {
      call(proxy(ctx));
      while (state.writing === 0 && state.queued.length > 0) inner.request!(state.inner, state.queued.shift(), proxy(ctx));
    } finally {
      current = undefined;
    }
  };
  const receive: Record<string, (s: Deferring, m: Message, from: string, c: Ctx) => void> = {};
  for (const type of Object.keys(inner.receive)) receive[type] = (s, m, from, c) => run(s, c, (p) => (inner.receive as Record<string, (...a: unknown[]) => void>)[type]!(s.inner, m, from, p));
  const timers: Record<string, (s: Deferring, data: unknown, c: Ctx) => void> = {};
  for (const name of Object.keys(inner.timers ?? {})) timers[name] = (s, data, c) => run(s, c, (p) => inner.timers![name]!(s.inner, data, p));
  return {
    name: inner.name,
    init: (ctx: Ctx) => ({ inner: inner.init(proxy(ctx)), writing: 0, queued: [] }),
    request: (state: Deferring, req: unknown, ctx: Ctx) => {
      if ((req as { type?: unknown } | null)?.type === "read" && state.writing > 0) {
        state.queued.push(req);
        return;
      }
      if ((req as { type?: unknown } | null)?.type === "write") state.writing += 1;
      run(state, ctx, (p) => inner.request!(state.inner, req, p));
    },
    receive,
    timers,
  } as AnyProtocol;
}

/** The invariant of the search: a read (started after the writes before it were acknowledged) returns their timestamp or a newer one. */
export function readAfterWriteInvariant(client: string, replicas: readonly string[], w: number): Invariant {
  return {
    name: "read-after-write",
    holds: (state) => {
      let newest: readonly [number, string] | undefined;
      for (const d of state.nodes[client]?.deliveries ?? []) {
        const v = d.value as { op?: unknown; t?: unknown; opId?: unknown; key?: unknown } | null;
        const t = Array.isArray(v?.t) ? (v!.t as [number, string]) : null;
        if (v?.op === "write" && t !== null) {
          // An acknowledged write is stored (it or a newer one) at w replicas: replicas never go back.
          const storing = replicas.filter((node) => {
            const stored = (state.nodes[node]?.state as { stored?: Record<string, { t: [number, string] }> } | undefined)?.stored?.[String(v.key)];
            return stored !== undefined && compareTimestamp(stored.t, t) >= 0;
          });
          if (storing.length < w) return `write ${String(v.opId)} was delivered as acknowledged, but only ${storing.length} replicas (${storing.join(", ") || "none"}) store its timestamp ${JSON.stringify(t)} or a newer one; w = ${w}`;
        }
        if (v?.op === "write" && t !== null && (newest === undefined || compareTimestamp(t, newest) > 0)) newest = t;
        if (v?.op === "read" && newest !== undefined && (t === null || compareTimestamp(t, newest) < 0)) {
          return `read ${String(v.opId)} returned ${JSON.stringify(t)}, older than the acknowledged write ${JSON.stringify(newest)}`;
        }
      }
      return true;
    },
  };
}

export type QuorumSearchInput = SearchInput & { readonly replicas: readonly string[]; readonly r: number; readonly w: number };

/**
 * What the search explores: your client (reads after writes) at the one node that is not a replica,
 * the kit's replicas at the others; read-after-write in every state; and, as a goal, a run in which
 * the client completes every operation it was asked for (a client that never answers is safe too).
 */
function quorumSetup(student: typeof Student, input: QuorumSearchInput): SearchSetup & { readonly options: SearchInput } {
  const { replicas, r, w, ...options } = input;
  const protocol: Record<string, AnyProtocol> = {};
  for (const node of options.nodes) protocol[node] = replicas.includes(node) ? quorumReplica() : readsAfterWrites(student.quorumClient({ replicas, r, w, timeoutMs: 50 }));
  const client = options.nodes.find((node) => !replicas.includes(node))!;
  const operations = (options.requests ?? []).filter((q) => q.node === client).length;
  return { protocol, invariants: [readAfterWriteInvariant(client, replicas, w)], goals: [operationsComplete(client, operations)], options };
}

function operationsComplete(client: string, operations: number): Goal {
  return { name: `${client} completes its ${operations} operations`, reached: (state) => (state.nodes[client]?.deliveries.length ?? 0) >= operations };
}

/** The explorer over quorumSetup's configuration, breadth first (notebook 05 draws its findings). */
export function quorumSearch(student: typeof Student, input: QuorumSearchInput): ExploreResult {
  const { protocol, invariants, options } = quorumSetup(student, input);
  return explore({ ...options, protocol, invariants, strategy: "bfs" });
}

const search = searchDriver(quorumSetup);

export const drivers = {
  /** Your client at the client nodes, the kit's replicas at the others; the trace as JSON. */
  run: (student: typeof Student, input: QuorumRun): string =>
    simulate(input.scenario, (node) =>
      input.replicas.includes(node) ? quorumReplica() : student.quorumClient({ replicas: input.replicas, r: input.r, w: input.w, timeoutMs: input.timeoutMs }),
    ).trace.toJSON(),
  /** The explorer over every interleaving of a small configuration (see quorumSearch). */
  search,
};
