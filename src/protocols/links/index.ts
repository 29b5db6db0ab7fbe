/** Links (lectures 1 and 2): framing over a byte stream, reliable links, FIFO links (their check, checkLinkDeliveries, is in src/checks). */
export * from "./framing";
export * from "./request-matcher";
export * from "./reliable-link";
export * from "./fair-loss-link";
export * from "./fifo-link";
export * from "./fifo-link-recovery";
