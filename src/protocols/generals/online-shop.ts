/**
 * "Two generals ≠ online shopping" (lecture 2).
 *
 * The shop wants: dispatch if and only if the customer paid. Unlike an army's defeat, a payment can
 * be undone, so the shop can act in a safe order:
 *   1. try to charge the customer's card;
 *   2. if the charge succeeded, try to dispatch the goods;
 *   3. if dispatch failed (e.g. out of stock), refund the payment.
 * Messages to the payments service can be lost; the shop retries each request (with the same
 * request id, so the service processes it once) until it gets an answer. This file explores every
 * combination of losses (bounded) and card/stock outcome and checks the end state.
 */
import { exploreChoices } from "../../explore/choices";

export interface OnlineShopScenario {
  /** The payments service would accept the card. */
  readonly cardAccepted: boolean;
  /** The warehouse has the item. */
  readonly inStock: boolean;
  /** For each request the shop sends, in order: how many attempts are lost before one gets through. */
  readonly lossesBeforeSuccess: readonly number[];
  /** Which message of a lost attempt was lost: the request (never processed) or the response (processed). */
  readonly lostLeg?: "request" | "response";
}

export interface OnlineShopOutcome {
  readonly scenario: OnlineShopScenario;
  /** Net money taken from the customer: charges minus refunds. */
  readonly netCharged: number;
  readonly dispatched: boolean;
  /** Requests processed by the payments service (at most once per request id). */
  readonly steps: readonly string[];
  /** The desired property: dispatches if and only if payment made (and kept). */
  readonly consistent: boolean;
}

/**
 * Runs the shop's protocol for one scenario. Each request is retried until an attempt gets through
 * (fair-loss links: retrying eventually succeeds); the service deduplicates by request id, so a
 * retried charge never charges twice.
 */
export function runOnlineShop(scenario: OnlineShopScenario, options: { price?: number; deduplicate?: boolean } = {}): OnlineShopOutcome {
  const price = options.price ?? 399;
  const deduplicate = options.deduplicate ?? true;
  const steps: string[] = [];
  const processed = new Set<string>();
  let requestIndex = 0;
  let netCharged = 0;
  let dispatched = false;
  // One request, retried until it gets through; the service runs `effect` once per request id.
  const call = <T>(requestId: string, effect: () => T, lastResult: { value?: T }): T => {
    const losses = scenario.lossesBeforeSuccess[requestIndex] ?? 0;
    requestIndex += 1;
    for (let attempt = 0; attempt <= losses; attempt++) {
      const lost = attempt < losses;
      if (lost && scenario.lostLeg !== "response") {
        steps.push(`${requestId}: attempt ${attempt + 1} request lost, retry`);
        continue;
      }
      // The service receives this attempt; with deduplication it runs the effect once per id.
      if (!deduplicate || !processed.has(requestId)) {
        processed.add(requestId);
        lastResult.value = effect();
      }
      if (lost) steps.push(`${requestId}: attempt ${attempt + 1} response lost, retry`);
    }
    return lastResult.value as T;
  };
  // 1. Try to charge the customer's credit card.
  const charged = call("charge", () => {
    if (!scenario.cardAccepted) {
      steps.push("charge: declined");
      return false;
    }
    netCharged += price;
    steps.push(`charge: ${price} taken`);
    return true;
  }, {});
  if (charged) {
    // 2. If the charge was successful, try dispatching the goods.
    dispatched = scenario.inStock;
    steps.push(dispatched ? "dispatch: sent" : "dispatch: out of stock");
    // 3. If dispatch was unsuccessful: refund the credit card payment.
    if (!dispatched) {
      call("refund", () => {
        netCharged -= price;
        steps.push(`refund: ${price} returned`);
        return true;
      }, {});
    }
  }
  return { scenario, netCharged, dispatched, steps, consistent: dispatched ? netCharged === price : netCharged === 0 };
}

/**
 * Every scenario with up to maxLosses lost attempts per request. With deduplication every outcome
 * is consistent; without it, a lost response followed by a retry charges (or refunds) twice.
 */
export function exploreOnlineShop(maxLosses = 3, deduplicate = true): OnlineShopOutcome[] {
  if (!Number.isInteger(maxLosses) || maxLosses < 0 || maxLosses > 8) throw new RangeError(`maxLosses must be an integer in [0, 8], got ${maxLosses}`);
  return exploreChoices((choose) => {
    const cardAccepted = choose(2) === 1;
    const inStock = choose(2) === 1;
    // At most two requests (charge, refund); the losses for each are chosen up front.
    const lossesBeforeSuccess = [choose(maxLosses + 1), choose(maxLosses + 1)];
    const lostLeg = choose(2) === 0 ? ("request" as const) : ("response" as const);
    return runOnlineShop({ cardAccepted, inStock, lossesBeforeSuccess, lostLeg }, { deduplicate });
  }).map((e) => e.result);
}
