/** Links (lectures 1 and 2): byte helpers for framing (the framing itself, Exercise 1.1, is ./framing.ts), reliable links, the go-back-N reliable FIFO link (the slides' FIFO links are Exercises 2.1 and 2.2, ./fifo-link.ts and ./fifo-link-recovery.ts; their check, checkLinkDeliveries, is in src/checks). */
export * from "./bytes";
export * from "./reliable-link";
export * from "./fair-loss-link";
export * from "./go-back-n";
export * from "./fifo-types";
