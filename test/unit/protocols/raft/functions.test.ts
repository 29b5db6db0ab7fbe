/**
 * Table tests of the slides' functions and handlers on one node (etcd raft's style: a state in, a
 * message in, the state and the effects out), through the kit's own handler context.
 */
import assert from "node:assert/strict";
import { APPENDENTRIES, COMMITLOGENTRIES, raft, type LogEntry, type RaftMsg, type RaftState } from "../../../../src/protocols/raft";
import { SeededRandom, type Context } from "../../../../src/sim";
import { HandlerContext, type Effect } from "../../../../src/sim/handler-context";

const e = (msg: string, term: number): LogEntry => ({ msg, term });

function node(id = "B", nodes = ["A", "B", "C"]): { ctx: Context<RaftMsg>; effects: Effect[]; storage: Map<string, unknown> } {
  const storage = new Map<string, unknown>();
  const ctx = new HandlerContext({
    nodeId: id, nodes, protocol: raft(), storage, random: new SeededRandom("raft-functions", id),
    clock: { timeOfDay: () => 0, monotonic: () => 0, ratePpm: () => 0 }, timers: { nextId: 1, pending: new Set() },
  });
  const effects = ctx.begin();
  return { ctx: ctx as unknown as Context<RaftMsg>, effects, storage };
}

function follower(log: LogEntry[], commitLength = 0, currentTerm = 3): RaftState {
  return {
    currentTerm, votedFor: null, log, commitLength, currentRole: "follower", currentLeader: null,
    votesReceived: [], sentLength: {}, ackedLength: {}, electionTimer: null, sendSeq: 0, pending: [],
  };
}

const delivered = (effects: Effect[]) => effects.filter((x) => x.kind === "deliver").map((x) => (x as { value: unknown }).value);
const sent = (effects: Effect[]) => effects.filter((x) => x.kind === "send").map((x) => (x as unknown as { msg: RaftMsg }).msg);

describe("Raft (7/9) APPENDENTRIES, table", () => {
  const cases: { name: string; log: LogEntry[]; prefixLen: number; suffix: LogEntry[]; leaderCommit?: number; want: string[] }[] = [
    { name: "appends to an empty log", log: [], prefixLen: 0, suffix: [e("a", 1), e("b", 1)], want: ["a", "b"] },
    { name: "a repeated request (duplicate) changes nothing", log: [e("a", 1), e("b", 1)], prefixLen: 0, suffix: [e("a", 1), e("b", 1)], want: ["a", "b"] },
    { name: "an older, shorter request (reordered) does not truncate what follows", log: [e("a", 1), e("b", 1), e("c", 1)], prefixLen: 0, suffix: [e("a", 1)], want: ["a", "b", "c"] },
    { name: "a conflicting record truncates the log to prefixLen, then the suffix is appended", log: [e("a", 1), e("x", 2), e("y", 2)], prefixLen: 1, suffix: [e("b", 3)], want: ["a", "b"] },
    { name: "only the records past the log's end are appended", log: [e("a", 1), e("b", 1)], prefixLen: 1, suffix: [e("b", 1), e("c", 3)], want: ["a", "b", "c"] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { ctx, storage } = node();
      const state = follower(c.log.slice());
      APPENDENTRIES(state, c.prefixLen, c.leaderCommit ?? 0, c.suffix, ctx);
      assert.deepEqual(state.log.map((x) => x.msg), c.want);
      assert.deepEqual((storage.get("log") as LogEntry[] | undefined)?.map((x) => x.msg) ?? c.log.map((x) => x.msg), c.want, "stable storage");
    });
  }

  it("delivers log[commitLength .. leaderCommit - 1], in order, and moves commitLength", () => {
    const { ctx, effects, storage } = node();
    const state = follower([e("a", 1), e("b", 1)], 1);
    APPENDENTRIES(state, 2, 3, [e("c", 3)], ctx);
    assert.deepEqual(delivered(effects), ["b", "c"]);
    assert.equal(state.commitLength, 3);
    assert.equal(storage.get("commitLength"), 3);
  });
});

