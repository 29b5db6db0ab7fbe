import { strict as assert } from "node:assert";
import { SeededRandom } from "../../../../src/sim/random";
import { exploreChoices as exploreAll, ExplorationBoundError } from "../../../../src/explore/choices";
import {
  acknowledgementChain,
  disagreementProbabilityByEnumeration,
  disagreementRateBySampling,
  exploreTwoGenerals,
  kMessengers,
  searchChainDecisionRules,
} from "../../../../src/protocols/generals/two-generals";
import { exploreOnlineShop, runOnlineShop } from "../../../../src/protocols/generals/online-shop";
import {
  byzantineBoundTable,
  majority,
  oralMessages,
  searchByzantineAgreement,
  threeGeneralsIndistinguishable,
  viewOf,
} from "../../../../src/protocols/generals/byzantine";

describe("explore/choices: every sequence of answers to choose()", () => {
  it("visits every choice sequence exactly once", () => {
    const runs = exploreAll((choose) => [choose(2), choose(3)].join(""));
    assert.deepEqual(runs.map((r) => r.result), ["00", "01", "02", "10", "11", "12"]);
  });
  it("handles runs whose later choices depend on earlier ones", () => {
    const runs = exploreAll((choose) => (choose(2) === 0 ? "stop" : `go${choose(2)}`));
    assert.deepEqual(runs.map((r) => r.result), ["stop", "go0", "go1"]);
  });
  it("hitting maxRuns is an error naming the bound", () => {
    assert.throws(
      () => exploreAll((choose) => choose(2) + choose(2) + choose(2), { maxRuns: 5 }),
      (e: unknown) => e instanceof ExplorationBoundError && e.bound === "maxRuns" && /maxRuns = 5/.test(e.message),
    );
  });
  it("hitting maxChoices is an error naming the bound", () => {
    assert.throws(
      () => exploreAll((choose) => { for (;;) choose(1); }, { maxChoices: 10 }),
      (e: unknown) => e instanceof ExplorationBoundError && e.bound === "maxChoices",
    );
  });
});

describe("generals/two-generals: the two generals problem", () => {
  for (let k = 1; k <= 8; k++) {
    it(`Reaching agreement with message loss: with ${k} messengers some loss pattern ends in disagreement`, () => {
      const e = exploreTwoGenerals(kMessengers(k));
      assert.equal(e.runs.length, 2 ** k);
      assert.equal(e.disagreements.length, 1); // exactly: every messenger captured
      assert.ok(e.disagreements[0].messengers.every((m) => !m.delivered));
      assert.deepEqual(e.disagreements[0].attacks, { army1: true, army2: false });
    });
    it(`The last message problem: an acknowledgement chain of ${k} disagrees exactly when the last messenger is lost`, () => {
      const e = exploreTwoGenerals(acknowledgementChain(k));
      assert.equal(e.runs.length, k + 1);
      assert.equal(e.disagreements.length, 1);
      const d = e.disagreements[0];
      assert.equal(d.messengers.length, k);
      assert.ok(d.messengers.slice(0, k - 1).every((m) => m.delivered));
      assert.equal(d.messengers[k - 1].delivered, false);
    });
  }

  it("No common knowledge: no sensible decision rule for the acknowledgement chain always agrees (k = 1..12)", () => {
    for (let k = 1; k <= 12; k++) {
      const r = searchChainDecisionRules(k);
      assert.ok(r.rulesChecked > 0, `k = ${k}`);
      assert.equal(r.rulesThatAlwaysAgree, 0, `k = ${k}`);
    }
  });

  it("disagreement probability: enumeration matches the closed forms for several p and k", () => {
    for (const p of [0, 0.1, 0.5, 0.9, 1]) {
      for (const k of [1, 2, 5]) {
        for (const protocol of [kMessengers(k), acknowledgementChain(k)]) {
          const exact = disagreementProbabilityByEnumeration(protocol, p);
          assert.ok(Math.abs(exact - protocol.disagreementProbability(p)) < 1e-12, `${protocol.name} p=${p}`);
        }
      }
    }
    // More messengers help option 1 (p^k shrinks), but never make it zero for p > 0.
    assert.ok(kMessengers(10).disagreementProbability(0.5) < kMessengers(2).disagreementProbability(0.5));
    assert.ok(kMessengers(10).disagreementProbability(0.5) > 0);
  });

  it("disagreement probability: sampling agrees with the exact value within 3 standard errors", () => {
    const random = new SeededRandom("two-generals", "sampling");
    for (const [protocol, p] of [[kMessengers(2), 0.3], [acknowledgementChain(3), 0.2]] as const) {
      const exact = protocol.disagreementProbability(p);
      const trials = 20000;
      const rate = disagreementRateBySampling(protocol, p, trials, random);
      assert.ok(Math.abs(rate - exact) < 3 * Math.sqrt((exact * (1 - exact)) / trials), `${protocol.name}: ${rate} vs ${exact}`);
    }
  });
});

