import { strict as assert } from "node:assert";
import { checkStaleReads, compareTimestamps, type QuorumHistoryEntry } from "../../../src/checks/stale-reads";

describe("checks: read-after-write (stale reads)", () => {
  const write = (t: number, endMs: number | undefined, key?: string): QuorumHistoryEntry => ({ kind: "write", client: "c1", startMs: endMs === undefined ? 0 : endMs - 5, endMs, timestamp: t, key, events: [t] });
  const read = (t: number | null, startMs: number, key?: string): QuorumHistoryEntry => ({ kind: "read", client: "c2", startMs, endMs: startMs + 5, timestamp: t, key, events: [100 + startMs] });

  it("Read and write quorums: a read after an acknowledged write must return it or a later value", () => {
    assert.equal(checkStaleReads([write(1, 10), read(1, 20)]).ok, true);
    assert.equal(checkStaleReads([write(1, 10), read(2, 20)]).ok, true);
    const stale = checkStaleReads([write(1, 10), write(2, 30), read(1, 40)]);
    assert.equal(stale.ok, false);
    assert.match(stale.violations[0].message, /c2's read at 40 ms returned 1, older than the write of 2 acknowledged at 30 ms/);
    assert.deepEqual(stale.violations[0].events, [2, 140]);
  });

  it("reads concurrent with a write, unacknowledged writes and other keys do not count", () => {
    assert.equal(checkStaleReads([write(2, 30), read(1, 28)]).ok, true); // the read started before the ack
    assert.equal(checkStaleReads([write(2, undefined), read(null, 50)]).ok, true);
    assert.equal(checkStaleReads([write(2, 10, "a"), read(null, 50, "b")]).ok, true);
    assert.equal(checkStaleReads([write(2, 10, "a"), read(null, 50, "a")]).ok, false); // nothing is older than anything
  });

  it("[counter, node] timestamps compare counter first, then node", () => {
    assert.ok(compareTimestamps([1, "B"], [2, "A"]) < 0);
    assert.ok(compareTimestamps([2, "B"], [2, "A"]) > 0);
    assert.throws(() => compareTimestamps(1, [1, "A"]), /cannot compare 1 with \[1,"A"\]/);
    assert.throws(() => checkStaleReads([{ kind: "delete" as "read", startMs: 0, timestamp: 1 }]), /operation 0 has kind "delete"/);
  });
});