describe("Raft (9/9) COMMITLOGENTRIES, table", () => {
  const leader = (log: LogEntry[], ackedLength: Record<string, number>, currentTerm: number, commitLength = 0): RaftState => ({
    ...follower(log, commitLength, currentTerm), currentRole: "leader", currentLeader: "A", ackedLength,
  });
  it("commits what a quorum acknowledged when it ends in a record of currentTerm", () => {
    const { ctx, effects } = node("A");
    const state = leader([e("a", 2), e("b", 3)], { A: 2, B: 2, C: 0 }, 3);
    COMMITLOGENTRIES(state, ctx);
    assert.deepEqual(delivered(effects), ["a", "b"]);
    assert.equal(state.commitLength, 2);
  });
  it("does not commit an earlier term's record by counting replicas (Raft paper §5.4.2)", () => {
    const { ctx, effects } = node("A");
    const state = leader([e("a", 2), e("b", 3)], { A: 2, B: 1, C: 1 }, 3);
    COMMITLOGENTRIES(state, ctx);
    assert.deepEqual(delivered(effects), []);
    assert.equal(state.commitLength, 0);
  });
  it("a minority's acknowledgement commits nothing", () => {
    const { ctx, effects } = node("A");
    COMMITLOGENTRIES(leader([e("a", 3)], { A: 1, B: 0, C: 0 }, 3), ctx);
    assert.deepEqual(delivered(effects), []);
  });
});

describe("Raft (6/9) and (8/9): terms", () => {
  it("Raft §5.1: a LogRequest of an older term is refused with the follower's term", () => {
    const { ctx, effects } = node("B");
    const state = follower([e("a", 1)], 0, 5);
    raft().receive.LogRequest(state, { type: "LogRequest", leaderId: "A", term: 4, prefixLen: 1, prefixTerm: 1, leaderCommit: 1, suffix: [] }, "A", ctx);
    assert.deepEqual(sent(effects), [{ type: "LogResponse", follower: "B", term: 5, ack: 0, success: false }]);
    assert.equal(state.commitLength, 0);
    assert.equal(state.currentLeader, null);
  });
  it("Raft (6/9): a candidate that hears from a leader of its term becomes its follower", () => {
    const { ctx, effects } = node("B");
    const state: RaftState = { ...follower([], 0, 4), currentRole: "candidate", votedFor: "B", votesReceived: ["B"] };
    raft().receive.LogRequest(state, { type: "LogRequest", leaderId: "A", term: 4, prefixLen: 0, prefixTerm: 0, leaderCommit: 0, suffix: [e("a", 4)] }, "A", ctx);
    assert.deepEqual([state.currentRole, state.currentLeader, state.votedFor], ["follower", "A", "B"]);
    assert.deepEqual(sent(effects), [{ type: "LogResponse", follower: "B", term: 4, ack: 1, success: true }]);
    assert.ok(effects.some((x) => x.kind === "start-timer"), "a fresh election timer");
  });
  it("Raft (8/9): a leader that sees a newer term steps down, forgets its vote, and persists both", () => {
    const { ctx, storage } = node("A");
    const state: RaftState = { ...follower([], 0, 4), currentRole: "leader", currentLeader: "A", votedFor: "A" };
    raft().receive.LogResponse(state, { type: "LogResponse", follower: "B", term: 6, ack: 0, success: false }, "B", ctx);
    assert.deepEqual([state.currentRole, state.currentTerm, state.votedFor], ["follower", 6, null]);
    assert.deepEqual([storage.get("currentTerm"), storage.get("votedFor")], [6, null]);
  });
  it("Raft (8/9): a refused LogRequest makes the leader back off by one record and resend", () => {
    const { ctx, effects } = node("A");
    const state: RaftState = { ...follower([e("a", 1), e("b", 2)], 0, 2), currentRole: "leader", currentLeader: "A", sentLength: { B: 2 }, ackedLength: { B: 0 } };
    raft().receive.LogResponse(state, { type: "LogResponse", follower: "B", term: 2, ack: 0, success: false }, "B", ctx);
    assert.equal(state.sentLength.B, 1);
    assert.deepEqual(sent(effects), [{ type: "LogRequest", leaderId: "A", term: 2, prefixLen: 1, prefixTerm: 1, leaderCommit: 0, suffix: [e("b", 2)] }]);
  });
  it("Raft (8/9): a stale acknowledgement (reordered) does not move ackedLength back", () => {
    const { ctx } = node("A");
    const state: RaftState = { ...follower([e("a", 2), e("b", 2)], 2, 2), currentRole: "leader", currentLeader: "A", sentLength: { B: 2 }, ackedLength: { A: 2, B: 2 } };
    raft().receive.LogResponse(state, { type: "LogResponse", follower: "B", term: 2, ack: 1, success: true }, "B", ctx);
    assert.equal(state.ackedLength.B, 2);
  });
});
