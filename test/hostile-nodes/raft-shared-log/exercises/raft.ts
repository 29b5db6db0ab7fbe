// Hostile: "Raft" by shared memory. First it reaches for the kit's library copy of the answer
// (src/protocols/raft re-exports solutions/raft.ts, which is not in the sandbox). Failing that, the
// nodes of one process share a module-level log: the first node to start declares itself leader of
// term 1 and the others its followers, with no votes; a broadcast goes straight into the shared
// log and every node delivers from it on its heartbeat, with currentRole, log and commitLength set
// to look right. In one process this passes most checks; on isolated nodes every node is alone, so
// each declares itself leader of term 1 without a vote. Expect: 0 points.
import type { Context, Protocol } from "../../../../src/sim/protocol";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Entry = { msg: unknown; term: number; from: string };

const shared = { leader: null as string | null, log: [] as Entry[] };

function library(): ((options?: unknown) => Protocol<any, any, any>) | undefined {
  try {
    // The submission's path in the sandbox (exercises/ beside src/).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lib = require("../src/protocols/raft/raft");
    return typeof lib.raft === "function" && lib.raft !== raft ? lib.raft : undefined;
  } catch {
    return undefined;
  }
}

export function REPLICATELOG(): void {}
export function APPENDENTRIES(): void {}
export function COMMITLOGENTRIES(): void {}

export function raft(options: { heartbeatMs?: number } = {}): Protocol<any, any, any> {
  const answer = library();
  if (answer !== undefined) return answer(options);
  const start = (ctx: Context<any>): any => {
    shared.leader ??= ctx.nodeId;
    const leads = shared.leader === ctx.nodeId;
    return {
      currentTerm: 1, votedFor: shared.leader, log: [], commitLength: 0,
      currentRole: leads ? "leader" : "follower", currentLeader: shared.leader,
      votesReceived: leads ? [...ctx.nodes] : [], sentLength: {}, ackedLength: {}, electionTimer: null, sendSeq: 0, pending: [],
    };
  };
  const catchUp = (state: any, ctx: Context<any>) => {
    while (state.commitLength < shared.log.length) {
      const entry = shared.log[state.commitLength];
      state.log.push(entry);
      state.commitLength += 1;
      ctx.deliver(entry.msg, entry.from);
    }
  };
  return {
    name: "raft",
    init: start,
    recover: start,
    timers: { election: () => {} },
    request: (state: any, req: any, ctx: Context<any>) => {
      if (req.type === "broadcast") shared.log.push({ msg: req.m, term: 1, from: ctx.nodeId });
      catchUp(state, ctx);
    },
    periodically: { heartbeat: { everyMs: options.heartbeatMs ?? 50, run: catchUp } },
    receive: { VoteRequest: () => {}, VoteResponse: () => {}, LogRequest: () => {}, LogResponse: () => {}, ForwardRequest: () => {} },
  };
}