describe("generals/online-shop: Two generals ≠ online shopping", () => {
  it("charge, dispatch, refund on failure: every explored outcome dispatches iff paid", () => {
    const outcomes = exploreOnlineShop(3);
    assert.equal(outcomes.length, 2 * 2 * 4 * 4 * 2);
    const bad = outcomes.filter((o) => !o.consistent);
    assert.deepEqual(bad, []);
    assert.ok(outcomes.some((o) => o.steps.includes("refund: 399 returned")), "the refund path is explored");
  });
  it("without deduplication a lost response and a retry charge the customer twice", () => {
    const o = runOnlineShop({ cardAccepted: true, inStock: true, lossesBeforeSuccess: [1], lostLeg: "response" }, { deduplicate: false });
    assert.equal(o.netCharged, 798);
    assert.equal(o.consistent, false);
    assert.ok(exploreOnlineShop(2, false).some((x) => !x.consistent));
  });
});

describe("generals/byzantine: The Byzantine generals problem", () => {
  it("majority: ties give the default order (retreat)", () => {
    assert.equal(majority(["attack", "attack", "retreat"]), "attack");
    assert.equal(majority(["attack", "retreat"]), "retreat");
    assert.equal(majority([]), "retreat");
  });

  it("Generals who might lie: general 3 sees the same messages in both executions but must decide differently", () => {
    const [a, b] = threeGeneralsIndistinguishable();
    assert.notEqual(a.traitor, b.traitor);
    assert.equal(viewOf(a, 3), viewOf(b, 3));
    assert.notEqual(viewOf(a, 2), viewOf(b, 2));
    assert.notEqual(a.general3Must, b.general3Must);
  });

  it("OM(1) with 3 generals and 1 traitor: the search finds a violation", () => {
    const r = searchByzantineAgreement(3, 1);
    assert.equal(r.agreementHolds, false);
    assert.ok(r.violation);
    assert.match(r.violation!.description, /violated with n = 3/);
  });

  it("OM(1) with 4 generals and 1 traitor: agreement against every traitor strategy", () => {
    const r = searchByzantineAgreement(4, 1);
    assert.equal(r.agreementHolds, true);
    // commander orders (2) × [commander traitor: 2^3 strategies + 3 lieutenant traitors × 2^2 relays]
    assert.equal(r.executions, 2 * (8 + 3 * 4));
  });

  it("OM(1): a loyal commander's order is followed when one lieutenant lies", () => {
    const decided = oralMessages(1, 0, [1, 2, 3], "attack", new Set([3]), () => 1 /* the traitor always says retreat */);
    assert.equal(decided.get(1), "attack");
    assert.equal(decided.get(2), "attack");
  });

  it("The Byzantine generals problem: need 3f + 1 generals (table for f = 1, 2 within the search bound)", () => {
    const table = byzantineBoundTable([
      { n: 3, f: 1 }, { n: 4, f: 1 }, { n: 5, f: 1 }, { n: 6, f: 1 },
      { n: 4, f: 2 }, { n: 5, f: 2 },
    ]);
    // (n = 6, f = 2 needs ~13 million executions before the first violation: past the default bound.)
    for (const row of table) assert.equal(row.agreementHolds, row.theorem, `n = ${row.n}, f = ${row.f}`);
  });

  it("the search bound is asserted, naming it", () => {
    assert.throws(() => searchByzantineAgreement(7, 2, { maxRuns: 1000 }), ExplorationBoundError);
  });
});
