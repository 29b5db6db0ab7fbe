/**
 * Each node's position in a simulation's node list, looked up by id on every send (ctx.send names
 * its destination; the simulator, the network and the queue go by position).
 *
 * The positions are the values of an object without a prototype, keyed by node id: V8 keeps such
 * an object as a hash table whose lookup uses the hash the id string already carries, and finds
 * the entry by comparing string identity. A Map was slower with many nodes: its buckets chain
 * entries, and a lookup that meets another id in the chain reads that string too; a table keyed
 * by a hash computed in JavaScript was in between. Token bench, tracing off, alternating runs at
 * 1000 nodes: Map 4.7-5.1 M deliveries/s, the JavaScript hash table 4.6-5.4, this 5.2-5.7; at 5
 * nodes no worse.
 */
import type { NodeId } from "./protocol";
import { SimulationInputError } from "./errors";

export class NodeIndex {
  /** Node id -> position. No prototype, so no id ("constructor", "__proto__") meets an inherited property. */
  private readonly positions: Record<string, number> = Object.create(null);

  constructor(readonly ids: readonly NodeId[]) {
    ids.forEach((id, position) => {
      if (typeof id !== "string") throw new SimulationInputError(`nodes[${position}]`, id, "expected a string node id");
      if (this.positions[id] !== undefined) throw new SimulationInputError(`nodes[${position}]`, id, "duplicate node id");
      this.positions[id] = position;
    });
  }

  /** The position of `id` in the node list; undefined if it is not a node (or not a string). */
  get(id: unknown): number | undefined {
    return typeof id === "string" ? this.positions[id] : undefined;
  }
}
