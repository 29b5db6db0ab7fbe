/** The explorer: bounded exhaustive search over the runs of real protocols (src/explore). */
export { explore, replayPath, DEFAULT_MAX_DEPTH, DEFAULT_MAX_STATES, ExplorationError } from "./explore";
export type * from "./types";
export { fifoOrder, noDuplicateDelivery, deliveredWhenQuiet, delivered, raftSafety } from "./invariants";
export { canonical, hashString } from "./canonical";
export { exploreChoices, exploreEachChoice, ExplorationBoundError } from "./choices";
export type { Choose, ChoiceLimits, ExploredChoices } from "./choices";
export { atomicCommit, commitStatus, type CommitStatus } from "./commit-invariants";
