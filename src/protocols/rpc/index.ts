/** RPC (lecture 1): a client stub with timeouts and retries, a payments service with switchable deduplication. */
export * from "./payments";
export * from "./service";
export * from "./check";
