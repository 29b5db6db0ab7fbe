/** Checkers over traces for lectures 3 and 4: happens-before and broadcast delivery orders. */
export * from "./check-result";
export * from "./trace-like";
export * from "./happens-before";
export * from "./broadcast-history";
export * from "./broadcast-causality";
export * from "./fifo-order";
export * from "./causal-order";
export * from "./total-order";
export * from "./fifo-total-order";
export * from "./reliability";
export * from "./valid-delivery-orders";
