import assert from "node:assert/strict";
import { explore, type ExploreState } from "../../../src/explore";
import { atomicCommit, commitStatus } from "../../../src/explore/commit-invariants";
import { twoPhaseCommit, type TwoPhaseCommitMsg } from "../../../src/protocols/commit";
import type { Protocol } from "../../../src/sim";

const REQUEST = [{ node: "C0", request: { type: "commit", T: "T1", R: ["A", "B", "C"] } }];

describe("explore: two-phase commit (lecture 6)", () => {
  it("2PC: atomicity holds in every interleaving of 3 participants with one crash; only a coordinator crash blocks", () => {
    const outcomes = new Map<string, number>();
    const result = explore({
      protocol: twoPhaseCommit({ coordinator: "C0" }), nodes: ["C0", "A", "B", "C"], requests: REQUEST,
      failures: { model: "crash-stop", maxCrashes: 1 }, invariants: [atomicCommit()], bounds: { maxDepth: 60 },
      onTerminal: (state: ExploreState) => {
        for (const s of commitStatus(state)) {
          const key = `${s.outcome}${s.outcome === "blocked" ? ` after ${s.crashed.join(",")} crashed` : ""}`;
          outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        }
      },
    });
    assert.equal(result.verdict, "exhausted", result.summary);
    assert.deepEqual([...outcomes.keys()].sort(), ["abort", "blocked after C0 crashed", "commit"]);
  });

  it("the invariant catches a coordinator that commits on a missing vote", () => {
    const correct = twoPhaseCommit({ coordinator: "C0" });
    const hasty: Protocol<any, TwoPhaseCommitMsg, any> = {
      ...correct,
      receive: {
        ...correct.receive,
        Vote: (state, msg, from, ctx) => {
          const txn = state.coordinating[msg.T];
          txn.votes[msg.replicaId] = msg.ok;
          const yes = txn.R.filter((r: string) => txn.votes[r] === true).length;
          if (txn.decision === null && yes >= txn.R.length - 1) {
            txn.decision = "commit";
            ctx.deliver({ type: "decide", T: msg.T, outcome: "commit" });
          }
        },
      },
    };
    const result = explore({ protocol: hasty, nodes: ["C0", "A", "B", "C"], requests: REQUEST, invariants: [atomicCommit()], timers: { fire: "never" } });
    assert.equal(result.verdict, "violation");
    assert.match(result.violation!.message, /T1: committed at C0 although [ABC] did not vote yes/);
  });
});
