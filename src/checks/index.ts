/** Checkers over traces for lectures 2-5 (happens-before, link and broadcast delivery orders, replica convergence), and a builder of hand-made histories. */
export * from "./check-result";
export * from "./trace-like";
export * from "./happens-before";
export * from "./broadcast-history";
export * from "./broadcast-causality";
export * from "./fifo-order";
export * from "./link-deliveries";
export * from "./causal-order";
export * from "./total-order";
export * from "./fifo-total-order";
export * from "./reliability";
export * from "./valid-delivery-orders";
export * from "./trace-builder";
export * from "./convergence";
export * from "./raft-safety";
export * from "./raft-snapshots";
export * from "./stale-reads";
