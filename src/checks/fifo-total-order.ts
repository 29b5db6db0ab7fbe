/**
 * FIFO-total order (lecture 4, slide "Forms of reliable broadcast"): FIFO order and total order
 * together.
 */
import type { TraceEvent } from "../sim/trace-events";
import { broadcastHistory } from "./broadcast-history";
import { checkResult, type CheckResult } from "./check-result";
import { fifoViolations, type OrderCheckOptions } from "./fifo-order";
import { totalOrderViolations } from "./total-order";
import type { TraceLike } from "./trace-like";

export function checkFifoTotalOrder(trace: TraceLike | readonly TraceEvent[], options: OrderCheckOptions = {}): CheckResult {
  const history = broadcastHistory(trace, options);
  const violations = [...fifoViolations(history), ...totalOrderViolations(history)].map((v) => ({
    ...v,
    property: `FIFO-total order (${v.property})`,
  }));
  return checkResult(violations, options.maxViolations);
}
