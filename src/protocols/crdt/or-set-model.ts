/**
 * The data of the observed-remove set of Exercise 8.3 (lecture 8): requests, state, message and
 * what a replica shows. The protocol is the exercise (solutions/or-set.ts, re-exported by or-set.ts).
 */

/** An element added once: each add gets a tag no other add anywhere has (node and counter). */
export interface Tagged {
  readonly e: string;
  readonly tag: string;
}

export type OrSetRequest = { readonly type: "add"; readonly e: string } | { readonly type: "remove"; readonly e: string } | { readonly type: "read" };

/** What a read delivers: the elements, sorted. */
export interface OrSetRead {
  readonly elements: string[];
}

export interface OrSetState {
  adds: Tagged[];
  /** Tags of adds that a remove observed (tombstones). */
  removed: string[];
  counter: number;
}

export type OrSetMsg = { readonly type: "OrSetState"; readonly adds: readonly Tagged[]; readonly removed: readonly string[] };

/** elements = {e | ∃ tag. (e, tag) ∈ adds ∧ tag ∉ removed}, sorted. */
export function orSetElements(state: { readonly adds: readonly Tagged[]; readonly removed: readonly string[] }): string[] {
  const removed = new Set(state.removed);
  return [...new Set(state.adds.filter((a) => !removed.has(a.tag)).map((a) => a.e))].sort();
}

export function requireElement(e: unknown): void {
  if (typeof e !== "string") throw new TypeError(`a set element must be a string, got ${JSON.stringify(e)}`);
}
