/** Links (lectures 1 and 2): framing over a byte stream, reliable links, FIFO links, and their checks. */
export * from "./framing";
export * from "./request-matcher";
export * from "./reliable-link";
export * from "./fifo-link";
export * from "./fifo-link-recovery";
export * from "./properties";
