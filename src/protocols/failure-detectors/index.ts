/** Failure detectors (lecture 2): heartbeat/timeout, eventually perfect, property checker, measurement. */
export * from "./heartbeat";
export * from "./check";
export * from "./measure";
