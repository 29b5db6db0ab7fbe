/** The linearizability checker (lecture 6): histories, models, the search, and readers for Jepsen, porcupine and Knossos histories. */
export * from "./history";
export * from "./models";
export * from "./check";
export * from "./edn";
export * from "./readers";
