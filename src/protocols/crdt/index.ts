/** CRDTs (lecture 8): a text CRDT fast enough for real editing traces, and replays of those traces. */
export * from "./rga-text";
export * from "./editing-traces";
