/** Links (lectures 1 and 2): byte helpers for framing (the framing itself, Exercise 1.1, is ./framing.ts), reliable links, FIFO links (their check, checkLinkDeliveries, is in src/checks). */
export * from "./bytes";
export * from "./reliable-link";
export * from "./fair-loss-link";
export * from "./fifo-link";
export * from "./fifo-link-recovery";
