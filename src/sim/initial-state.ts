/**
 * Starting a node from a given state, for textbook configurations ("node 3 is in term 6 with log
 * 1 1 4 4 5"). A node starts from a state the way it restarts after a crash: from what its stable
 * storage holds, through its protocol's "on recovery from crash" handler. So the given state is
 * stable-storage contents (plain data by key, as the protocol itself stores it), and the volatile
 * rest is whatever recovery sets up. `startingFrom(protocol, storage)` is that node's protocol:
 * the same handlers, with an initialisation that writes the storage and then recovers. (The trace
 * shows it as the node's init event.) In a stack, keys carry the stack's layer prefix.
 */
import type { AnyProtocol, NodeId } from "./protocol";
import { SimulationInputError } from "./errors";

/** Stable-storage contents per node, by key. */
export type InitialStorage = Readonly<Record<NodeId, Readonly<Record<string, unknown>>>>;

export function startingFrom<P extends AnyProtocol>(protocol: P, storage: Readonly<Record<string, unknown>>): P {
  if (typeof storage !== "object" || storage === null || Array.isArray(storage)) {
    throw new SimulationInputError("startingFrom(storage)", storage, "expected an object of stable-storage keys and values");
  }
  const entries = Object.entries(storage);
  return {
    ...protocol,
    init: (ctx) => {
      for (const [key, value] of entries) ctx.storage.set(key, value);
      return typeof protocol.recover === "function" ? protocol.recover(ctx) : protocol.init(ctx);
    },
  };
}
