/**
 * What every checker returns: ok, and for each violation the property broken, a sentence naming
 * the messages and node involved, and the trace indices of the offending events (so a diagram can
 * highlight them).
 */

export interface Violation {
  /** The property broken, e.g. "FIFO order" or "no duplication". */
  readonly property: string;
  /** A sentence a student can read, naming the messages and the node(s). */
  readonly message: string;
  /** Trace indices (event.i) of the events that show the violation. */
  readonly events: number[];
}

export interface CheckResult {
  readonly ok: boolean;
  readonly violations: Violation[];
}

/** Default cap on violations listed per check: a broken protocol can break a property thousands of times. */
export const DEFAULT_MAX_VIOLATIONS = 50;

/** Builds a result, keeping at most maxViolations entries (ok stays false when any was found). */
export function checkResult(violations: Violation[], maxViolations: number = DEFAULT_MAX_VIOLATIONS): CheckResult {
  if (!Number.isSafeInteger(maxViolations) || maxViolations < 1) {
    throw new RangeError(`maxViolations must be a positive integer, got ${String(maxViolations)}`);
  }
  if (violations.length <= maxViolations) return { ok: violations.length === 0, violations };
  const kept = violations.slice(0, maxViolations);
  kept.push({
    property: violations[maxViolations]!.property,
    message: `... and ${violations.length - maxViolations} more violations not listed`,
    events: [],
  });
  return { ok: false, violations: kept };
}

/** Combines several results into one (e.g. FIFO-total order = FIFO order and total order). */
export function combineResults(...results: CheckResult[]): CheckResult {
  const violations: Violation[] = [];
  for (const result of results) violations.push(...result.violations);
  return { ok: results.every((r) => r.ok), violations };
}
