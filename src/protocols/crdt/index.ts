/**
 * CRDTs (lecture 8): the slides' operation-based and state-based map CRDTs, an observed-remove set,
 * the slides' text CRDT (positions between neighbours) with operational transformation beside it,
 * and RGA, a text CRDT fast enough for real editing traces, with replays of those traces.
 */
export * from "./map-crdt";
export * from "./op-map-crdt";
export * from "./state-map-crdt";
export * from "./or-set-model";
export * from "./or-set";
export * from "./position-text";
export * from "./text-crdt";
export * from "./rga-text";
export * from "./editing-traces";
