// @ts-nocheck
// The path is the submission's (exercises/ beside src/ in the sandbox), not this folder's.
// Hostile (8.1): the whole answer is a re-export of the kit's library copy of the operation-based
// map CRDT. Expect: the library file only re-exports solutions/op-map-crdt.ts, which is not in the
// sandbox, so the module fails to load: 0 points.
export * from "../src/protocols/crdt/op-map-crdt";
