/**
 * CRDTs (lecture 8): the slides' operation-based and state-based map CRDTs, the slides' text CRDT
 * (positions between neighbours) with operational transformation beside it, and RGA, a text CRDT
 * fast enough for real editing traces, with replays of those traces.
 */
export * from "./map-crdt";
export * from "./position-text";
export * from "./rga-text";
export * from "./editing-traces";
