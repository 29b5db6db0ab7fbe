import { strict as assert } from "node:assert";
import { checkExactlyOnce } from "../../../src/checks/exactly-once";
import { simulate, type Scenario } from "../../../src/sim/index";
import type { Protocol } from "../../../src/sim/protocol";
import { exactlyOnceClient, exactlyOnceServer, type ExactlyOnceServerState, type LikesMessage } from "../../../src/protocols/replication/exactly-once";

const like = (userId: string) => ({ type: "update", to: "S", update: { op: "like", userId } });

/** S applies three requests, crashes at 60 ms before A hears an Ack (S -> A cut until 400 ms), recovers at 120 ms. */
const crashRun: Scenario = {
  seed: "exactly-once-check",
  nodes: ["A", "S"],
  network: { latencyMs: [1, 10] },
  requests: [0, 1, 2].map((k) => ({ node: "A", atMs: 3 * k, request: like(`u${k % 2}`) })),
  faults: [{ kind: "cut", links: [["S", "A"]], atMs: 0, healAtMs: 400 }, { kind: "crash", node: "S", atMs: 60, recoverAtMs: 120 }],
  untilMs: 3000,
};

/** The reference server without the dedup table in stable storage (it recovers an empty table). */
function forgetfulServer(): Protocol<ExactlyOnceServerState, LikesMessage> {
  const server = exactlyOnceServer();
  return { ...server, recover: (ctx) => ({ likeCount: ctx.storage.get<number>("likeCount") ?? 0, seen: {} }) };
}

describe("checks: exactly-once updates (lecture 5, Idempotence)", () => {
  it("retry + deduplication in stable storage: each request applied once, acknowledged once, with backoff", () => {
    const { trace } = simulate(crashRun, (node) => (node === "S" ? exactlyOnceServer() : exactlyOnceClient({ timeoutMs: 40, maxTimeoutMs: 160 })));
    const result = checkExactlyOnce(trace, { server: "S", clients: ["A"], backoff: { timeoutMs: 40, maxTimeoutMs: 160 } });
    assert.deepEqual(result.violations, []);
    // The run did retry across the crash: more than one Update per request.
    assert.ok(trace.events.filter((e) => e.kind === "send" && e.node === "A").length > 6);
  });

  it("a dedup table that does not survive the crash: the request applied twice, naming both applications", () => {
    const { trace } = simulate(crashRun, (node) => (node === "S" ? forgetfulServer() : exactlyOnceClient({ timeoutMs: 40, maxTimeoutMs: 160 })));
    const result = checkExactlyOnce(trace, { server: "S", clients: ["A"] });
    assert.equal(result.ok, false);
    assert.match(result.violations[0]!.message, /^request A\.0 applied twice, at S \d+\.\d ms and S \d+\.\d ms$/);
    assert.equal(result.violations[0]!.events.length, 2);
  });

  it("the wrong backoff, a lost request, an invented one and an acknowledgement before the update are each named", () => {
    const { trace } = simulate(crashRun, (node) => (node === "S" ? exactlyOnceServer() : exactlyOnceClient({ timeoutMs: 40, maxTimeoutMs: 160 })));
    const backoff = checkExactlyOnce(trace, { server: "S", clients: ["A"], backoff: { timeoutMs: 40, maxTimeoutMs: 1000 } });
    assert.match(backoff.violations[0]!.message, /retry \d of request A\.\d was sent at A .* ms after the send before it; with backoff it comes \d+ ms after/);
    const events = trace.events;
    const firstApply = events.find((e) => e.kind === "deliver" && e.node === "S")!;
    const withoutApply = checkExactlyOnce(events.filter((e) => e !== firstApply), { server: "S", clients: ["A"] });
    assert.match(withoutApply.violations.map((v) => v.message).join("\n"), /request A\.0 .* was never applied/);
    assert.match(withoutApply.violations.map((v) => v.message).join("\n"), /delivered \{ acknowledged: A\.0 \} at A .* before the server had applied it/);
    const forged = { ...firstApply, i: events.length, value: { applied: { op: "like", userId: "x" }, requestId: "A.7" } } as unknown as (typeof events)[number];
    const invented = checkExactlyOnce([...events, forged], { server: "S", clients: ["A"] });
    assert.match(invented.violations[0]!.message, /the server applied request A\.7 at S .*, which no client had been asked for by then/);
    assert.throws(() => checkExactlyOnce(events, { server: "S", clients: ["S"] }), /S is both the server and a client/);
  });
});
